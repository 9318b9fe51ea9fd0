"""The library surface: every use case of the HTTP API, wired, for use in-process.

    async with TodoService.open(load_settings()) as todo:
        await todo.register("ann@example.com", "correct horse battery")
        tokens = await todo.log_in("ann@example.com", "correct horse battery")
        ann = await todo.authenticate(tokens.access.token)
        task = await todo.create_task(ann.user_id, TaskInput(title="Write the report"))

For tests, `TodoService.in_memory(clock=FixedClock(...))` runs the same rules on the in-memory
adapters. Every method raises only todo-api's errors (`todo_api.domain.errors.TodoApiError` and
its subclasses, each with its contract `code`); a database or Redis that cannot be reached is
`StorageUnavailable`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from todo_api.application.auth.account import ChangePasswordCommand
from todo_api.application.auth.api_tokens import IssuedApiToken
from todo_api.application.auth.email_change import EmailChangeCommand
from todo_api.application.auth.login import LogInCommand
from todo_api.application.auth.mfa import MfaLoginCommand, MfaSetup
from todo_api.application.auth.password_reset import ResetCommand
from todo_api.application.auth.portability import AccountExport, DeleteAccountCommand
from todo_api.application.auth.principal import Principal
from todo_api.application.auth.register import RegisterCommand
from todo_api.application.auth.tokens import TokenPair
from todo_api.application.events import Event
from todo_api.application.idempotency import Once, Replay
from todo_api.application.listing import CursorPage, Page, TaskListing
from todo_api.application.mail_delivery import Delivery
from todo_api.application.outcome import Outcome
from todo_api.application.ports import Clock
from todo_api.application.preconditions import IfMatch
from todo_api.application.sync import SyncPage
from todo_api.application.tags.manage import TagPatch
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.application.tasks.task_view import TaskView
from todo_api.application.unset import UNSET, Unset
from todo_api.application.webhooks.delivery import DeliveryRound
from todo_api.application.webhooks.manage import WebhookInput, WebhookPatch
from todo_api.application.webhooks.model import DeliveryAttempt, Webhook
from todo_api.domain.api_token import ApiToken, Scope, TokenName
from todo_api.domain.ids import SessionId, TagId, TaskId, UserId
from todo_api.domain.session import Session
from todo_api.domain.tag import Color, Tag, TagName
from todo_api.domain.task import Task
from todo_api.domain.timezone import TimeZoneName
from todo_api.domain.user import DisplayName, User
from todo_api.entrypoints.container import (
    Container,
    build_container,
    build_in_memory_container,
    close_container,
)
from todo_api.entrypoints.settings import Settings

__all__ = ["TodoService"]

T = TypeVar("T")


class TodoService:
    """A typed facade over the use cases of one wired container."""

    def __init__(self, container: Container) -> None:
        self.container = container

    @classmethod
    @asynccontextmanager
    async def open(cls, settings: Settings) -> AsyncIterator[TodoService]:
        """Wire the service from settings; close its pool and threads on exit.

        Migrations are not run here, as at the HTTP service's start-up: run
        `todo_api.entrypoints.migrations.upgrade()` (or `todo-api db upgrade`) first.
        """
        container = build_container(settings)
        try:
            yield cls(container)
        finally:
            await close_container(container)

    @classmethod
    def in_memory(cls, clock: Clock | None = None) -> TodoService:
        """The whole service on in-memory adapters; every time rule reads `clock`."""
        return cls(build_in_memory_container(clock))

    # Accounts and sessions

    async def register(self, email: str, password: str, name: DisplayName | None = None) -> User:
        """Create an account. Raises InvalidEmail, PasswordTooShort, PasswordTooLong,
        PasswordTooCommon, InvalidName or EmailAlreadyExists."""
        command = RegisterCommand(email=email, password=password, name=name)
        return await self.container.register_user().execute(command)

    async def log_in(
        self,
        email: str,
        password: str,
        user_agent: str | None = None,
        device_token: str | None = None,
    ) -> TokenPair:
        """Start a session. Raises InvalidCredentials or RateLimitExceeded; EmailNotVerified
        (REQUIRE_VERIFIED_EMAIL); MfaRequired for an account with two-factor authentication
        (finish with complete_mfa_login).

        Pass back the `device` token of an earlier login so that others' failed guesses at this
        account do not stop this client (docs/security.md).
        """
        command = LogInCommand(
            email=email, password=password, user_agent=user_agent, device_token=device_token
        )
        return await self.container.log_in().execute(command)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate a refresh token. Raises MissingRefreshToken, RefreshTokenExpired,
        InvalidToken, InvalidTokenType or RefreshTokenRevoked."""
        return await self.container.refresh_session().execute(refresh_token)

    async def log_out(self, refresh_token: str) -> None:
        """End the refresh token's session; silent on a bad or spent token."""
        await self.container.log_out().execute(refresh_token)

    async def log_out_everywhere(self, principal: Principal) -> int:
        """End every session of the caller; return how many were live."""
        return await self.container.log_out_everywhere().execute(principal)

    async def authenticate(self, access_token: str | None) -> Principal:
        """Who holds this access token or personal API token (`todo_pat_…`). Raises
        MissingToken, TokenExpired, InvalidToken, InvalidTokenType, SessionRevoked or
        RateLimitExceeded (a token's request budget)."""
        return await self.container.authenticate().execute(access_token)

    async def update_profile(
        self,
        principal: Principal,
        name: DisplayName | Unset | None = UNSET,
        timezone: TimeZoneName | Unset = UNSET,
    ) -> User:
        """Change the display name (None clears it) or the time zone (an IANA name, in which
        days, all-day dates and recurrences count); what is UNSET stays."""
        return await self.container.update_profile().execute(principal, name, timezone)

    async def change_password(
        self,
        principal: Principal,
        current_password: str,
        new_password: str,
        device_token: str | None = None,
    ) -> None:
        """Replace the password and end every other session. Raises WrongCurrentPassword
        (code INVALID_CREDENTIALS), RateLimitExceeded or the password rules' errors."""
        command = ChangePasswordCommand(
            current_password=current_password,
            new_password=new_password,
            device_token=device_token,
        )
        await self.container.change_password().execute(principal, command)

    async def verify_email(self, token: str) -> User:
        """Follow a verification link's token. Raises InvalidVerificationToken."""
        return await self.container.verify_email().execute(token)

    async def resend_verification(self, principal: Principal) -> None:
        """Queue another verification message. Raises RateLimitExceeded (3 an hour)."""
        await self.container.resend_verification().execute(principal)

    async def forgot_password(self, email: str) -> None:
        """Queue a reset link for the address: it is mailed only if an account has it, and
        nothing here says whether one does. Raises InvalidEmail or RateLimitExceeded."""
        await self.container.request_password_reset().execute(email)

    async def reset_password(self, token: str, new_password: str) -> None:
        """Set a new password with a reset link's token; every session ends. Raises
        InvalidResetToken or the password rules' errors."""
        await self.container.reset_password().execute(ResetCommand(token, new_password))

    async def request_email_change(
        self,
        principal: Principal,
        new_email: str,
        current_password: str,
        device_token: str | None = None,
    ) -> None:
        """Mail a confirmation link to `new_email` and a notice to the current address; the
        address changes when the link is followed. Raises InvalidEmail, WrongCurrentPassword,
        RateLimitExceeded or EmailAlreadyExists."""
        command = EmailChangeCommand(new_email, current_password, device_token)
        await self.container.request_email_change().execute(principal, command)

    async def confirm_email_change(self, token: str) -> User:
        """Follow the link sent to a new address. Raises InvalidVerificationToken or
        EmailAlreadyExists."""
        return await self.container.confirm_email_change().execute(token)

    async def set_up_mfa(self, principal: Principal) -> MfaSetup:
        """A new TOTP secret and its otpauth:// URI, in force once enable_mfa sees a code.
        Raises MfaAlreadyEnabled."""
        return await self.container.set_up_mfa().execute(principal)

    async def enable_mfa(self, principal: Principal, code: str) -> list[str]:
        """Turn two-factor authentication on; the ten single-use recovery codes. Raises
        MfaAlreadyEnabled or InvalidMfaCode."""
        return await self.container.enable_mfa().execute(principal, code)

    async def complete_mfa_login(
        self,
        mfa_token: str,
        code: str,
        user_agent: str | None = None,
        device_token: str | None = None,
    ) -> TokenPair:
        """The second step of a login that raised MfaRequired (its `mfa_token`): a TOTP code
        or a recovery code. Raises InvalidMfaCode, RateLimitExceeded, TokenExpired,
        InvalidToken or InvalidTokenType."""
        command = MfaLoginCommand(mfa_token, code, user_agent, device_token)
        return await self.container.complete_mfa_login().execute(command)

    async def disable_mfa(
        self, principal: Principal, password: str, code: str, device_token: str | None = None
    ) -> None:
        """Raises MfaNotEnabled, WrongCurrentPassword, InvalidMfaCode or RateLimitExceeded."""
        await self.container.disable_mfa().execute(principal, password, code, device_token)

    async def export_account(self, principal: Principal) -> AccountExport:
        """The profile, every task and tag, and the live sessions of the caller."""
        return await self.container.export_account().execute(principal)

    async def delete_account(
        self, principal: Principal, password: str, device_token: str | None = None
    ) -> None:
        """Delete the account and everything of it; its tokens stop working at once. Raises
        WrongCurrentPassword or RateLimitExceeded."""
        command = DeleteAccountCommand(password, device_token)
        await self.container.delete_account().execute(principal, command)

    async def deliver_mail(self, limit: int = 20) -> Counter[Delivery]:
        """Send up to `limit` queued messages now; how each ended. The HTTP server does this
        in the background; a process using only the library calls it (or runs the server)."""
        return await self.container.deliver_mail().execute(limit)

    async def create_api_token(
        self,
        principal: Principal,
        name: TokenName,
        scopes: frozenset[Scope],
        expires_in_days: int | None = None,
    ) -> IssuedApiToken:
        """A personal API token for scripts and agents (`secret`, shown this once), acting
        within `scopes` for `expires_in_days` (default 90, at most 366). Raises
        InsufficientScope (only a signed-in session makes tokens), InvalidTokenExpiry,
        TooManyApiTokens."""
        return await self.container.create_api_token().execute(
            principal, name, scopes, expires_in_days
        )

    async def list_api_tokens(self, principal: Principal) -> list[ApiToken]:
        """The caller's API tokens, newest first, without their secrets."""
        return await self.container.list_api_tokens().execute(principal)

    async def revoke_api_token(self, principal: Principal, token_id: int) -> None:
        """Delete an API token; its next request is refused. Raises ApiTokenNotFound."""
        await self.container.revoke_api_token().execute(principal, token_id)

    async def list_sessions(self, principal: Principal) -> list[Session]:
        """The caller's live sessions, newest first."""
        return await self.container.list_sessions().execute(principal)

    async def revoke_session(self, principal: Principal, session_id: SessionId) -> None:
        """End one of the caller's sessions. Raises SessionNotFound."""
        await self.container.revoke_session().execute(principal, session_id)

    # Tasks

    async def create_task(
        self, user_id: UserId, data: TaskInput, idempotency_key: str | None = None
    ) -> Task:
        """Raises the field errors (InvalidTitle, ...) or TagNotFound. With `idempotency_key`,
        a retry with the same data returns the task the first call created (as it is now)
        instead of creating another; other data with the same key raises
        IdempotencyKeyReused."""
        create = self.container.create_task()
        once: Once[Task] | None = _once(idempotency_key, "create_task", data, _task_id)
        try:
            return await create.execute(user_id, data, once)
        except Replay as replay:
            return await self.get_task(user_id, TaskId(_replayed_id(replay)))

    async def get_task(self, user_id: UserId, task_id: TaskId) -> Task:
        """Raises TaskNotFound, also for another user's task."""
        return await self.container.get_task().execute(user_id, task_id)

    async def list_tasks(
        self, user_id: UserId, listing: TaskListing | None = None
    ) -> Page[TaskView]:
        """One page of the user's tasks, filtered and sorted as `listing` says."""
        return await self.container.list_tasks().execute(user_id, listing or TaskListing())

    async def list_tasks_by_cursor(
        self, user_id: UserId, listing: TaskListing | None = None, cursor: str = ""
    ) -> CursorPage[TaskView]:
        """The page after `cursor` ("" for the first) and the next page's cursor (None at the
        end). Use the same `listing` for every page; raises InvalidCursor otherwise."""
        return await self.container.list_tasks().by_cursor(
            user_id, listing or TaskListing(), cursor
        )

    async def sync_tasks(self, user_id: UserId, since: str = "", limit: int = 20) -> SyncPage:
        """Tasks changed and ids deleted since the token `since` ("" for everything), in commit
        order, and the token to send next time. Raises InvalidSyncToken, SyncTokenExpired."""
        return await self.container.sync_tasks().execute(user_id, since, limit)

    async def replace_task(
        self, user_id: UserId, task_id: TaskId, data: TaskInput, if_match: IfMatch | None = None
    ) -> Task:
        """Every field takes the given value or its default. Raises as create_task, and
        TaskNotFound; PreconditionFailed when `if_match` names another version."""
        return await self.container.replace_task().execute(user_id, task_id, data, if_match)

    async def update_task(
        self, user_id: UserId, task_id: TaskId, patch: TaskPatch, if_match: IfMatch | None = None
    ) -> Task:
        """Only the fields set in `patch` change; completing a recurring task creates the next.
        PreconditionFailed when `if_match` names another version."""
        return await self.container.patch_task().execute(user_id, task_id, patch, if_match)

    async def complete_task(self, user_id: UserId, task_id: TaskId) -> tuple[Task, Task | None]:
        """Mark the task done; return it and, for a recurring task, the next occurrence this
        created (None otherwise). Raises TaskNotFound."""
        return await self.container.complete_task().execute(user_id, task_id)

    async def snooze_reminder(
        self, user_id: UserId, task_id: TaskId, reminder_id: int, minutes: int
    ) -> Task:
        """Set one of the task's reminders to go off `minutes` (1 to 10,080) from now, again if
        it went off. Raises TaskNotFound, ReminderNotFound, InvalidReminder."""
        return await self.container.snooze_reminder().execute(
            user_id, task_id, reminder_id, minutes
        )

    async def fire_reminders(self, limit: int = 100) -> int:
        """Fire up to `limit` due reminders now (a task.reminder event, and mail to a verified
        address); how many were handled. The worker does this; a process using only the library
        calls it."""
        return await self.container.fire_reminders().execute(limit)

    async def delete_task(
        self, user_id: UserId, task_id: TaskId, if_match: IfMatch | None = None
    ) -> None:
        """Raises TaskNotFound; PreconditionFailed when `if_match` names another version."""
        await self.container.delete_task().execute(user_id, task_id, if_match)

    async def tag_task(
        self,
        user_id: UserId,
        task_id: TaskId,
        tag_id: TagId,
        idempotency_key: str | None = None,
    ) -> Task:
        """Link a tag to a task (no-op when linked). Raises TaskNotFound or TagNotFound;
        `idempotency_key` as for create_task."""
        assign = self.container.assign_tag()
        once: Once[tuple[Task, bool]] | None = _once(
            idempotency_key, "tag_task", (task_id, tag_id), lambda done: done[0].id
        )
        try:
            task, _ = await assign.execute(user_id, task_id, tag_id, once)
        except Replay as replay:
            return await self.get_task(user_id, TaskId(_replayed_id(replay)))
        return task

    async def untag_task(self, user_id: UserId, task_id: TaskId, tag_id: TagId) -> None:
        """Unlink a tag from a task (no-op when not linked). Raises TaskNotFound or TagNotFound."""
        await self.container.unassign_tag().execute(user_id, task_id, tag_id)

    async def events(
        self, user_id: UserId, after: int = 0, limit: int = 100
    ) -> list[tuple[int, Event]]:
        """The user's task and tag events numbered above `after`, oldest first, each with its
        number (pass the last one back to continue)."""
        return await self.container.list_events().execute(user_id, after, limit)

    # Webhooks

    async def create_webhook(self, user_id: UserId, data: WebhookInput) -> Webhook:
        """Subscribe a URL to event types; the webhook carries its signing secret (keep it:
        later reads show it too, but HTTP shows it only once). Raises InvalidWebhookUrl,
        InvalidEventType or TooManyWebhooks."""
        return await self.container.create_webhook().execute(user_id, data)

    async def list_webhooks(self, user_id: UserId) -> list[Webhook]:
        return await self.container.list_webhooks().execute(user_id)

    async def update_webhook(
        self, user_id: UserId, webhook_id: int, patch: WebhookPatch
    ) -> Webhook:
        """Raises WebhookNotFound, InvalidWebhookUrl or InvalidEventType."""
        return await self.container.update_webhook().execute(user_id, webhook_id, patch)

    async def delete_webhook(self, user_id: UserId, webhook_id: int) -> None:
        """Raises WebhookNotFound."""
        await self.container.delete_webhook().execute(user_id, webhook_id)

    async def webhook_deliveries(self, user_id: UserId, webhook_id: int) -> list[DeliveryAttempt]:
        """The latest 50 deliveries, newest first. Raises WebhookNotFound."""
        return await self.container.list_deliveries().execute(user_id, webhook_id)

    async def test_webhook(self, user_id: UserId, webhook_id: int) -> Event:
        """Queue a webhook.test event to this webhook. Raises WebhookNotFound."""
        return await self.container.test_webhook().execute(user_id, webhook_id)

    async def deliver_webhooks(self, limit: int = 50) -> DeliveryRound:
        """Fan out new events and attempt the due deliveries now (the worker's job); counts
        of `fanned_out`, `delivered`, `retrying`, `failed`."""
        return await self.container.deliver_webhooks().execute(limit)

    # Tags

    async def create_tag(
        self,
        user_id: UserId,
        name: TagName,
        color: Color | None = None,
        idempotency_key: str | None = None,
    ) -> Tag:
        """Raises TagAlreadyExists when the name is taken in any case; `idempotency_key` as
        for create_task."""
        create = self.container.create_tag()
        once: Once[Tag] | None = _once(
            idempotency_key, "create_tag", (name, color), lambda tag: tag.id
        )
        try:
            return await create.execute(user_id, name, color, once)
        except Replay as replay:
            return await self.get_tag(user_id, TagId(_replayed_id(replay)))

    async def list_tags(self, user_id: UserId) -> list[Tag]:
        """The user's tags by name, case-insensitively."""
        return await self.container.list_tags().execute(user_id)

    async def get_tag(self, user_id: UserId, tag_id: TagId) -> Tag:
        """Raises TagNotFound."""
        return await self.container.get_tag().execute(user_id, tag_id)

    async def update_tag(
        self, user_id: UserId, tag_id: TagId, patch: TagPatch, if_match: IfMatch | None = None
    ) -> Tag:
        """Raises TagNotFound, InvalidTagName, InvalidColor or TagAlreadyExists;
        PreconditionFailed when `if_match` names another version."""
        return await self.container.update_tag().execute(user_id, tag_id, patch, if_match)

    async def delete_tag(
        self, user_id: UserId, tag_id: TagId, if_match: IfMatch | None = None
    ) -> None:
        """Its links go, its tasks stay. Raises TagNotFound; PreconditionFailed when
        `if_match` names another version."""
        await self.container.delete_tag().execute(user_id, tag_id, if_match)


def _once(
    key: str | None, call: str, arguments: object, created: Callable[[T], int]
) -> Once[T] | None:
    """A library call made once per key; its outcome is the id of what it created."""
    if key is None:
        return None
    return Once(
        key=key,
        request=f"{call}{arguments!r}".encode(),
        render=lambda result: Outcome(0, str(created(result)).encode()),
    )


def _task_id(task: Task) -> int:
    return task.id


def _replayed_id(replay: Replay) -> int:
    return int(replay.outcome.body)
