"""Ports: what the use cases need from the outside world, named by role."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from todo_api.application.auth.one_time import OneTimeToken, TokenPurpose
from todo_api.application.changes import ChangeBatch, SyncPosition
from todo_api.application.events import Event
from todo_api.application.listing import Page, Position, TaskQuery
from todo_api.application.mail import MailJob, MailKind, Message
from todo_api.application.outcome import Outcome
from todo_api.application.rates import Rate, RateDecision
from todo_api.application.reminders import DueReminder
from todo_api.application.tasks.task_view import TaskView
from todo_api.application.webhooks.model import (
    DeliveryAttempt,
    DeliveryJob,
    NewWebhook,
    SendResult,
    Webhook,
)
from todo_api.domain.api_token import ApiToken
from todo_api.domain.email import Email
from todo_api.domain.ids import SessionId, TagId, TaskId, UserId
from todo_api.domain.session import Session
from todo_api.domain.tag import NewTag, Tag
from todo_api.domain.task import NewTask, Task
from todo_api.domain.user import User

__all__ = [
    "AccessClaims",
    "Clock",
    "DeviceClaims",
    "EventOutbox",
    "IssuedToken",
    "MailOutbox",
    "MailTemplates",
    "Mailer",
    "OneTimePasswords",
    "OneTimeTokenRepository",
    "PasswordBlocklist",
    "PasswordHasher",
    "RateLimiter",
    "RecoveryCodeRepository",
    "RefreshClaims",
    "SessionRepository",
    "TagRepository",
    "TaskRepository",
    "TokenService",
    "UnitOfWork",
    "UserRepository",
    "WebhookQueue",
    "WebhookRepository",
    "WebhookSender",
]


class UserRepository(Protocol):
    @abstractmethod
    async def add(self, user: User) -> None:
        """Store a new user; raise EmailAlreadyExists when the email is taken."""

    @abstractmethod
    async def get(self, user_id: UserId) -> User | None:
        """Return the user with this id, or None."""

    @abstractmethod
    async def get_by_email(self, email: Email) -> User | None:
        """Return the user with this normalised email, or None."""

    @abstractmethod
    async def update(self, user: User) -> None:
        """Write every field of the user but id and created_at back; raise
        EmailAlreadyExists when a new email is taken."""

    @abstractmethod
    async def delete(self, user_id: UserId) -> None:
        """Delete the user and everything of theirs: sessions, tasks, tags, tokens, mail."""

    @abstractmethod
    async def advance_mfa_step(self, user_id: UserId, step: int) -> bool:
        """Record `step` as the user's last accepted TOTP step if it is later than the one
        recorded, in one conditional write; say whether it was (two concurrent uses of one
        code: one True)."""


class SessionRepository(Protocol):
    @abstractmethod
    async def add(self, session: Session) -> None:
        """Store a new session."""

    @abstractmethod
    async def get(self, session_id: SessionId) -> Session | None:
        """Return the session with this id, live or not, or None."""

    @abstractmethod
    async def get_with_user(self, session_id: SessionId) -> tuple[Session, User] | None:
        """The session, live or not, and its user, in one lookup; None when either is gone."""

    @abstractmethod
    async def live_session_user(
        self, session_id: SessionId, user_id: UserId, now: datetime
    ) -> tuple[User, datetime] | None:
        """The session's user and the session's expiry, if the session is live and is that
        user's, in one lookup."""

    @abstractmethod
    async def list_live(self, user_id: UserId, now: datetime) -> list[Session]:
        """Return the user's unrevoked, unexpired sessions, newest first."""

    @abstractmethod
    async def save_rotation(self, session: Session, expected_jti: str) -> bool:
        """Store a rotated session only if its refresh id is still `expected_jti`.

        This compare-and-set is what makes rotation atomic: of two concurrent rotations of the
        same token, exactly one sees True.
        """

    @abstractmethod
    async def revoke(self, session_id: SessionId, now: datetime) -> None:
        """Mark the session revoked (no-op when it already is)."""

    @abstractmethod
    async def revoke_all(
        self, user_id: UserId, now: datetime, *, keep: SessionId | None = None
    ) -> int:
        """Revoke every live session of the user except `keep`; return how many."""


