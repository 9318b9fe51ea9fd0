"""Trigram indexes for case-insensitive substring search over task titles and descriptions.

Postgres only: SQLite has no pg_trgm and searches by scanning the user's tasks. Going down
keeps the extension: it belongs to the whole database, which a host service may share and index
with it too.

Revision ID: 0002_task_search_trgm
Revises: 0001_initial_schema
Create Date: 2026-11-25 19:00:00+00:00
"""

from __future__ import annotations

from alembic import op

revision = "0002_task_search_trgm"
down_revision = "0001_initial_schema"
branch_labels = None
depends_on = None

_INDEXES = {"idx_tasks_title_trgm": "title", "idx_tasks_description_trgm": "description"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in _INDEXES.items():
        op.create_index(
            name, "tasks", [column], postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in _INDEXES:
        op.drop_index(name, table_name="tasks")
