"""Initial schema: users, sessions, tags, tasks and their links.

Revision ID: 0001_initial_schema
Revises:
Create Date: 2026-11-25 18:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial_schema"
down_revision = None
branch_labels = None
depends_on = None

_TIMESTAMP = sa.DateTime(timezone=True)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("refresh_jti", sa.String(length=64), nullable=False),
        sa.Column("previous_jti", sa.String(length=64), nullable=True),
        sa.Column("rotated_at", _TIMESTAMP, nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("last_used_at", _TIMESTAMP, nullable=False),
        sa.Column("expires_at", _TIMESTAMP, nullable=False),
        sa.Column("revoked_at", _TIMESTAMP, nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=True),
        _user_fk("sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
    )
    op.create_index("idx_sessions_user_id", "sessions", ["user_id"])

    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=True),
        sa.CheckConstraint("length(name) BETWEEN 1 AND 50", name="ck_tags_name_length"),
        _user_fk("tags"),
        sa.PrimaryKeyConstraint("id", name="pk_tags"),
    )
    op.create_index("idx_tags_user_id", "tags", ["user_id"])
    op.create_index(
        "uq_tags_user_id_name", "tags", ["user_id", sa.text("lower(name)")], unique=True
    )

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("completed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("priority", sa.String(length=6), server_default="medium", nullable=False),
        sa.Column("due_date", _TIMESTAMP, nullable=True),
        sa.Column("recurrence_rule", sa.String(length=500), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.CheckConstraint("priority IN ('low', 'medium', 'high')", name="ck_tasks_priority"),
        sa.CheckConstraint("length(title) BETWEEN 1 AND 200", name="ck_tasks_title_length"),
        _user_fk("tasks"),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
    )
    op.create_index("idx_tasks_user_id", "tasks", ["user_id"])
    op.create_index("idx_tasks_user_completed", "tasks", ["user_id", "completed"])
    op.create_index("idx_tasks_user_priority", "tasks", ["user_id", "priority"])
    op.create_index("idx_tasks_user_due_date", "tasks", ["user_id", "due_date"])

    op.create_table(
        "task_tag_link",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name="fk_task_tag_link_task_id_tasks", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name="fk_task_tag_link_tag_id_tags", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", "tag_id", name="pk_task_tag_link"),
    )
    op.create_index("idx_task_tag_link_task", "task_tag_link", ["task_id"])
    op.create_index("idx_task_tag_link_tag", "task_tag_link", ["tag_id"])


def downgrade() -> None:
    op.drop_table("task_tag_link")
    op.drop_table("tasks")
    op.drop_table("tags")
    op.drop_table("sessions")
    op.drop_table("users")
