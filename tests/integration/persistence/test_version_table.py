"""todo-api's revision lives in its own version table, apart from a host's `alembic_version`
(SPEC 11); a database migrated by an earlier release is adopted once."""

from __future__ import annotations

import psycopg

from tests.conftest import create_database
from todo_api.entrypoints import migrations


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_a_hosts_alembic_version_is_neither_read_nor_written(postgres_server: str) -> None:
    url = create_database(postgres_server, "todo_beside_host")
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('host_0001')")
    migrations.upgrade(url, schema="todo")
    assert migrations.current(url, schema="todo") == migrations.head_revision()
    with psycopg.connect(_libpq(url)) as connection:
        host = connection.execute("SELECT version_num FROM public.alembic_version").fetchall()
        assert host == [("host_0001",)]
        schemas = connection.execute(
            "SELECT DISTINCT table_schema FROM information_schema.tables"
            " WHERE table_name IN ('users', 'tasks', 'todo_api_alembic_version')"
        ).fetchall()
        assert schemas == [("todo",)]


def test_a_database_of_an_earlier_release_is_adopted_once(postgres_server: str) -> None:
    url = create_database(postgres_server, "todo_earlier_release")
    migrations.upgrade(url)
    # What releases before 0.2 left behind: the revision in the default alembic_version.
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("ALTER TABLE todo_api_alembic_version RENAME TO alembic_version")
        connection.execute("ALTER INDEX todo_api_alembic_version_pkc RENAME TO alembic_version_pkc")
    assert migrations.current(url) is None
    migrations.upgrade(url)
    assert migrations.current(url) == migrations.head_revision()
    with psycopg.connect(_libpq(url)) as connection:
        left = connection.execute("SELECT to_regclass('public.alembic_version')").fetchone()
        assert left == (None,), "the emptied legacy table is dropped"


def test_going_down_leaves_a_hosts_pg_trgm_alone(postgres_server: str) -> None:
    """An extension belongs to the whole database: the host's own trigram index needs pg_trgm
    after todo-api's tables are gone (dropping it failed the downgrade, or would drop it from
    under a host that had not indexed with it yet)."""
    url = create_database(postgres_server, "todo_host_trgm")
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("CREATE EXTENSION pg_trgm")
        connection.execute("CREATE TABLE notes (body text)")
        connection.execute("CREATE INDEX notes_body_trgm ON notes USING gin (body gin_trgm_ops)")
    migrations.upgrade(url, schema="todo")
    migrations.downgrade(url, "base", schema="todo")
    with psycopg.connect(_libpq(url)) as connection:
        extensions = connection.execute("SELECT extname FROM pg_extension").fetchall()
        assert ("pg_trgm",) in extensions
        index = connection.execute("SELECT to_regclass('public.notes_body_trgm')").fetchone()
        assert index == ("notes_body_trgm",)
