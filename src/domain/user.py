"""The user account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from todo_api.domain.email import Email
from todo_api.domain.errors import InvalidName
from todo_api.domain.ids import UserId
from todo_api.domain.text import ValidatedText, storable
from todo_api.domain.timezone import UTC_ZONE, TimeZoneName

__all__ = ["MAX_NAME_LENGTH", "DisplayName", "User"]

MAX_NAME_LENGTH = 100


class DisplayName(ValidatedText):
    """A user's display name: trimmed, 1 to 100 characters."""

    __slots__ = ()

    @classmethod
    def validate(cls, raw: str) -> str:
        name = storable(raw, "name").strip()
        if not 1 <= len(name) <= MAX_NAME_LENGTH:
            raise InvalidName
        return name

    @classmethod
    def optional(cls, raw: str | None) -> DisplayName | None:
        """A name, or None for none or blank text (which clears a name)."""
        return cls(raw) if raw is not None and raw.strip() else None


@dataclass(slots=True, kw_only=True)
class User:
    id: UserId
    email: Email
    password_hash: str
    name: DisplayName | None
    created_at: datetime
    updated_at: datetime
    # Where the user's days, all-day dates and recurrences are counted.
    timezone: TimeZoneName = UTC_ZONE
    # Whether the user has shown they read mail at `email` (a link followed, a reset done).
    email_verified: bool = False
    # Two-factor authentication: the TOTP secret (set up, enabled once a code confirmed it)
    # and the last time step a code was accepted at, so no code works twice.
    mfa_secret: str | None = None
    mfa_enabled: bool = False
    mfa_last_step: int | None = None

    @classmethod
    def register(
        cls, *, email: Email, password_hash: str, name: DisplayName | None, now: datetime
    ) -> User:
        return cls(
            id=UserId(uuid.uuid4()),
            email=email,
            password_hash=password_hash,
            name=None if name is None else DisplayName(name),
            created_at=now,
            updated_at=now,
        )

    def rename(self, name: DisplayName | None, now: datetime) -> None:
        self.name = None if name is None else DisplayName(name)
        self.updated_at = now

    def move_to(self, timezone: TimeZoneName, now: datetime) -> None:
        self.timezone = TimeZoneName(timezone)
        self.updated_at = now

    def change_password(self, password_hash: str, now: datetime) -> None:
        self.password_hash = password_hash
        self.updated_at = now

    def verify_email(self, now: datetime) -> None:
        self.email_verified = True
        self.updated_at = now

    def change_email(self, email: Email, now: datetime) -> None:
        """Move to an address the user has just shown they read."""
        self.email = email
        self.email_verified = True
        self.updated_at = now

    def set_up_mfa(self, secret: str, now: datetime) -> None:
        """A new TOTP secret, not yet in force: a code from it must enable it."""
        self.mfa_secret = secret
        self.mfa_enabled = False
        self.mfa_last_step = None
        self.updated_at = now

    def enable_mfa(self, step: int, now: datetime) -> None:
        self.mfa_enabled = True
        self.mfa_last_step = step
        self.updated_at = now

    def disable_mfa(self, now: datetime) -> None:
        self.mfa_secret = None
        self.mfa_enabled = False
        self.mfa_last_step = None
        self.updated_at = now