class TaskRepository(Protocol):
    @abstractmethod
    async def add(self, task: NewTask) -> Task:
        """Store a new task and its tag links; return it with its id."""

    @abstractmethod
    async def get(self, user_id: UserId, task_id: TaskId) -> Task | None:
        """The user's task with its tags, or None (another user's task is None too)."""

    @abstractmethod
    async def update(
        self,
        task: Task,
        *,
        tags_changed: bool,
        reminders_changed: bool = False,
        expected_version: int | None = None,
    ) -> bool:
        """Write the task's fields back and bump its version (into `task.version`); with
        `tags_changed`, make its links match `task.tags`; with `reminders_changed`, make the
        reminder schedule match `task.reminder_times()` (see `ReminderSchedule`).

        With `expected_version`, write only if the stored version is still that one. Say whether
        a row was written.
        """

    @abstractmethod
    async def delete(
        self, user_id: UserId, task_id: TaskId, expected_version: int | None = None
    ) -> bool:
        """Delete the user's task and its links (only at `expected_version`, if given); say
        whether one was deleted."""

    @abstractmethod
    async def link(self, task_id: TaskId, tag_id: TagId) -> bool:
        """Link a tag to a task; say whether the link is new."""

    @abstractmethod
    async def unlink(self, task_id: TaskId, tag_id: TagId) -> bool:
        """Remove a link; say whether there was one."""

    @abstractmethod
    async def search(self, user_id: UserId, query: TaskQuery) -> Page[TaskView]:
        """One page of the user's tasks as views, with tags, in a bounded number of queries.

        Filters as `query` says; `search` is a case-insensitive substring of title or
        description with `%` and `_` literal; order by the sort field, ties broken by id.
        """

    @abstractmethod
    async def scan(
        self, user_id: UserId, query: TaskQuery, after: Position | None
    ) -> list[tuple[TaskView, Position]]:
        """Up to `query.limit + 1` task views that come after `after` in the query's order, each
        with its position (`query.page` is ignored).

        The cost must not grow with the user's number of tasks: the store walks an index from
        the position and stops after the rows it returns.
        """

    @abstractmethod
    async def changes(
        self, user_id: UserId, after: SyncPosition, limit: int, deletions_from: int | None
    ) -> ChangeBatch:
        """Up to `limit + 1` changed tasks and as many deleted ids whose change comes after
        `after`, each with its position, in position order, and the horizon: every change
        numbered below it is final, every change to come will be numbered at or above it.
        Only changes below the horizon are returned; deletions only from number
        `deletions_from` (none when None).

        Every store write of a task (fields, links, a tag deleted from it) and every deletion
        takes a new number; numbers follow commit order as far as a reader can tell.
        """

    @abstractmethod
    async def all_day(self, user_id: UserId) -> list[Task]:
        """The user's tasks with an all-day due date, by id."""

    @abstractmethod
    async def forget_deletions(self, user_id: UserId | None, before: datetime) -> None:
        """Drop the records of deletions made before `before`: the user's, or everyone's
        when None (the worker's periodic purge)."""


class TagRepository(Protocol):
    @abstractmethod
    async def add(self, tag: NewTag) -> Tag:
        """Store a new tag and return it with its id; raise TagAlreadyExists on a name taken."""

    @abstractmethod
    async def get(self, user_id: UserId, tag_id: TagId) -> Tag | None:
        """The user's tag, or None."""

    @abstractmethod
    async def get_by_name(self, user_id: UserId, name: str) -> Tag | None:
        """The user's tag with this name, compared case-insensitively, or None."""

    @abstractmethod
    async def find(self, user_id: UserId, tag_ids: list[TagId]) -> list[Tag]:
        """Those of the ids that are the user's tags."""

    @abstractmethod
    async def list_by_name(self, user_id: UserId) -> list[Tag]:
        """All the user's tags by name (case-insensitively), then id."""

    @abstractmethod
    async def update(self, tag: Tag, expected_version: int | None = None) -> bool:
        """Write name and colour back and bump the version (into `tag.version`), only at
        `expected_version` if given; say whether a row was written. Raise TagAlreadyExists on
        a name taken in any case."""

    @abstractmethod
    async def delete(
        self, user_id: UserId, tag_id: TagId, expected_version: int | None = None
    ) -> bool:
        """Delete the user's tag and its links, not its tasks (only at `expected_version`, if
        given); say whether one was deleted."""


