"""Resetting a forgotten password through a link sent by email."""

from __future__ import annotations

from dataclasses import dataclass, field

from todo_api.application.auth.one_time import TokenPurpose, digest
from todo_api.application.auth.passwords import check_new_password
from todo_api.application.errors import InvalidResetToken, RateLimitExceeded
from todo_api.application.mail import MailKind
from todo_api.application.ports import (
    Clock,
    PasswordBlocklist,
    PasswordHasher,
    RateLimiter,
    UnitOfWork,
)
from todo_api.application.rates import Rate, limiter_key
from todo_api.domain.email import Email

__all__ = ["FORGOT_RATE_PER_ADDRESS", "RequestPasswordReset", "ResetCommand", "ResetPassword"]

# Each request mails the address: a few an hour, whoever asks (per IP limits are the edge's).
FORGOT_RATE_PER_ADDRESS = Rate(3, 3600)


class RequestPasswordReset:
    """Queue a reset message for an address, whether or not it has an account.

    The request does the same work either way (a rate-limit count and one queued job); the
    delivery step finds out whether there is an account and mails a link only then (ADR 0017).
    So neither the answer nor its time tells whether the address is registered.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, limiter: RateLimiter) -> None:
        self._uow = uow
        self._clock = clock
        self._limiter = limiter

    async def execute(self, raw_email: str) -> None:
        """Raises InvalidEmail for a malformed address, RateLimitExceeded beyond
        FORGOT_RATE_PER_ADDRESS for this address."""
        email = Email.parse(raw_email)
        decision = await self._limiter.hit(
            limiter_key("forgot-password", email.value), FORGOT_RATE_PER_ADDRESS
        )
        if not decision.allowed:
            raise RateLimitExceeded(decision.retry_after)
        async with self._uow as uow:
            await uow.mail.enqueue(MailKind.RESET_PASSWORD, email, self._clock.now())
            await uow.commit()


@dataclass(frozen=True, slots=True)
class ResetCommand:
    token: str = field(repr=False)
    new_password: str = field(repr=False)


class ResetPassword:
    """Set a new password with the newest reset link: every session ends, the address counts
    as verified (the link reached it), and the account's failed-login count starts afresh."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        blocklist: PasswordBlocklist,
        clock: Clock,
        limiter: RateLimiter,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._blocklist = blocklist
        self._clock = clock
        self._limiter = limiter

    async def execute(self, command: ResetCommand) -> None:
        """Raises InvalidResetToken (wrong, used, expired or superseded) or the password
        rules' errors; a refused password leaves the token usable."""
        hashed = digest(command.token)
        async with self._uow as uow:
            token = await uow.one_time_tokens.find(
                hashed, TokenPurpose.RESET_PASSWORD, self._clock.now()
            )
            user = await uow.users.get(token.user_id) if token else None
        if user is None:
            raise InvalidResetToken
        check_new_password(
            command.new_password,
            self._blocklist,
            field="new_password",
            user_inputs=[user.email.value, *([user.name] if user.name else [])],
        )
        password_hash = await self._hasher.hash(command.new_password)
        now = self._clock.now()
        async with self._uow as uow:
            if await uow.one_time_tokens.consume(hashed, TokenPurpose.RESET_PASSWORD, now) is None:
                raise InvalidResetToken  # used by a concurrent reset meanwhile
            user = await uow.users.get(user.id)
            if user is None:
                raise InvalidResetToken
            user.change_password(password_hash, now)
            user.verify_email(now)
            await uow.users.update(user)
            await uow.sessions.revoke_all(user.id, now)
            await uow.commit()
        await self._limiter.reset(limiter_key("login-failures", user.email.value))
