"""Single-use tokens sent by email: random, stored only as a digest, each for one purpose."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from todo_api.domain.email import Email
from todo_api.domain.ids import UserId

__all__ = ["LIFETIMES", "OneTimeToken", "TokenPurpose", "digest", "mint"]


class TokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a password
    CONFIRM_EMAIL = "confirm_email"


LIFETIMES = {
    TokenPurpose.VERIFY_EMAIL: timedelta(hours=24),
    TokenPurpose.RESET_PASSWORD: timedelta(minutes=30),
    TokenPurpose.CONFIRM_EMAIL: timedelta(hours=24),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class OneTimeToken:
    """What the store keeps of a token: never the token itself."""

    digest: str
    user_id: UserId
    purpose: TokenPurpose
    expires_at: datetime
    # The address an email change moves to (CONFIRM_EMAIL only).
    new_email: Email | None = None


def digest(raw: str) -> str:
    # A token has 256 random bits: a fast hash is enough, no salt or stretching needed.
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def mint(
    user_id: UserId, purpose: TokenPurpose, now: datetime, new_email: Email | None = None
) -> tuple[str, OneTimeToken]:
    """A new token for the user and what to store of it."""
    raw = secrets.token_urlsafe(32)
    stored = OneTimeToken(
        digest=digest(raw),
        user_id=user_id,
        purpose=purpose,
        expires_at=now + LIFETIMES[purpose],
        new_email=new_email,
    )
    return raw, stored
