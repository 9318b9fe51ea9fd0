"""Users' time zones and all-day due dates.

Revision ID: 0007_time_zones_all_day
Revises: 0006_idempotency_keys
Create Date: 2026-12-01 18:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_time_zones_all_day"
down_revision = "0006_idempotency_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC")
    )
    op.add_column(
        "tasks", sa.Column("all_day", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    # Not batch operations: rebuilding a table on SQLite would lose its expression indexes.
    op.execute("ALTER TABLE tasks DROP COLUMN all_day")
    op.execute("ALTER TABLE users DROP COLUMN timezone")
