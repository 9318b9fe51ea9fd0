"""Rate-limit counters in the database, shared by workers and hosts without Redis.

Revision ID: 0003_rate_limit_counters
Revises: 0002_task_search_trgm
Create Date: 2026-12-01 12:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_rate_limit_counters"
down_revision = "0002_task_search_trgm"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("window_ends", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limits"),
    )
    op.create_index("idx_rate_limits_window_ends", "rate_limits", ["window_ends"])


def downgrade() -> None:
    op.drop_index("idx_rate_limits_window_ends", table_name="rate_limits")
    op.drop_table("rate_limits")
