"""Logging in with email and password."""

from __future__ import annotations

from dataclasses import dataclass, field

from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.throttle import FailureBudget
from todo_api.application.auth.tokens import SessionOpener, TokenPair
from todo_api.application.auth.verification import ResendVerification
from todo_api.application.errors import EmailNotVerified, InvalidCredentials, MfaRequired
from todo_api.application.ports import Clock, PasswordHasher, RateLimiter, TokenService, UnitOfWork
from todo_api.domain.email import Email
from todo_api.domain.errors import InvalidEmail
from todo_api.domain.user import User

__all__ = ["LogIn", "LogInCommand"]


@dataclass(frozen=True, slots=True)
class LogInCommand:
    email: str
    password: str = field(repr=False)
    user_agent: str | None = None
    # The device token a client got from an earlier successful login to this account, if any.
    device_token: str | None = field(default=None, repr=False)


class LogIn:
    """Start a session for valid credentials; for an account with two-factor authentication,
    answer MfaRequired with a token for the second step (auth/mfa.py).

    Unknown email and wrong password take the same path: one attempt reserved from the
    account's failure budget (auth/throttle.py), one hash verification (against a dummy hash when
    there is no user), the same error. A right password refunds the attempt.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        tokens: TokenService,
        limiter: RateLimiter,
        clock: Clock,
        policy: SessionPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens
        self._limiter = limiter
        self._clock = clock
        self._policy = policy

    async def execute(self, command: LogInCommand) -> TokenPair:
        email = _email_or_none(command.email)
        user = await self._find(email)
        budget = FailureBudget(self._limiter, self._tokens, self._policy.failed_logins_per_account)
        reservation = await budget.reserve(
            str(email or command.email.strip().lower()),
            user.id if user else None,
            command.device_token,
        )
        password_ok = await self._hasher.verify(
            command.password, user.password_hash if user else None
        )
        if user is None or not password_ok:
            raise InvalidCredentials
        await budget.refund(reservation)
        if self._policy.require_verified_email and not user.email_verified:
            # The right password, from the owner: the lost link is sent again.
            await ResendVerification(self._uow, self._clock, self._limiter).remind(user)
            raise EmailNotVerified
        if user.mfa_enabled:
            raise MfaRequired(self._tokens.issue_mfa(user).token)
        opener = SessionOpener(self._uow, self._tokens, self._clock, self._policy)
        return await opener.open(user, command.user_agent)

    async def _find(self, email: Email | None) -> User | None:
        if email is None:
            return None
        async with self._uow as uow:
            return await uow.users.get_by_email(email)


def _email_or_none(raw: str) -> Email | None:
    try:
        return Email.parse(raw)
    except InvalidEmail:
        return None
