"""Two-factor authentication with TOTP (RFC 6238) and single-use recovery codes.

Set up (a secret, shown once), enable (a first code proves the app has it; ten recovery codes,
shown once), then every login with the right password ends in MfaRequired until
CompleteMfaLogin sees a code. A code is accepted once: the step it belongs to must be later than
the last accepted one, checked and recorded in one conditional write. Wrong codes draw on the
account's failed-login budget, as wrong passwords do.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.principal import Principal
from todo_api.application.auth.throttle import FailureBudget
from todo_api.application.auth.tokens import SessionOpener, TokenPair
from todo_api.application.errors import (
    InvalidMfaCode,
    InvalidToken,
    MfaAlreadyEnabled,
    MfaNotEnabled,
    SessionRevoked,
)
from todo_api.application.ports import (
    Clock,
    OneTimePasswords,
    PasswordHasher,
    RateLimiter,
    TokenService,
    UnitOfWork,
)
from todo_api.domain.user import User

__all__ = [
    "RECOVERY_CODES",
    "CompleteMfaLogin",
    "DisableMfa",
    "EnableMfa",
    "MfaLoginCommand",
    "MfaSetup",
    "SetUpMfa",
]

RECOVERY_CODES = 10


@dataclass(frozen=True, slots=True)
class MfaSetup:
    secret: str = field(repr=False)
    # otpauth://totp/...: what an authenticator app reads from a QR code.
    uri: str = field(repr=False)


class SetUpMfa:
    """A new secret for the caller, in force only once EnableMfa sees a code from it."""

    def __init__(self, uow: UnitOfWork, clock: Clock, passwords: OneTimePasswords) -> None:
        self._uow = uow
        self._clock = clock
        self._passwords = passwords

    async def execute(self, principal: Principal) -> MfaSetup:
        """Raises MfaAlreadyEnabled."""
        principal.require(None)  # a signed-in session only, never an API token
        secret = self._passwords.new_secret()
        async with self._uow as uow:
            user = await _current(uow, principal)
            if user.mfa_enabled:
                raise MfaAlreadyEnabled
            user.set_up_mfa(secret, self._clock.now())
            await uow.users.update(user)
            await uow.commit()
        return MfaSetup(secret, self._passwords.uri(secret, user.email.value))


class EnableMfa:
    """Turn two-factor authentication on with a first code; the recovery codes, shown once."""

    def __init__(self, uow: UnitOfWork, clock: Clock, passwords: OneTimePasswords) -> None:
        self._uow = uow
        self._clock = clock
        self._passwords = passwords

    async def execute(self, principal: Principal, code: str) -> list[str]:
        """Raises MfaAlreadyEnabled, or InvalidMfaCode (also when not set up)."""
        principal.require(None)  # a signed-in session only, never an API token
        now = self._clock.now()
        codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
        async with self._uow as uow:
            user = await _current(uow, principal)
            if user.mfa_enabled:
                raise MfaAlreadyEnabled
            if user.mfa_secret is None:
                raise InvalidMfaCode("Set up two-factor authentication first (/auth/mfa/setup).")
            step = self._passwords.step_of(user.mfa_secret, code, now)
            if step is None:
                raise InvalidMfaCode
            user.enable_mfa(step, now)
            await uow.users.update(user)
            await uow.recovery_codes.replace(user.id, [_digest(c) for c in codes])
            await uow.commit()
        return codes


@dataclass(frozen=True, slots=True)
class MfaLoginCommand:
    mfa_token: str = field(repr=False)
    code: str = field(repr=False)
    user_agent: str | None = None
    device_token: str | None = field(default=None, repr=False)


class CompleteMfaLogin:
    """The second step of a login: the MFA token of the first and a code."""

    def __init__(
        self,
        uow: UnitOfWork,
        tokens: TokenService,
        limiter: RateLimiter,
        clock: Clock,
        policy: SessionPolicy,
        passwords: OneTimePasswords,
    ) -> None:
        self._opener = SessionOpener(uow, tokens, clock, policy)
        self._budget = FailureBudget(limiter, tokens, policy.failed_logins_per_account)
        self._second_factor = _SecondFactor(uow, clock, passwords)

    async def execute(self, command: MfaLoginCommand) -> TokenPair:
        """Raises TokenExpired, InvalidToken, InvalidTokenType (the MFA token),
        InvalidMfaCode or RateLimitExceeded."""
        user_id = self._opener.tokens.decode_mfa(command.mfa_token)
        async with self._opener.uow as uow:
            user = await uow.users.get(user_id)
        if user is None or not user.mfa_enabled:
            raise InvalidToken
        reservation = await self._budget.reserve(user.email.value, user.id, command.device_token)
        await self._second_factor.check(user, command.code)
        await self._budget.refund(reservation)
        return await self._opener.open(user, command.user_agent)


class DisableMfa:
    """Turn two-factor authentication off, with the password and a code."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        clock: Clock,
        limiter: RateLimiter,
        tokens: TokenService,
        policy: SessionPolicy,
        passwords: OneTimePasswords,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._budget = FailureBudget(limiter, tokens, policy.failed_logins_per_account)
        self._second_factor = _SecondFactor(uow, clock, passwords)

    async def execute(
        self, principal: Principal, password: str, code: str, device_token: str | None = None
    ) -> None:
        """Raises MfaNotEnabled, WrongCurrentPassword, InvalidMfaCode or RateLimitExceeded."""
        principal.require(None)  # a signed-in session only, never an API token
        async with self._uow as uow:
            user = await _current(uow, principal)
        if not user.mfa_enabled:
            raise MfaNotEnabled
        await self._budget.check_password(self._hasher, user, password, device_token)
        reservation = await self._budget.reserve(user.email.value, user.id, device_token)
        await self._second_factor.check(user, code)
        await self._budget.refund(reservation)
        async with self._uow as uow:
            user = await _current(uow, principal)
            user.disable_mfa(self._clock.now())
            await uow.users.update(user)
            await uow.recovery_codes.replace(user.id, [])
            await uow.commit()


class _SecondFactor:
    def __init__(self, uow: UnitOfWork, clock: Clock, passwords: OneTimePasswords) -> None:
        self._uow = uow
        self._clock = clock
        self._passwords = passwords

    async def check(self, user: User, code: str) -> None:
        """Accept a TOTP code of a step later than the last accepted one, or an unused
        recovery code, and use it up; else InvalidMfaCode."""
        assert user.mfa_secret is not None
        step = self._passwords.step_of(user.mfa_secret, code.strip(), self._clock.now())
        async with self._uow as uow:
            if step is not None:
                accepted = await uow.users.advance_mfa_step(user.id, step)
            else:
                accepted = await uow.recovery_codes.consume(user.id, _digest(code))
            await uow.commit()
        if not accepted:
            raise InvalidMfaCode


async def _current(uow: UnitOfWork, principal: Principal) -> User:
    user = await uow.users.get(principal.user_id)
    if user is None:
        raise SessionRevoked
    return user


def _new_recovery_code() -> str:
    """Ten lower-case letters and digits in two groups of five: about 50 bits, typed once."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _digest(code: str) -> str:
    # Spaces, dashes and case do not matter when a code is typed back.
    typed = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(typed.encode("utf-8", "surrogatepass")).hexdigest()
