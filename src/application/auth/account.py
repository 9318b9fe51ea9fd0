"""The caller's own account: reading it, renaming, changing the password."""

from __future__ import annotations

from dataclasses import dataclass, field

from todo_api.application.auth.passwords import check_new_password
from todo_api.application.auth.principal import Principal
from todo_api.application.errors import SessionRevoked, WrongCurrentPassword
from todo_api.application.ports import Clock, PasswordBlocklist, PasswordHasher, UnitOfWork
from todo_api.domain.user import DisplayName, User

__all__ = ["ChangePassword", "ChangePasswordCommand", "UpdateProfile"]


class UpdateProfile:
    """Change the caller's display name."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, name: DisplayName | None) -> User:
        async with self._uow as uow:
            user = await uow.users.get(principal.user_id)
            if user is None:
                raise SessionRevoked
            user.rename(name, self._clock.now())
            await uow.users.update(user)
            await uow.commit()
        return user


@dataclass(frozen=True, slots=True)
class ChangePasswordCommand:
    current_password: str = field(repr=False)
    new_password: str = field(repr=False)


class ChangePassword:
    """Replace the caller's password and end every other session of theirs."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        blocklist: PasswordBlocklist,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._blocklist = blocklist
        self._clock = clock

    async def execute(self, principal: Principal, command: ChangePasswordCommand) -> None:
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
        if not await self._hasher.verify(command.current_password, user.password_hash):
            raise WrongCurrentPassword
        new_hash = await self._hasher.hash(command.new_password)
        now = self._clock.now()
        async with self._uow as uow:
            user.change_password(new_hash, now)
            await uow.users.update(user)
            await uow.sessions.revoke_all(user.id, now, keep=principal.session_id)
            await uow.commit()
