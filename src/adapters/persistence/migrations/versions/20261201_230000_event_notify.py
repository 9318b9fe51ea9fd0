"""Postgres announces each committed event on channel todo_events (payload: the user id): the
event stream's wake-up (SPEC 15). SQLite streams poll instead.

Revision ID: 0012_event_notify
Revises: 0011_webhooks
Create Date: 2026-12-01 23:00:00+00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012_event_notify"
down_revision = "0011_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # NOTIFY is delivered at commit, and not at all on rollback: a wake-up never runs ahead of
    # its event.
    op.execute(
        """
        CREATE FUNCTION todo_api_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('todo_events', NEW.user_id::text);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER events_notify AFTER INSERT ON events"
        " FOR EACH ROW EXECUTE FUNCTION todo_api_notify_event()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_notify ON events")
    op.execute("DROP FUNCTION todo_api_notify_event()")
