"""Reminders on tasks (SPEC 15): the task's list as the API shows it, the worker's schedule, and
the task a reminder mail is about.

Revision ID: 0014_task_reminders
Revises: 0013_sqlite_ids_never_reused
Create Date: 2026-12-02 01:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0014_task_reminders"
down_revision = "0013_sqlite_ids_never_reused"
branch_labels = None
depends_on = None

_PENDING = "fired_for IS NULL OR fired_for <> remind_at"


def upgrade() -> None:
    # jsonb on Postgres: a listing's DISTINCT compares rows, and json has no equality.
    op.add_column(
        "tasks",
        sa.Column("reminders", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
    )
    op.add_column("mail_outbox", sa.Column("task_id", sa.Integer(), nullable=True))
    op.create_table(
        "task_reminders",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_for", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name="fk_task_reminders_task_id_tasks", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", "reminder_id", name="pk_task_reminders"),
    )
    op.create_index(
        "idx_task_reminders_due",
        "task_reminders",
        ["remind_at"],
        postgresql_where=sa.text(_PENDING),
        sqlite_where=sa.text(_PENDING),
    )


def downgrade() -> None:
    op.drop_index("idx_task_reminders_due", table_name="task_reminders")
    op.drop_table("task_reminders")
    # Plain ALTER TABLE, on SQLite too (3.35+): batch mode would rebuild tasks and lose its
    # expression indexes, triggers and AUTOINCREMENT.
    op.execute("ALTER TABLE mail_outbox DROP COLUMN task_id")
    op.execute("ALTER TABLE tasks DROP COLUMN reminders")
