"""A tag's tasks in any order: the tasks' sort keys copied onto their tag links, by triggers, and
an index per key starting with the tag (ADR 0014).

Without them a tag filter walks the sort's index over all of the user's tasks until it has a
page, which is slow when the tag's tasks sort late (a tag on dated tasks, sorted with the undated
ones first). With them a tag's page is a range scan of its own links.

Revision ID: 0008_tag_sort_keys
Revises: 0007_time_zones_all_day
Create Date: 2026-12-01 19:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from todo_api.adapters.persistence.task_order import due_key_sql, urgency_sql

revision = "0008_tag_sort_keys"
down_revision = "0007_time_zones_all_day"
branch_labels = None
depends_on = None

_KEYS = ("created_at", "updated_at", "due_key", "urgency", "sort_title")
_INDEXES = {f"idx_task_tag_link_tag_{key}": ["tag_id", key, "task_id"] for key in _KEYS}


def _values_of(task: str, dialect: str) -> str:
    """The link's copies of a task's sort keys, in `_KEYS` order, read from the row `task`."""
    return (
        f"{task}.created_at, {task}.updated_at, {due_key_sql(dialect, f'{task}.due_date')},"
        f" {urgency_sql(f'{task}.priority')}, lower({task}.title)"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, kind in (
        ("created_at", sa.DateTime(timezone=True)),
        ("updated_at", sa.DateTime(timezone=True)),
        ("due_key", sa.DateTime(timezone=True)),
        ("urgency", sa.SmallInteger()),
        ("sort_title", sa.String(length=200)),
    ):
        op.add_column("task_tag_link", sa.Column(name, kind, nullable=True))
    columns = ", ".join(_KEYS)
    if dialect == "postgresql":
        op.execute(
            f"UPDATE task_tag_link AS l SET ({columns}) = (SELECT {_values_of('t', dialect)}"
            " FROM tasks AS t WHERE t.id = l.task_id)"
        )
        op.execute(
            f"""
            CREATE FUNCTION todo_api_link_sort_keys() RETURNS trigger
            LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                SELECT {_values_of("t", dialect)}
                INTO NEW.created_at, NEW.updated_at, NEW.due_key, NEW.urgency, NEW.sort_title
                FROM tasks AS t WHERE t.id = NEW.task_id;
                RETURN NEW;
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER trg_task_tag_link_sort_keys BEFORE INSERT ON task_tag_link"
            " FOR EACH ROW EXECUTE FUNCTION todo_api_link_sort_keys()"
        )
        op.execute(
            f"""
            CREATE FUNCTION todo_api_task_sort_keys_to_links() RETURNS trigger
            LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                UPDATE task_tag_link SET ({columns}) = (SELECT {_values_of("NEW", dialect)})
                WHERE task_id = NEW.id;
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER trg_tasks_sort_keys_to_links"
            " AFTER UPDATE OF created_at, updated_at, due_date, priority, title ON tasks"
            " FOR EACH ROW EXECUTE FUNCTION todo_api_task_sort_keys_to_links()"
        )
    else:
        op.execute(
            f"UPDATE task_tag_link SET ({columns}) = (SELECT {_values_of('t', dialect)}"
            " FROM tasks AS t WHERE t.id = task_tag_link.task_id)"
        )
        op.execute(
            f"""
            CREATE TRIGGER trg_task_tag_link_sort_keys AFTER INSERT ON task_tag_link BEGIN
                UPDATE task_tag_link SET ({columns}) = (SELECT {_values_of("t", dialect)}
                    FROM tasks AS t WHERE t.id = NEW.task_id)
                WHERE task_id = NEW.task_id AND tag_id = NEW.tag_id;
            END
            """
        )
        op.execute(
            f"""
            CREATE TRIGGER trg_tasks_sort_keys_to_links
            AFTER UPDATE OF created_at, updated_at, due_date, priority, title ON tasks BEGIN
                UPDATE task_tag_link SET ({columns}) = (SELECT {_values_of("NEW", dialect)})
                WHERE task_id = NEW.id;
            END
            """
        )
    for name, index_columns in _INDEXES.items():
        op.create_index(name, "task_tag_link", index_columns)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in _INDEXES:
        op.drop_index(name, table_name="task_tag_link")
    if dialect == "postgresql":
        op.execute("DROP TRIGGER trg_tasks_sort_keys_to_links ON tasks")
        op.execute("DROP FUNCTION todo_api_task_sort_keys_to_links()")
        op.execute("DROP TRIGGER trg_task_tag_link_sort_keys ON task_tag_link")
        op.execute("DROP FUNCTION todo_api_link_sort_keys()")
    else:
        op.execute("DROP TRIGGER trg_tasks_sort_keys_to_links")
        op.execute("DROP TRIGGER trg_task_tag_link_sort_keys")
    # Not batch operations: rebuilding a table on SQLite would lose its expression indexes.
    for key in reversed(_KEYS):
        op.execute(f"ALTER TABLE task_tag_link DROP COLUMN {key}")
