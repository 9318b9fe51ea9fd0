"""Repositories over plain dictionaries, honouring the same contract as the SQL ones."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from todo_api.application.auth.one_time import OneTimeToken
from todo_api.application.errors import EmailAlreadyExists
from todo_api.application.events import Event
from todo_api.application.mail import MailJob
from todo_api.application.outcome import Outcome
from todo_api.application.ports import IdempotencyRepository, SessionRepository, UserRepository
from todo_api.application.webhooks.model import DeliveryStatus, SendResult, Webhook
from todo_api.domain.api_token import ApiToken
from todo_api.domain.email import Email
from todo_api.domain.ids import SessionId, TagId, TaskId, UserId
from todo_api.domain.session import Session
from todo_api.domain.tag import Tag
from todo_api.domain.task import Task
from todo_api.domain.user import User

if TYPE_CHECKING:
    from todo_api.adapters.memory.reminders import ScheduledReminder


@dataclass
class InMemoryTables:
    users: dict[UserId, User] = field(default_factory=dict)
    sessions: dict[SessionId, Session] = field(default_factory=dict)
    tasks: dict[TaskId, Task] = field(default_factory=dict)
    tags: dict[TagId, Tag] = field(default_factory=dict)
    links: set[tuple[TaskId, TagId]] = field(default_factory=set)
    task_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    tag_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # The change feed: the last change number given, each task's, and each deletion's.
    change_clock: int = 0
    change_numbers: dict[TaskId, int] = field(default_factory=dict)
    tombstones: dict[TaskId, Tombstone] = field(default_factory=dict)
    idempotency: dict[tuple[UserId, str], IdempotencyRecord] = field(default_factory=dict)
    one_time_tokens: dict[str, StoredToken] = field(default_factory=dict)
    mail: dict[int, QueuedMail] = field(default_factory=dict)
    mail_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    recovery_codes: set[tuple[UserId, str]] = field(default_factory=set)
    # The event outbox, by number, and the numbers fanned out to webhooks.
    events: dict[int, Event] = field(default_factory=dict)
    event_numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    dispatched: set[int] = field(default_factory=set)
    webhooks: dict[int, Webhook] = field(default_factory=dict)
    webhook_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    deliveries: dict[int, StoredDelivery] = field(default_factory=dict)
    delivery_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # The reminder schedule by (task id, reminder id): memory/reminders.py.
    reminders: dict[tuple[TaskId, int], ScheduledReminder] = field(default_factory=dict)
    api_tokens: dict[int, ApiToken] = field(default_factory=dict)
    api_token_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def stamp(self, task_id: TaskId) -> None:
        self.change_clock += 1
        self.change_numbers[task_id] = self.change_clock

    def bury(self, task: Task) -> None:
        self.change_clock += 1
        self.change_numbers.pop(task.id, None)
        self.tombstones[task.id] = Tombstone(task.user_id, self.change_clock, datetime.now(UTC))


@dataclass
class StoredDelivery:
    webhook_id: int
    event_number: int
    status: DeliveryStatus
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: int = 0
    last_attempt_at: datetime | None = None
    result: SendResult | None = None


@dataclass
class StoredToken:
    token: OneTimeToken
    used_at: datetime | None = None


@dataclass
class QueuedMail:
    job: MailJob
    next_attempt_at: datetime | None
    last_error: str | None = None


@dataclass
class IdempotencyRecord:
    fingerprint: str
    created_at: datetime
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Tombstone:
    user_id: UserId
    number: int
    deleted_at: datetime


class InMemoryUserRepository(UserRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, user: User) -> None:
        if any(other.email == user.email for other in self._tables.users.values()):
            raise EmailAlreadyExists
        self._tables.users[user.id] = copy.copy(user)

    async def get(self, user_id: UserId) -> User | None:
        user = self._tables.users.get(user_id)
        return copy.copy(user) if user else None

    async def get_by_email(self, email: Email) -> User | None:
        found = next((u for u in self._tables.users.values() if u.email == email), None)
        return copy.copy(found) if found else None

    async def update(self, user: User) -> None:
        if any(o.email == user.email and o.id != user.id for o in self._tables.users.values()):
            raise EmailAlreadyExists
        if user.id in self._tables.users:
            self._tables.users[user.id] = copy.copy(user)

    async def advance_mfa_step(self, user_id: UserId, step: int) -> bool:
        user = self._tables.users.get(user_id)
        if user is None or not user.mfa_enabled:
            return False
        if user.mfa_last_step is not None and user.mfa_last_step >= step:
            return False
        user.mfa_last_step = step
        return True

    async def delete(self, user_id: UserId) -> None:
        tables = self._tables
        tables.users.pop(user_id, None)
        gone = {task_id for task_id, task in tables.tasks.items() if task.user_id == user_id}
        tables.sessions = {k: v for k, v in tables.sessions.items() if v.user_id != user_id}
        tables.tasks = {k: v for k, v in tables.tasks.items() if k not in gone}
        tables.tags = {k: v for k, v in tables.tags.items() if v.user_id != user_id}
        tables.links = {link for link in tables.links if link[1] in tables.tags}
        tables.change_numbers = {k: v for k, v in tables.change_numbers.items() if k not in gone}
        tables.tombstones = {k: v for k, v in tables.tombstones.items() if v.user_id != user_id}
        tables.idempotency = {k: v for k, v in tables.idempotency.items() if k[0] != user_id}
        tables.one_time_tokens = {
            k: v for k, v in tables.one_time_tokens.items() if v.token.user_id != user_id
        }
        tables.mail = {k: v for k, v in tables.mail.items() if v.job.user_id != user_id}
        tables.recovery_codes = {c for c in tables.recovery_codes if c[0] != user_id}
        tables.events = {n: e for n, e in tables.events.items() if e.user_id != user_id}
        tables.webhooks = {k: w for k, w in tables.webhooks.items() if w.user_id != user_id}
        tables.deliveries = {
            k: d for k, d in tables.deliveries.items() if d.webhook_id in tables.webhooks
        }
        tables.api_tokens = {k: t for k, t in tables.api_tokens.items() if t.user_id != user_id}


class InMemorySessionRepository(SessionRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, session: Session) -> None:
        self._tables.sessions[session.id] = copy.copy(session)

    async def get(self, session_id: SessionId) -> Session | None:
        session = self._tables.sessions.get(session_id)
        return copy.copy(session) if session else None

    async def get_with_user(self, session_id: SessionId) -> tuple[Session, User] | None:
        session = self._tables.sessions.get(session_id)
        user = self._tables.users.get(session.user_id) if session else None
        if session is None or user is None:
            return None
        return copy.copy(session), copy.copy(user)

    async def live_session_user(
        self, session_id: SessionId, user_id: UserId, now: datetime
    ) -> tuple[User, datetime] | None:
        session = self._tables.sessions.get(session_id)
        if session is None or session.user_id != user_id or not session.is_live(now):
            return None
        user = self._tables.users.get(user_id)
        return (copy.copy(user), session.expires_at) if user else None

    async def list_live(self, user_id: UserId, now: datetime) -> list[Session]:
        live = [
            copy.copy(s)
            for s in self._tables.sessions.values()
            if s.user_id == user_id and s.is_live(now)
        ]
        return sorted(live, key=lambda s: (s.created_at, s.id), reverse=True)

    async def save_rotation(self, session: Session, expected_jti: str) -> bool:
        stored = self._tables.sessions.get(session.id)
        if stored is None or stored.refresh_jti != expected_jti or stored.revoked_at is not None:
            return False
        self._tables.sessions[session.id] = copy.copy(session)
        return True

    async def revoke(self, session_id: SessionId, now: datetime) -> None:
        stored = self._tables.sessions.get(session_id)
        if stored is not None:
            stored.revoke(now)

    async def revoke_all(
        self, user_id: UserId, now: datetime, *, keep: SessionId | None = None
    ) -> int:
        ended = 0
        for session in self._tables.sessions.values():
            if session.user_id == user_id and session.id != keep and session.is_live(now):
                session.revoke(now)
                ended += 1
        return ended


class InMemoryIdempotencyRepository(IdempotencyRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def claim(
        self,
        user_id: UserId,
        key: str,
        fingerprint: str,
        now: datetime,
        *,
        expired_before: datetime,
    ) -> tuple[str, Outcome] | None:
        found = self._tables.idempotency.get((user_id, key))
        if found is not None and found.created_at >= expired_before and found.outcome:
            return found.fingerprint, found.outcome
        self._tables.idempotency[(user_id, key)] = IdempotencyRecord(fingerprint, now)
        return None

    async def record(self, user_id: UserId, key: str, outcome: Outcome) -> None:
        self._tables.idempotency[(user_id, key)].outcome = outcome
