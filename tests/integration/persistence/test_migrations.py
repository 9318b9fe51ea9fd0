"""Every migration walks up, down and up again to the same schema, on both databases."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from tests.conftest import create_database
from todo_api.adapters.persistence.tables import metadata
from todo_api.entrypoints import migrations

REQUIRED_INDEXES = {
    "tasks": {
        "idx_tasks_user_id",
        "idx_tasks_user_completed",
        "idx_tasks_user_priority",
        "idx_tasks_user_due_date",
    },
    "tags": {"idx_tags_user_id"},
    "task_tag_link": {"idx_task_tag_link_task", "idx_task_tag_link_tag"},
}


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'stairway.db'}"
    return create_database(request.getfixturevalue("postgres_server"), "todo_stairway")


def _sync(url: str) -> str:
    parsed = make_url(url)
    driver = "sqlite" if parsed.drivername.startswith("sqlite") else "postgresql+psycopg"
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


_INDEX_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    "postgresql": (
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
        " AND tablename <> 'todo_api_alembic_version'"
    ),
}


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def schema_of(url: str) -> dict[str, Any]:
    """Tables, columns, indexes and constraints as reflected, for comparing two states."""
    engine = sa.create_engine(_sync(url))
    try:
        inspector = sa.inspect(engine)
        # SQLAlchemy has no type for xid8 (the change feed's numbers); its name is compared.
        warnings.filterwarnings("ignore", "Did not recognize type 'xid8'", sa.exc.SAWarning)
        with engine.connect() as connection:
            # Reflection skips expression indexes on SQLite; the catalogue lists every index.
            index_names = sorted(
                connection.exec_driver_sql(_INDEX_NAMES[engine.dialect.name]).scalars()
            )
        tables = [t for t in sorted(inspector.get_table_names()) if t != "todo_api_alembic_version"]
        return {"index_names": index_names} | {
            table: {
                "columns": sorted(
                    (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
                ),
                "indexes": sorted(
                    (i["name"], tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(table)
                ),
                "foreign_keys": sorted(
                    (
                        fk["name"],
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        fk["options"].get("ondelete"),
                    )
                    for fk in inspector.get_foreign_keys(table)
                ),
                "checks": sorted(str(c["name"]) for c in inspector.get_check_constraints(table)),
                "unique": sorted(str(u["name"]) for u in inspector.get_unique_constraints(table)),
            }
            for table in tables
        }
    finally:
        engine.dispose()


def test_every_revision_goes_up_down_and_up_again(empty_database: str) -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config(empty_database))
    revisions = list(reversed(list(script.walk_revisions())))
    assert revisions, "no migrations found"
    before = schema_of(empty_database)
    for revision in revisions:
        migrations.upgrade(empty_database, revision.revision)
        after = schema_of(empty_database)
        migrations.downgrade(empty_database, revision.down_revision or "base")
        assert schema_of(empty_database) == before, f"downgrade of {revision.revision}"
        migrations.upgrade(empty_database, revision.revision)
        assert schema_of(empty_database) == after, f"re-upgrade of {revision.revision}"
        before = after


def test_the_migrated_schema_has_every_table_and_named_index(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    schema = schema_of(empty_database)
    assert set(metadata.tables) <= set(schema)
    for table, names in REQUIRED_INDEXES.items():
        assert names <= {index[0] for index in schema[table]["indexes"]}, table
    assert "uq_users_email" in {*schema["users"]["unique"], *schema["index_names"]}
    assert "uq_tags_user_id_name" in schema["index_names"]


def test_migration_file_names_are_dated() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    names = [Path(revision.path).name for revision in script.walk_revisions()]
    assert names
    for name in names:
        assert re.fullmatch(r"\d{8}_\d{6}_[a-z0-9_]+\.py", name), name


async def test_readiness_sees_a_database_behind_the_newest_migration(
    empty_database: str,
) -> None:
    from todo_api.adapters.persistence.engine import build_engine

    engine = build_engine(empty_database)
    try:
        assert await migrations.pending_migration(engine) == migrations.head_revision()
        migrations.upgrade(empty_database)
        assert await migrations.pending_migration(engine) is None
    finally:
        await engine.dispose()


def test_sqlite_keeps_rows_indexes_and_triggers_when_ids_stop_being_reused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'reuse.db'}"
    migrations.upgrade(url, "0012_event_notify")
    engine = sa.create_engine(_sync(url))
    catalogue = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
    try:
        with engine.begin() as connection:
            run = connection.exec_driver_sql
            run(
                "INSERT INTO users (id, email, password_hash, created_at, updated_at)"
                " VALUES ('u1', 'ann@example.com', 'x', '2026-01-01', '2026-01-01')"
            )
            for n in (1, 2, 3):
                run(
                    "INSERT INTO tasks (id, user_id, title, created_at, updated_at)"
                    f" VALUES ({n}, 'u1', 't{n}', '2026-01-01', '2026-01-01')"
                )
            run("INSERT INTO tags (id, user_id, name) VALUES (1, 'u1', 'work')")
            run("INSERT INTO task_tag_link (task_id, tag_id) VALUES (2, 1)")
            run("DELETE FROM tasks WHERE id = 3")  # its tombstone keeps id 3 taken
            before = sorted(run(catalogue).all())
        migrations.upgrade(url, "0013_sqlite_ids_never_reused")
        with engine.begin() as connection:
            run = connection.exec_driver_sql
            assert sorted(run(catalogue).all()) == before
            assert run("SELECT task_id, tag_id, sort_title FROM task_tag_link").all() == [
                (2, 1, "t2")
            ]
            run(
                "INSERT INTO tasks (user_id, title, created_at, updated_at)"
                " VALUES ('u1', 'new', '2026-01-02', '2026-01-02')"
            )
            new_id, stamp = run("SELECT id, change_seq FROM tasks WHERE title = 'new'").one()
            assert new_id == 4
            assert stamp > 0  # the change-feed trigger still numbers writes
            run("UPDATE tasks SET title = 'Renamed' WHERE id = 2")  # the link's sort keys follow
            assert run("SELECT sort_title FROM task_tag_link").scalar_one() == "renamed"
    finally:
        engine.dispose()
