"""On SQLite, ids are never handed out twice: tasks, tags, events, webhooks, their deliveries and
the mail outbox are rebuilt with AUTOINCREMENT.

Without it SQLite gives a new row the highest id in use plus one, so after the newest task is
deleted the next task gets its id: a syncing client, an ETag or a webhook receiver takes the new
task for the old one, and the old one's deletion is lost from the change feed. Postgres identity
columns never reuse a value; there this migration does nothing.

The rebuild follows SQLite's own recipe for schema changes ALTER TABLE cannot make (create the
new table, copy, drop the old, rename), by hand rather than with Alembic's batch mode, which would
lose the expression indexes and the triggers; those are read back from sqlite_master and
recreated as they were. Each counter starts above every id the table (or, for tasks, the
deletion records) has used.

Revision ID: 0013_sqlite_ids_never_reused
Revises: 0012_event_notify
Create Date: 2026-12-02 00:00:00+00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0013_sqlite_ids_never_reused"
down_revision = "0012_event_notify"
branch_labels = None
depends_on = None

# table -> (its integer key, queries for the ids it has ever handed out)
_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "tags": ("id", ("SELECT max(id) FROM tags",)),
    "tasks": (
        "id",
        ("SELECT max(id) FROM tasks", "SELECT max(task_id) FROM task_tombstones"),
    ),
    "events": ("seq", ("SELECT max(seq) FROM events",)),
    "webhooks": ("id", ("SELECT max(id) FROM webhooks",)),
    "webhook_deliveries": ("id", ("SELECT max(id) FROM webhook_deliveries",)),
    "mail_outbox": ("id", ("SELECT max(id) FROM mail_outbox",)),
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # Dropping a table would then cascade to every row that refers to it.
        raise RuntimeError("this migration must run with SQLite foreign keys off (the default)")
    # Renaming the new table must not re-check triggers of other tables that name the old one
    # while it is briefly gone.
    bind.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        for table, (key, used) in _TABLES.items():
            _rebuild(bind, table, key, used)
    finally:
        bind.exec_driver_sql("PRAGMA legacy_alter_table=OFF")


def _rebuild(bind: sa.Connection, table: str, key: str, used: tuple[str, ...]) -> None:
    create = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
    ).scalar_one()
    if "AUTOINCREMENT" in create:
        return
    dependents = list(
        bind.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE tbl_name = :t"
                " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
            ),
            {"t": table},
        ).scalars()
    )
    rebuilt = _with_autoincrement(create, table, key)
    bind.exec_driver_sql(rebuilt.replace(f"CREATE TABLE {table} ", f"CREATE TABLE _new_{table} "))
    bind.exec_driver_sql(f"INSERT INTO _new_{table} SELECT * FROM {table}")  # noqa: S608
    bind.exec_driver_sql(f"DROP TABLE {table}")
    bind.exec_driver_sql(f"ALTER TABLE _new_{table} RENAME TO {table}")
    for statement in dependents:
        bind.exec_driver_sql(statement)
    highest = max(bind.exec_driver_sql(query).scalar() or 0 for query in used)
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
    bind.execute(
        sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)"),
        {"t": table, "n": highest},
    )


def _with_autoincrement(create: str, table: str, key: str) -> str:
    """`create` with its key declared INTEGER PRIMARY KEY AUTOINCREMENT (SQLite accepts the
    keyword only there) instead of a table constraint."""
    constraint = re.compile(rf",\s*CONSTRAINT pk_{table} PRIMARY KEY \({key}\)")
    column = re.compile(rf"\b{key} INTEGER NOT NULL")
    if not constraint.search(create) or not column.search(create):
        raise RuntimeError(f"unexpected definition of table {table}: {create}")
    create = constraint.sub("", create, count=1)
    return column.sub(
        f"{key} INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY AUTOINCREMENT", create, count=1
    )


def downgrade() -> None:
    # Keeping AUTOINCREMENT is harmless to the revisions below, and dropping it would bring the
    # id reuse back.
    pass
