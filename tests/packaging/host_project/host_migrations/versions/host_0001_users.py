"""The host's users table, named like todo-api's, in public.

Revision ID: host_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "host_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users", sa.Column("id", sa.Integer, primary_key=True), sa.Column("login", sa.Text)
    )
    op.execute("INSERT INTO users (login) VALUES ('host-admin')")


def downgrade() -> None:
    op.drop_table("users")