class IdempotencyRepository(Protocol):
    @abstractmethod
    async def claim(
        self,
        user_id: UserId,
        key: str,
        fingerprint: str,
        now: datetime,
        *,
        expired_before: datetime,
    ) -> tuple[str, Outcome] | None:
        """Take the user's key for this transaction and return None; or, when the key is
        already taken (by a commit since `expired_before`), return its fingerprint and outcome.

        A claim made while another transaction holds the same key waits for it to end. Keys
        taken before `expired_before` are free again.
        """

    @abstractmethod
    async def record(self, user_id: UserId, key: str, outcome: Outcome) -> None:
        """Store the outcome of the key claimed in this transaction."""


class OneTimeTokenRepository(Protocol):
    @abstractmethod
    async def add(self, token: OneTimeToken) -> None:
        """Store a token's digest."""

    @abstractmethod
    async def find(self, digest: str, purpose: TokenPurpose, now: datetime) -> OneTimeToken | None:
        """The unused, unexpired token with this digest and purpose, or None."""

    @abstractmethod
    async def consume(
        self, digest: str, purpose: TokenPurpose, now: datetime
    ) -> OneTimeToken | None:
        """Use the token up and return it, if it was unused and unexpired; else None. Of two
        concurrent consumers of one token, one gets it."""

    @abstractmethod
    async def discard(self, user_id: UserId, purpose: TokenPurpose) -> None:
        """Forget the user's unused tokens of this purpose."""


class MailOutbox(Protocol):
    @abstractmethod
    async def enqueue(
        self,
        kind: MailKind,
        address: Email,
        now: datetime,
        *,
        user_id: UserId | None = None,
        new_address: Email | None = None,
        task_id: TaskId | None = None,
    ) -> None:
        """Queue a message to send, in this transaction."""

    @abstractmethod
    async def claim(self, now: datetime, limit: int) -> list[MailJob]:
        """Up to `limit` due jobs that no other transaction holds, oldest first, each with
        one more attempt counted and hidden from other claims for `retry_delay(attempts)`."""

    @abstractmethod
    async def finish(self, job_id: int) -> None:
        """Forget a job: its message was sent, or there was none to send."""

    @abstractmethod
    async def backlog(self, now: datetime) -> int:
        """Jobs due now: what waits for a worker."""

    @abstractmethod
    async def fail(self, job_id: int, error: str, *, give_up: bool) -> None:
        """Record why an attempt failed; with `give_up`, claim the job never again."""


