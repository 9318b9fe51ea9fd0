"""Verifying that a user reads mail at their address."""

from __future__ import annotations

from todo_api.application.auth.one_time import TokenPurpose, digest
from todo_api.application.auth.principal import Principal
from todo_api.application.errors import InvalidVerificationToken, RateLimitExceeded
from todo_api.application.mail import MailKind
from todo_api.application.ports import Clock, RateLimiter, UnitOfWork
from todo_api.application.rates import Rate, RateDecision, limiter_key
from todo_api.domain.user import User

__all__ = ["RESEND_RATE", "ResendVerification", "VerifyEmail"]

# Each resend mails the user: a few an hour is plenty for a lost message.
RESEND_RATE = Rate(3, 3600)


class VerifyEmail:
    """Follow the link of a verification message: the address is verified."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, token: str) -> User:
        """Raises InvalidVerificationToken when the token is wrong, used or expired."""
        now = self._clock.now()
        async with self._uow as uow:
            found = await uow.one_time_tokens.consume(digest(token), TokenPurpose.VERIFY_EMAIL, now)
            user = await uow.users.get(found.user_id) if found else None
            if user is None:
                raise InvalidVerificationToken
            user.verify_email(now)
            await uow.users.update(user)
            await uow.commit()
        return user


class ResendVerification:
    """Queue another verification message (none when the address is verified already)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, limiter: RateLimiter) -> None:
        self._uow = uow
        self._clock = clock
        self._limiter = limiter

    async def execute(self, principal: Principal) -> None:
        """Raises RateLimitExceeded beyond RESEND_RATE."""
        principal.require(None)  # a signed-in session only, never an API token
        decision = await self.remind(principal.user)
        if not decision.allowed:
            raise RateLimitExceeded(decision.retry_after)

    async def remind(self, user: User) -> RateDecision:
        """Queue the message unless RESEND_RATE is spent; the limiter's decision."""
        decision = await self._limiter.hit(limiter_key("verify-resend", str(user.id)), RESEND_RATE)
        if decision.allowed and not user.email_verified:
            async with self._uow as uow:
                await uow.mail.enqueue(
                    MailKind.VERIFY_EMAIL, user.email, self._clock.now(), user_id=user.id
                )
                await uow.commit()
        return decision
