"""The failed-password budget of an account: reserved before the password is checked.

Every check of a password against an account's hash (login, password change) first reserves one
attempt from a budget (default 20 an hour), counted in the shared store, so concurrent guesses
from any number of workers cannot overshoot it. A correct password refunds it and clears the
budget; a wrong one keeps it spent.

Others' failures must not lock the owner out (OWASP, "Slow brute force and lockout"): a client
that has logged in to the account before holds a signed device token, and its attempts draw on a
budget of that device alone. An attacker without one exhausts only the untrusted budget.
"""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.errors import ApplicationError, RateLimitExceeded, WrongCurrentPassword
from todo_api.application.ports import PasswordHasher, RateLimiter, TokenService
from todo_api.application.rates import Rate, limiter_key
from todo_api.domain.ids import UserId
from todo_api.domain.user import User

__all__ = ["FailureBudget", "Reservation"]


@dataclass(frozen=True, slots=True)
class Reservation:
    """One reserved attempt: refunded when the password turns out right."""

    key: str


class FailureBudget:
    def __init__(self, limiter: RateLimiter, tokens: TokenService, rate: Rate) -> None:
        self._limiter = limiter
        self._tokens = tokens
        self._rate = rate

    async def reserve(
        self, account: str, user_id: UserId | None, device_token: str | None
    ) -> Reservation:
        """Reserve one attempt; raise RateLimitExceeded when the budget is spent.

        `account` names the account as the client typed it (normalised email); `user_id` is
        its id when it exists, to recognise a device token issued for it.
        """
        key = limiter_key("login-failures", account)
        if self._trusted(device_token, user_id):
            assert device_token is not None
            key = limiter_key("login-failures-device", device_token)
        decision = await self._limiter.hit(key, self._rate)
        if not decision.allowed:
            raise RateLimitExceeded(decision.retry_after)
        return Reservation(key)

    async def check_password(
        self, hasher: PasswordHasher, user: User, password: str, device_token: str | None
    ) -> None:
        """The signed-in user confirms a sensitive change with their password. Raises
        WrongCurrentPassword, or RateLimitExceeded when the account's budget is spent: a stolen
        session cannot be used to guess the password."""
        reservation = await self.reserve(user.email.value, user.id, device_token)
        if not await hasher.verify(password, user.password_hash):
            raise WrongCurrentPassword
        await self.refund(reservation)

    async def refund(self, reservation: Reservation) -> None:
        """The password was right: this attempt and the failures before it no longer count."""
        await self._limiter.reset(reservation.key)

    def _trusted(self, device_token: str | None, user_id: UserId | None) -> bool:
        if not device_token or user_id is None:
            return False
        try:
            claims = self._tokens.decode_device(device_token)
        except ApplicationError:
            return False
        return claims.user_id == user_id
