"""Moving an account to another email address, confirmed from that address."""

from __future__ import annotations

from dataclasses import dataclass, field

from todo_api.application.auth.one_time import TokenPurpose, digest
from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.principal import Principal
from todo_api.application.auth.throttle import FailureBudget
from todo_api.application.errors import EmailAlreadyExists, InvalidVerificationToken
from todo_api.application.mail import MailKind
from todo_api.application.ports import (
    Clock,
    PasswordHasher,
    RateLimiter,
    TokenService,
    UnitOfWork,
)
from todo_api.domain.email import Email
from todo_api.domain.user import User

__all__ = ["ConfirmEmailChange", "EmailChangeCommand", "RequestEmailChange"]


@dataclass(frozen=True, slots=True)
class EmailChangeCommand:
    new_email: str
    current_password: str = field(repr=False)
    device_token: str | None = field(default=None, repr=False)


class RequestEmailChange:
    """Ask to move to another address: a link goes to it, a notice to the current one, and
    nothing changes until the link is followed."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        clock: Clock,
        limiter: RateLimiter,
        tokens: TokenService,
        policy: SessionPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._budget = FailureBudget(limiter, tokens, policy.failed_logins_per_account)

    async def execute(self, principal: Principal, command: EmailChangeCommand) -> None:
        """Raises InvalidEmail, WrongCurrentPassword, RateLimitExceeded or EmailAlreadyExists."""
        principal.require(None)  # a signed-in session only, never an API token
        new = Email.parse(command.new_email)
        user = principal.user
        await self._budget.check_password(
            self._hasher, user, command.current_password, command.device_token
        )
        if new == user.email:
            return
        now = self._clock.now()
        async with self._uow as uow:
            if await uow.users.get_by_email(new) is not None:
                raise EmailAlreadyExists
            await uow.mail.enqueue(
                MailKind.CONFIRM_EMAIL_CHANGE, user.email, now, user_id=user.id, new_address=new
            )
            await uow.mail.enqueue(
                MailKind.EMAIL_CHANGE_NOTICE, user.email, now, user_id=user.id, new_address=new
            )
            await uow.commit()


class ConfirmEmailChange:
    """Follow the link sent to the new address: the account moves to it, verified."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, token: str) -> User:
        """Raises InvalidVerificationToken (wrong, used, expired or superseded), or
        EmailAlreadyExists when another account took the address meanwhile."""
        now = self._clock.now()
        async with self._uow as uow:
            found = await uow.one_time_tokens.consume(
                digest(token), TokenPurpose.CONFIRM_EMAIL, now
            )
            user = await uow.users.get(found.user_id) if found else None
            if found is None or found.new_email is None or user is None:
                raise InvalidVerificationToken
            user.change_email(found.new_email, now)
            await uow.users.update(user)
            await uow.commit()
        return user