class EventOutbox(Protocol):
    @abstractmethod
    async def record(self, event: Event) -> None:
        """Store the event in this transaction: it exists if and only if the change commits."""

    @abstractmethod
    async def purge(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` events that happened before `before` and were fanned out
        (their deliveries go with them); how many."""

    @abstractmethod
    async def last_number(self, user_id: UserId) -> int:
        """The number of the user's newest event (0 when none)."""

    @abstractmethod
    async def since(self, user_id: UserId, after: int, limit: int) -> list[tuple[int, Event]]:
        """Up to `limit` of the user's committed events numbered above `after`, each with its
        number, in order."""


class WebhookRepository(Protocol):
    @abstractmethod
    async def add(self, webhook: NewWebhook) -> Webhook:
        """Store a new webhook, enabled; return it with its id."""

    @abstractmethod
    async def get(self, user_id: UserId, webhook_id: int) -> Webhook | None:
        """The user's webhook, or None (another user's too)."""

    @abstractmethod
    async def owned_by(self, user_id: UserId) -> list[Webhook]:
        """The user's webhooks, oldest first."""

    @abstractmethod
    async def update(self, webhook: Webhook) -> None:
        """Write url, events, description, enabled and the failure fields back."""

    @abstractmethod
    async def delete(self, user_id: UserId, webhook_id: int) -> bool:
        """Delete the user's webhook and its deliveries; say whether there was one."""

    @abstractmethod
    async def deliveries(self, webhook_id: int, limit: int) -> list[DeliveryAttempt]:
        """The webhook's latest deliveries, newest first."""


class WebhookQueue(Protocol):
    """Deliveries: one per event and subscribed webhook, claimed by any number of workers."""

    @abstractmethod
    async def fan_out(self, now: datetime, limit: int) -> int:
        """Take up to `limit` events not yet fanned out (none another transaction holds),
        queue a delivery for each enabled webhook of their user that subscribes to their
        type, and mark them fanned out; how many events."""

    @abstractmethod
    async def enqueue(self, webhook_id: int, event_id: str, now: datetime) -> None:
        """Queue a delivery of a stored event to one webhook."""

    @abstractmethod
    async def claim(self, now: datetime, limit: int) -> list[DeliveryJob]:
        """Up to `limit` due deliveries no other transaction holds, oldest first, of enabled
        webhooks (and test pings of any), each with one
        more attempt counted and hidden from other claims for ATTEMPT_LEASE (a worker that
        dies mid-attempt leaves it to another after that)."""

    @abstractmethod
    async def settle(
        self, delivery_id: int, result: SendResult, now: datetime, retry_at: datetime | None
    ) -> None:
        """Record an attempt: delivered; or to retry at `retry_at`; or failed for good (None)."""

    @abstractmethod
    async def backlog(self, now: datetime) -> tuple[int, int]:
        """Events not yet fanned out, and deliveries due now: what waits for a worker."""

    @abstractmethod
    async def fail_pending(self, webhook_id: int, reason: str) -> None:
        """Give up every pending delivery of a webhook, with `reason` as their error."""


class ReminderSchedule(Protocol):
    """When each task's reminders go off, across users: the worker's queue.

    The task repository keeps it (`add`, `update` with `reminders_changed`): a reminder given a
    new time is due again at that time, unless the time has already passed when it is set (a
    reminder set in the past does not go off; its task's `updated_at` is the moment of setting).
    """

    @abstractmethod
    async def claim(self, now: datetime, limit: int) -> list[DueReminder]:
        """Up to `limit` reminders due by `now` that have not gone off at their time, none held
        by another transaction (this one holds them until it ends), earliest first."""

    @abstractmethod
    async def mark_fired(self, due: DueReminder) -> None:
        """The reminder went off at `due.remind_at` (or was passed over: its task is done)."""

    @abstractmethod
    async def backlog(self, now: datetime) -> int:
        """Reminders due by `now` that have not gone off."""


class ApiTokenRepository(Protocol):
    @abstractmethod
    async def add(self, token: ApiToken) -> ApiToken:
        """Store a new token (its `id` is ignored) and return it with its id."""

    @abstractmethod
    async def find(self, lookup: str) -> tuple[ApiToken, User] | None:
        """The token with this lookup part and its owner, or None."""

    @abstractmethod
    async def list(self, user_id: UserId) -> list[ApiToken]:
        """The user's tokens, newest first."""

    @abstractmethod
    async def delete(self, user_id: UserId, token_id: int) -> bool:
        """Delete the user's token; say whether there was one."""

    @abstractmethod
    async def touch(self, token_id: int, now: datetime) -> None:
        """Record that the token was used at `now`."""


class UnitOfWork(Protocol):
    users: UserRepository
    sessions: SessionRepository
    tasks: TaskRepository
    tags: TagRepository
    idempotency: IdempotencyRepository
    one_time_tokens: OneTimeTokenRepository
    mail: MailOutbox
    recovery_codes: RecoveryCodeRepository
    events: EventOutbox
    webhooks: WebhookRepository
    webhook_queue: WebhookQueue
    reminders: ReminderSchedule
    api_tokens: ApiTokenRepository

    @abstractmethod
    async def __aenter__(self) -> Self:
        """Begin a transaction."""

    @abstractmethod
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the transaction, rolling back whatever was not committed."""

    @abstractmethod
    async def commit(self) -> None:
        """Make the transaction's changes durable."""


class PasswordHasher(Protocol):
    @abstractmethod
    async def hash(self, password: str) -> str:
        """Return a salted hash of the password, computed off the event loop."""

    @abstractmethod
    async def verify(self, password: str, password_hash: str | None) -> bool:
        """Check a password against a hash; with None, spend the same work and return False."""


class PasswordBlocklist(Protocol):
    @abstractmethod
    def is_common(self, password: str, user_inputs: Sequence[str] = ()) -> bool:
        """Whether the password is common, breached, or guessable from `user_inputs` (the
        user's email and name)."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    jti: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UserId
    session_id: SessionId
    email: str
    jti: str


@dataclass(frozen=True, slots=True)
class DeviceClaims:
    """A device that logged in to the account before: its owner's user id and the device id."""

    user_id: UserId
    device_id: str


@dataclass(frozen=True, slots=True)
class RefreshClaims:
    user_id: UserId
    session_id: SessionId
    jti: str


class TokenService(Protocol):
    @abstractmethod
    def issue_access(self, user: User, session_id: SessionId) -> IssuedToken:
        """Sign a short-lived access token for the user's session."""

    @abstractmethod
    def issue_refresh(self, session: Session) -> IssuedToken:
        """Sign a refresh token carrying the session's current refresh id as its jti."""

    @abstractmethod
    def decode_access(self, token: str) -> AccessClaims:
        """Verify an access token; raise TokenExpired, InvalidToken or InvalidTokenType."""

    @abstractmethod
    def issue_device(self, user: User) -> IssuedToken:
        """Sign a long-lived token naming a device that logged in to the user's account."""

    @abstractmethod
    def decode_device(self, token: str) -> DeviceClaims:
        """Verify a device token; raise TokenExpired, InvalidToken or InvalidTokenType."""

    @abstractmethod
    def decode_refresh(self, token: str) -> RefreshClaims:
        """Verify a refresh token; raise TokenExpired, InvalidToken or InvalidTokenType."""

    @abstractmethod
    def issue_mfa(self, user: User) -> IssuedToken:
        """Sign a five-minute token saying the user gave the right password, for the second
        factor to complete the login."""

    @abstractmethod
    def decode_mfa(self, token: str) -> UserId:
        """The user of an MFA token; raise TokenExpired, InvalidToken or InvalidTokenType."""


class OneTimePasswords(Protocol):
    """Time-based one-time passwords (RFC 6238): 6 digits, 30-second steps."""

    @abstractmethod
    def new_secret(self) -> str:
        """A new random secret (base32)."""

    @abstractmethod
    def uri(self, secret: str, account: str) -> str:
        """The otpauth:// URI an authenticator app reads (as a QR code) to add the account."""

    @abstractmethod
    def step_of(self, secret: str, code: str, now: datetime) -> int | None:
        """The time step whose code `code` is, within one step of now's either way; None
        when it is no such code."""


class RecoveryCodeRepository(Protocol):
    @abstractmethod
    async def replace(self, user_id: UserId, digests: Sequence[str]) -> None:
        """Make these the user's recovery codes (digests), dropping any before."""

    @abstractmethod
    async def consume(self, user_id: UserId, digest: str) -> bool:
        """Use up one of the user's codes; say whether it was one."""


class Clock(Protocol):
    @abstractmethod
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""


class RateLimiter(Protocol):
    @abstractmethod
    async def hit(self, key: str, rate: Rate) -> RateDecision:
        """Count one event under key, atomically, and say whether it stays within the rate.

        Counting first and deciding on the new count is what lets a caller reserve an attempt
        before doing the work: concurrent callers can never together overshoot the rate.
        """

    @abstractmethod
    async def reset(self, key: str) -> None:
        """Forget the events counted under key."""


class Mailer(Protocol):
    @abstractmethod
    async def send(self, message: Message) -> None:
        """Hand the message to the mail system; raise MailNotSent when it is refused or
        cannot be reached."""


class MailTemplates(Protocol):
    @abstractmethod
    def render(self, kind: MailKind, to: Email, values: dict[str, str]) -> Message:
        """The message of this kind to `to`, plain text and HTML, with `values` filled in."""


class WebhookSender(Protocol):
    @abstractmethod
    async def check(self, url: str) -> None:
        """Raise InvalidWebhookUrl unless the URL's host resolves to allowed addresses only."""

    @abstractmethod
    async def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        """POST the body once, to an address checked as `check` does and pinned for the
        connection, following no redirect, within a deadline; never raises."""
