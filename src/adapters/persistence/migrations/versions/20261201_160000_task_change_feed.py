"""The change feed of delta sync: a change number on every task write and a tombstone for every
deletion, both stamped by triggers so no write path can forget them (ADR 0015).

Postgres numbers a change with the writing transaction's id (`pg_current_xact_id()`, xid8): a
reader sees every change below its snapshot's xmin as final, whatever order transactions commit
in. SQLite serialises writers, so a counter bumped inside the write transaction follows commit
order.

Revision ID: 0005_task_change_feed
Revises: 0004_task_listing_at_scale
Create Date: 2026-12-01 16:00:00+00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005_task_change_feed"
down_revision = "0004_task_listing_at_scale"
branch_labels = None
depends_on = None

_POSTGRES_UP = [
    "ALTER TABLE tasks ADD COLUMN change_seq xid8 NOT NULL DEFAULT pg_current_xact_id()",
    """
    CREATE FUNCTION todo_api_stamp_task_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
        NEW.change_seq := pg_current_xact_id();
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER trg_tasks_stamp_change BEFORE INSERT OR UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION todo_api_stamp_task_change()
    """,
    """
    CREATE TABLE task_tombstones (
        task_id integer NOT NULL,
        user_id uuid NOT NULL,
        deleted_at timestamptz NOT NULL DEFAULT now(),
        change_seq xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT pk_task_tombstones PRIMARY KEY (task_id)
    )
    """,
    """
    CREATE FUNCTION todo_api_bury_task() RETURNS trigger
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
        INSERT INTO task_tombstones (task_id, user_id) VALUES (OLD.id, OLD.user_id)
        ON CONFLICT (task_id) DO NOTHING;
        RETURN OLD;
    END $$
    """,
    """
    CREATE TRIGGER trg_tasks_bury AFTER DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION todo_api_bury_task()
    """,
]

_POSTGRES_DOWN = [
    "DROP TRIGGER trg_tasks_bury ON tasks",
    "DROP FUNCTION todo_api_bury_task()",
    "DROP TABLE task_tombstones",
    "DROP TRIGGER trg_tasks_stamp_change ON tasks",
    "DROP FUNCTION todo_api_stamp_task_change()",
    "ALTER TABLE tasks DROP COLUMN change_seq",
]

# The update trigger names every column a task write changes, not change_seq: stamping the
# number (an update of change_seq) must not fire it again.
_SQLITE_UP = [
    "ALTER TABLE tasks ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0",
    """
    CREATE TABLE sync_clock (
        id INTEGER NOT NULL CONSTRAINT pk_sync_clock PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
    )
    """,
    "INSERT INTO sync_clock (id, value) VALUES (1, (SELECT count(*) FROM tasks))",
    "UPDATE tasks SET change_seq = (SELECT count(*) FROM tasks AS t WHERE t.id <= tasks.id)",
    """
    CREATE TRIGGER trg_tasks_stamp_insert AFTER INSERT ON tasks BEGIN
        UPDATE sync_clock SET value = value + 1;
        UPDATE tasks SET change_seq = (SELECT value FROM sync_clock) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER trg_tasks_stamp_update AFTER UPDATE OF
        title, description, completed, priority, due_date, recurrence_rule, updated_at, version
    ON tasks BEGIN
        UPDATE sync_clock SET value = value + 1;
        UPDATE tasks SET change_seq = (SELECT value FROM sync_clock) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TABLE task_tombstones (
        task_id INTEGER NOT NULL CONSTRAINT pk_task_tombstones PRIMARY KEY,
        user_id CHAR(32) NOT NULL,
        deleted_at DATETIME NOT NULL,
        change_seq INTEGER NOT NULL
    )
    """,
    # SQLAlchemy's text layout for SQLite datetimes, so they compare as stored values do.
    """
    CREATE TRIGGER trg_tasks_bury AFTER DELETE ON tasks BEGIN
        UPDATE sync_clock SET value = value + 1;
        INSERT OR IGNORE INTO task_tombstones (task_id, user_id, deleted_at, change_seq)
        VALUES (OLD.id, OLD.user_id, strftime('%Y-%m-%d %H:%M:%f000', 'now'),
                (SELECT value FROM sync_clock));
    END
    """,
]

_SQLITE_DOWN = [
    "DROP TRIGGER trg_tasks_bury",
    "DROP TABLE task_tombstones",
    "DROP TRIGGER trg_tasks_stamp_update",
    "DROP TRIGGER trg_tasks_stamp_insert",
    "DROP TABLE sync_clock",
    "ALTER TABLE tasks DROP COLUMN change_seq",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _POSTGRES_UP if postgres else _SQLITE_UP:
        op.execute(statement)
    op.create_index("idx_tasks_user_change", "tasks", ["user_id", "change_seq", "id"])
    op.create_index(
        "idx_task_tombstones_user_change", "task_tombstones", ["user_id", "change_seq", "task_id"]
    )
    op.create_index("idx_task_tombstones_deleted_at", "task_tombstones", ["deleted_at"])


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.drop_index("idx_tasks_user_change", table_name="tasks")
    for statement in _POSTGRES_DOWN if postgres else _SQLITE_DOWN:
        op.execute(statement)
