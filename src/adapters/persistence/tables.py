"""The relational schema, shared by Postgres and SQLite, and the metadata Alembic reads."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# A reminder not yet fired at its current time; the due-reminder index is partial on it.
REMINDER_PENDING = "fired_for IS NULL OR fired_for <> remind_at"


class UtcDateTime(sa.TypeDecorator[datetime]):
    """timestamptz on Postgres; SQLite keeps no zone, so values are stored and read as UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("name", sa.String(100), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
    sa.Column("email_verified", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("mfa_secret", sa.String(64), nullable=True),
    sa.Column("mfa_enabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("mfa_last_step", sa.BigInteger, nullable=True),
    # Emails are stored normalised (lower-cased), so a plain unique index compares them
    # case-insensitively on both databases.
    sa.UniqueConstraint("email", name="uq_users_email"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("refresh_jti", sa.String(64), nullable=False),
    sa.Column("previous_jti", sa.String(64), nullable=True),
    sa.Column("rotated_at", UtcDateTime, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_used_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
    sa.Column("user_agent", sa.String(255), nullable=True),
    sa.Index("idx_sessions_user_id", "user_id"),
)

tags = sa.Table(
    "tags",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("color", sa.String(7), nullable=True),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.CheckConstraint("length(name) BETWEEN 1 AND 50", name="name_length"),
    sa.Index("idx_tags_user_id", "user_id"),
    # Tag names are unique per user regardless of case.
    sa.Index("uq_tags_user_id_name", "user_id", sa.func.lower(sa.column("name")), unique=True),
    sqlite_autoincrement=True,  # ids are never reused (migration 0013)
)

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.String(1000), nullable=True),
    sa.Column("completed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("priority", sa.String(6), nullable=False, server_default="medium"),
    sa.Column("due_date", UtcDateTime, nullable=True),
    sa.Column("recurrence_rule", sa.String(500), nullable=True),
    # A due date sent as a day: stored as its start in the user's time zone (migration 0007).
    sa.Column("all_day", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.CheckConstraint("priority IN ('low', 'medium', 'high')", name="priority"),
    sa.CheckConstraint("length(title) BETWEEN 1 AND 200", name="title_length"),
    sa.Index("idx_tasks_user_id", "user_id"),
    sa.Index("idx_tasks_user_completed", "user_id", "completed"),
    sa.Index("idx_tasks_user_priority", "user_id", "priority"),
    sa.Index("idx_tasks_user_due_date", "user_id", "due_date"),
    # The task's reminders as the API shows them (rules, snoozes), NULL for none: a read needs no
    # other table. `task_reminders` below is the worker's schedule of the same reminders.
    sa.Column("reminders", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
    # The Postgres-only trigram indexes for search live in migration 0002, the keyset indexes
    # of every sort and Postgres's weighted search_vector in 0004, not here.
    sqlite_autoincrement=True,  # ids are never reused (migration 0013)
)

# When each task's reminders go off (application/reminders.py, SPEC 15), kept by the task
# repository with the task. A reminder is due while `fired_for` differs from `remind_at`: firing
# records the time it fired for, and giving it a new time makes it due again.
task_reminders = sa.Table(
    "task_reminders",
    metadata,
    sa.Column(
        "task_id", sa.Integer, sa.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("reminder_id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Uuid, nullable=False),
    sa.Column("remind_at", UtcDateTime, nullable=False),
    sa.Column("fired_for", UtcDateTime, nullable=True),
    sa.Index(
        "idx_task_reminders_due",
        "remind_at",
        postgresql_where=sa.text(REMINDER_PENDING),
        sqlite_where=sa.text(REMINDER_PENDING),
    ),
)

task_tag_link = sa.Table(
    "task_tag_link",
    metadata,
    sa.Column(
        "task_id", sa.Integer, sa.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # Copies of the task's sort keys, kept by triggers (migration 0008), so that a tag's tasks
    # are walked in any order along an index that starts with the tag.
    sa.Column("created_at", UtcDateTime, nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=True),
    sa.Column("due_key", UtcDateTime, nullable=True),
    sa.Column("urgency", sa.SmallInteger, nullable=True),
    sa.Column("sort_title", sa.String(200), nullable=True),
    sa.Index("idx_task_tag_link_task", "task_id"),
    sa.Index("idx_task_tag_link_tag", "tag_id"),
)

# Fixed-window counters of the rate limits and login-failure budgets, shared by every worker and
# host when there is no Redis (adapters/rate_limit/sql.py). Keys are hashes of fixed size.
rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("window_ends", UtcDateTime, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Index("idx_rate_limits_window_ends", "window_ends"),
)

# Deleted tasks, for delta sync: written by a trigger on every task deletion (migration 0005),
# read by the change feed, dropped after SYNC_TOMBSTONE_DAYS. `change_seq` is an xid8 on
# Postgres (the deleting transaction) and a counter on SQLite; queries cast it to an integer.
# `tasks.change_seq` is not declared on `tasks` for the same reason: only the feed reads it.
task_tombstones = sa.Table(
    "task_tombstones",
    metadata,
    sa.Column("task_id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Uuid, nullable=False),
    sa.Column("deleted_at", UtcDateTime, nullable=False),
    sa.Column("change_seq", sa.BigInteger, nullable=False),
)

# Idempotency keys of the create endpoints (application/idempotency.py): the outcome a retry
# with the same key gets back, stored in the create's own transaction.
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status", sa.SmallInteger, nullable=True),
    sa.Column("body", sa.LargeBinary, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index("idx_idempotency_keys_created_at", "created_at"),
)

# Single-use tokens sent by email (application/auth/one_time.py): only their SHA-256 digest.
one_time_tokens = sa.Table(
    "one_time_tokens",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("purpose", sa.String(20), nullable=False),
    sa.Column("new_email", sa.String(254), nullable=True),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("used_at", UtcDateTime, nullable=True),
    sa.Index("idx_one_time_tokens_user_id_purpose", "user_id", "purpose"),
)

# Account mail waiting to be sent (application/mail.py, ADR 0017): written in the transaction
# of the change that owes it, deleted once sent. `next_attempt_at` is NULL once given up.
mail_outbox = sa.Table(
    "mail_outbox",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("address", sa.String(254), nullable=False),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    sa.Column("new_address", sa.String(254), nullable=True),
    # The task a reminder mail is about; the mail is dropped if the task is gone by then.
    sa.Column("task_id", sa.Integer, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", UtcDateTime, nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Index("idx_mail_outbox_next_attempt_at", "next_attempt_at"),
    sqlite_autoincrement=True,  # ids are never reused (migration 0013)
)

# Recovery codes of two-factor authentication: SHA-256 digests, each usable once.
mfa_recovery_codes = sa.Table(
    "mfa_recovery_codes",
    metadata,
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("digest", sa.String(64), primary_key=True),
)

# 64-bit on Postgres; SQLite's rowid alias must be declared INTEGER (and is 64-bit anyway).
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# The outbox of task and tag events (application/events.py, SPEC 15): written in the change's
# transaction; `seq` orders them (the event stream's ids); the worker fans them out to webhooks.
events = sa.Table(
    "events",
    metadata,
    sa.Column("seq", _BIG_ID, sa.Identity(), primary_key=True),
    sa.Column("id", sa.String(40), nullable=False),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("type", sa.String(30), nullable=False),
    sa.Column("occurred_at", UtcDateTime, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("dispatched_at", UtcDateTime, nullable=True),
    sa.UniqueConstraint("id", name="uq_events_id"),
    sa.Index("idx_events_user_id_seq", "user_id", "seq"),
    sa.Index(
        "idx_events_undispatched",
        "seq",
        postgresql_where=sa.text("dispatched_at IS NULL"),
        sqlite_where=sa.text("dispatched_at IS NULL"),
    ),
    sqlite_autoincrement=True,  # ids are never reused (migration 0013)
)

# Webhooks (application/webhooks/, SPEC 15) and their deliveries: one per event and subscribed
# webhook, claimed by workers with FOR UPDATE SKIP LOCKED.
webhooks = sa.Table(
    "webhooks",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("url", sa.String(2048), nullable=False),
    sa.Column("event_types", sa.JSON, nullable=False),
    sa.Column("description", sa.String(200), nullable=True),
    sa.Column("secret", sa.String(100), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("failing_since", UtcDateTime, nullable=True),
    sa.Column("disabled_at", UtcDateTime, nullable=True),
    sa.Column("disabled_reason", sa.String(200), nullable=True),
    sa.Index("idx_webhooks_user_id", "user_id"),
    sqlite_autoincrement=True,  # ids are never reused (migration 0013)
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", _BIG_ID, sa.Identity(), primary_key=True),
    sa.Column(
        "webhook_id", sa.Integer, sa.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "event_id", sa.String(40), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("event_type", sa.String(30), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime, nullable=True),
    sa.Column("last_attempt_at", UtcDateTime, nullable=True),
    sa.Column("response_status", sa.Integer, nullable=True),
    sa.Column("duration_ms", sa.Integer, nullable=True),
    sa.Column("error", sa.String(500), nullable=True),
    sa.Column("response", sa.String(1024), nullable=True),
    sa.Index("idx_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
    sa.Index(
        "idx_webhook_deliveries_due",
        "next_attempt_at",
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    ),
    sqlite_autoincrement=True,  # ids are never reused (migration 0013)
)

# Personal API tokens (domain/api_token.py, SPEC 16): found by `lookup` (the token's first
# random characters), checked against `digest` (SHA-256); the token itself is never stored.
api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("lookup", sa.String(16), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("scopes", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("last_used_at", UtcDateTime, nullable=True),
    sa.UniqueConstraint("lookup", name="uq_api_tokens_lookup"),
    sa.Index("idx_api_tokens_user_id", "user_id"),
    sqlite_autoincrement=True,  # ids are never reused (migration 0013)
)
