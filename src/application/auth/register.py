"""Registering an account."""

from __future__ import annotations

from dataclasses import dataclass, field

from todo_api.application.auth.passwords import check_new_password
from todo_api.application.mail import MailKind
from todo_api.application.ports import Clock, PasswordBlocklist, PasswordHasher, UnitOfWork
from todo_api.domain.email import Email
from todo_api.domain.user import DisplayName, User

__all__ = ["RegisterCommand", "RegisterUser"]


@dataclass(frozen=True, slots=True)
class RegisterCommand:
    email: str
    password: str = field(repr=False)
    name: DisplayName | None = None


class RegisterUser:
    """Create an account: validate, hash off the loop, then store it, with the verification
    message queued, in one short transaction."""

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

    async def execute(self, command: RegisterCommand) -> User:
        email = Email.parse(command.email)
        check_new_password(command.password, self._blocklist, user_inputs=_inputs(email, command))
        # Hash before the transaction opens so no pooled connection waits on bcrypt.
        password_hash = await self._hasher.hash(command.password)
        user = User.register(
            email=email, password_hash=password_hash, name=command.name, now=self._clock.now()
        )
        async with self._uow as uow:
            await uow.users.add(user)
            await uow.mail.enqueue(
                MailKind.VERIFY_EMAIL, user.email, user.created_at, user_id=user.id
            )
            await uow.commit()
        return user


def _inputs(email: Email, command: RegisterCommand) -> list[str]:
    """What an attacker knows of the account: a password built from it is guessable."""
    local_part = email.value.split("@", 1)[0]
    return [email.value, local_part, *([str(command.name)] if command.name else [])]
