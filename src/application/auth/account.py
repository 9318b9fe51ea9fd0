"""The caller's own account: reading it, renaming, changing the password."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from todo_api.application.auth.passwords import check_new_password
from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.principal import Principal
from todo_api.application.auth.throttle import FailureBudget
from todo_api.application.errors import SessionRevoked
from todo_api.application.events import Event, EventType
from todo_api.application.ports import (
    Clock,
    PasswordBlocklist,
    PasswordHasher,
    RateLimiter,
    TokenService,
    UnitOfWork,
)
from todo_api.application.unset import UNSET, Unset
from todo_api.domain.timezone import TimeZoneName
from todo_api.domain.user import DisplayName, User

__all__ = ["ChangePassword", "ChangePasswordCommand", "UpdateProfile"]


class UpdateProfile:
    """Change the caller's display name (None clears it) or time zone; UNSET leaves one be."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self,
        principal: Principal,
        name: DisplayName | Unset | None = UNSET,
        timezone: TimeZoneName | Unset = UNSET,
    ) -> User:
        principal.require(None)  # a signed-in session only, never an API token
        async with self._uow as uow:
            user = await uow.users.get(principal.user_id)
            if user is None:
                raise SessionRevoked
            now = self._clock.now()
            if not isinstance(name, Unset):
                user.rename(name, now)
            if not isinstance(timezone, Unset) and timezone != user.timezone:
                before, after = user.timezone, TimeZoneName(timezone)
                # An all-day date is a day where the user lives: it moves with them, a change
                # of each task like any other (its reminders, its event, its place in sync).
                for task in await uow.tasks.all_day(user.id):
                    assert task.due_date is not None
                    scheduled = task.reminder_times()
                    moved = _same_day(task.due_date, before, after)
                    task.apply(replace(task.fields(), due_date=moved), now, after)
                    await uow.tasks.update(
                        task,
                        tags_changed=False,
                        reminders_changed=task.reminder_times() != scheduled,
                    )
                    await uow.events.record(Event.about_task(EventType.TASK_UPDATED, task, now))
                user.move_to(after, now)
            await uow.users.update(user)
            await uow.commit()
        return user


@dataclass(frozen=True, slots=True)
class ChangePasswordCommand:
    current_password: str = field(repr=False)
    new_password: str = field(repr=False)
    device_token: str | None = field(default=None, repr=False)


class ChangePassword:
    """Replace the caller's password and end every other session of theirs.

    Checking the current password draws on the account's failure budget, as a login does: a
    stolen session cannot be used to guess the password (auth/throttle.py).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        blocklist: PasswordBlocklist,
        clock: Clock,
        limiter: RateLimiter,
        tokens: TokenService,
        policy: SessionPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._blocklist = blocklist
        self._clock = clock
        self._budget = FailureBudget(limiter, tokens, policy.failed_logins_per_account)

    async def execute(self, principal: Principal, command: ChangePasswordCommand) -> None:
        principal.require(None)  # a signed-in session only, never an API token
        user_inputs = [
            principal.user.email.value,
            *([principal.user.name] if principal.user.name else []),
        ]
        check_new_password(
            command.new_password, self._blocklist, field="new_password", user_inputs=user_inputs
        )
        async with self._uow as uow:
            user = await uow.users.get(principal.user_id)
        if user is None:
            raise SessionRevoked
        await self._budget.check_password(
            self._hasher, user, command.current_password, command.device_token
        )
        new_hash = await self._hasher.hash(command.new_password)
        now = self._clock.now()
        async with self._uow as uow:
            user.change_password(new_hash, now)
            await uow.users.update(user)
            await uow.sessions.revoke_all(user.id, now, keep=principal.session)
            await uow.commit()


def _same_day(due: datetime, before: TimeZoneName, after: TimeZoneName) -> datetime:
    """The start, in `after`, of the day `due` starts in `before`."""
    try:
        return after.start_of(before.day_of(due)).astimezone(UTC)
    except OverflowError:  # the calendar's first or last day: it stays where it is
        return due
