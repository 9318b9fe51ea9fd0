"""Account mail: what is queued, what is sent.

A change that owes the user a message queues a job in its own transaction (the mail outbox);
a delivery step turns each job into a message, minting its link token only then, and sends it.
So a message is never lost when the mail server is down, and a request does the same work
whether or not it leads to a message (ADR 0017).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import timedelta

from todo_api.domain.email import Email
from todo_api.domain.ids import TaskId, UserId

__all__ = ["MAX_ATTEMPTS", "MailJob", "MailKind", "MailNotSent", "Message", "retry_delay"]

# A job that failed this many times is given up (kept, with its last error, for an operator).
MAX_ATTEMPTS = 10


class MailKind(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a password
    CONFIRM_EMAIL_CHANGE = "confirm_email_change"
    EMAIL_CHANGE_NOTICE = "email_change_notice"
    TASK_REMINDER = "task_reminder"


class MailNotSent(Exception):
    """The mail system refused a message or could not be reached; the job is tried again."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MailJob:
    id: int
    kind: MailKind
    # Where the message goes: for a reset, the address typed, which may have no account.
    address: Email
    user_id: UserId | None = None
    # The address an email change moves to (CONFIRM_EMAIL_CHANGE, EMAIL_CHANGE_NOTICE).
    new_address: Email | None = None
    # The task a reminder is about (TASK_REMINDER).
    task_id: TaskId | None = None
    attempts: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    to: str
    subject: str
    text: str
    html: str = field(repr=False)


def retry_delay(attempts: int) -> timedelta:
    """How long a job claimed for the `attempts`-th time waits before it may be claimed again:
    30 s doubling to at most an hour (a delivery in progress holds it that long)."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))
