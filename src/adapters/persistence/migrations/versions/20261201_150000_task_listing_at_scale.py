"""Listing at scale: an index per sort key (and for the status and priority filters under the
default sort), versions for optimistic concurrency, and ranked search on Postgres.

Each keyset index ends in `id`, the tie-breaker of every order, so a cursor page is a range
scan that stops after `limit` rows. The sort expressions for due date and priority must match
`adapters/persistence/task_order.py` character for character, or the planner cannot use them.

Revision ID: 0004_task_listing_at_scale
Revises: 0003_rate_limit_counters
Create Date: 2026-12-01 15:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from todo_api.adapters.persistence.task_order import due_key_sql, urgency_sql

revision = "0004_task_listing_at_scale"
down_revision = "0003_rate_limit_counters"
branch_labels = None
depends_on = None


def _keyset_indexes(dialect: str) -> dict[str, list[str | sa.TextClause]]:
    return {
        "idx_tasks_user_created_at_id": ["user_id", "created_at", "id"],
        "idx_tasks_user_updated_at_id": ["user_id", "updated_at", "id"],
        "idx_tasks_user_due_key_id": ["user_id", sa.text(due_key_sql(dialect, "due_date")), "id"],
        "idx_tasks_user_urgency_id": ["user_id", sa.text(urgency_sql("priority")), "id"],
        "idx_tasks_user_title_id": ["user_id", sa.text("lower(title)"), "id"],
        "idx_tasks_user_completed_created_at_id": ["user_id", "completed", "created_at", "id"],
        "idx_tasks_user_priority_created_at_id": ["user_id", "priority", "created_at", "id"],
    }


# The weights rank title matches above description matches; 'english' matches word forms.
_SEARCH_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, title), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in ("tasks", "tags"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    for name, columns in _keyset_indexes(dialect).items():
        op.create_index(name, "tasks", columns)
    if dialect == "postgresql":
        op.execute(
            f"ALTER TABLE tasks ADD COLUMN search_vector tsvector"
            f" GENERATED ALWAYS AS ({_SEARCH_VECTOR}) STORED"
        )
        op.create_index(
            "idx_tasks_search_vector", "tasks", ["search_vector"], postgresql_using="gin"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.drop_index("idx_tasks_search_vector", table_name="tasks")
        op.drop_column("tasks", "search_vector")
    for name in _keyset_indexes(dialect):
        op.drop_index(name, table_name="tasks")
    for table in ("tasks", "tags"):
        # Not a batch operation: rebuilding the table on SQLite would lose the expression index
        # on tag names, which SQLAlchemy cannot reflect. SQLite drops columns itself since 3.35.
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
