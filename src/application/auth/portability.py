"""The user's own data: all of it as one document, or none of it anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.principal import Principal
from todo_api.application.auth.throttle import FailureBudget
from todo_api.application.errors import SessionRevoked
from todo_api.application.listing import MAX_LIMIT, Position, SortField, TaskQuery
from todo_api.application.ports import (
    Clock,
    PasswordHasher,
    RateLimiter,
    TokenService,
    UnitOfWork,
)
from todo_api.application.tasks.task_view import TaskView
from todo_api.domain.session import Session
from todo_api.domain.tag import Tag
from todo_api.domain.user import User

__all__ = ["AccountExport", "DeleteAccount", "DeleteAccountCommand", "ExportAccount"]


@dataclass(frozen=True, slots=True)
class AccountExport:
    """What a data-portability request gets: the profile, every task and tag, the live
    sessions. Never a password hash, TOTP secret or token."""

    exported_at: datetime
    user: User
    tasks: list[TaskView]
    tags: list[Tag]
    sessions: list[Session]


class ExportAccount:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal) -> AccountExport:
        principal.require(None)  # a signed-in session only, never an API token
        now = self._clock.now()
        # Oldest first, a page at a time along the creation index: any number of tasks.
        query = TaskQuery(limit=MAX_LIMIT, sort=SortField.CREATED_AT, descending=False)
        tasks: list[TaskView] = []
        after: Position | None = None
        async with self._uow as uow:
            user = await uow.users.get(principal.user_id)
            if user is None:
                raise SessionRevoked
            while True:
                found = await uow.tasks.scan(user.id, query, after)
                tasks += [task for task, _ in found[:MAX_LIMIT]]
                if len(found) <= MAX_LIMIT:
                    break
                after = found[MAX_LIMIT - 1][1]
            tags = await uow.tags.list_by_name(user.id)
            sessions = await uow.sessions.list_live(user.id, now)
        return AccountExport(now, user, tasks, tags, sessions)


@dataclass(frozen=True, slots=True)
class DeleteAccountCommand:
    password: str = field(repr=False)
    device_token: str | None = field(default=None, repr=False)


class DeleteAccount:
    """Delete the caller's account and everything of it; every token of it dies at once (each
    request checks its session, and the sessions are gone)."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        limiter: RateLimiter,
        tokens: TokenService,
        policy: SessionPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._budget = FailureBudget(limiter, tokens, policy.failed_logins_per_account)

    async def execute(self, principal: Principal, command: DeleteAccountCommand) -> None:
        """Raises WrongCurrentPassword or RateLimitExceeded."""
        principal.require(None)  # a signed-in session only, never an API token
        await self._budget.check_password(
            self._hasher, principal.user, command.password, command.device_token
        )
        async with self._uow as uow:
            await uow.users.delete(principal.user_id)
            await uow.commit()
