"""Postgres announces, at commit, every change that can end or alter a credential: a session
revoked or deleted, a user changed or deleted, an API token deleted (channel todo_credentials).
Each server process's credential cache listens (adapters/persistence/credential_notices.py).

Revision ID: 0016_credential_notices
Revises: 0015_api_tokens
Create Date: 2026-12-02 03:00:00+00:00
"""

from __future__ import annotations

from alembic import op

revision = "0016_credential_notices"
down_revision = "0015_api_tokens"
branch_labels = None
depends_on = None

_TRIGGERS = {
    "sessions_credential_notice": "AFTER UPDATE OF revoked_at OR DELETE ON sessions",
    "users_credential_notice": "AFTER UPDATE OR DELETE ON users",
    "api_tokens_credential_notice": "AFTER DELETE ON api_tokens",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION todo_api_notify_credential() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'sessions' THEN
                PERFORM pg_notify('todo_credentials', 's:' || OLD.id::text);
            ELSIF TG_TABLE_NAME = 'users' THEN
                PERFORM pg_notify('todo_credentials', 'u:' || OLD.id::text);
            ELSE
                PERFORM pg_notify('todo_credentials', 't:' || OLD.lookup);
            END IF;
            RETURN NULL;
        END $$
        """
    )
    for name, when in _TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when}"
            " FOR EACH ROW EXECUTE FUNCTION todo_api_notify_credential()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, when in _TRIGGERS.items():
        table = when.rsplit(" ON ", 1)[1]
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP FUNCTION todo_api_notify_credential()")
