"""The user account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from todo_api.domain.email import Email
from todo_api.domain.errors import InvalidName
from todo_api.domain.ids import UserId

MAX_NAME_LENGTH = 100


def parse_display_name(raw: str | None) -> str | None:
    """Trim a display name; blank means none, longer than 100 characters is refused."""
    if raw is None:
        return None
    name = raw.strip()
    if len(name) > MAX_NAME_LENGTH or "\x00" in name:
        raise InvalidName
    return name or None


@dataclass(slots=True, kw_only=True)
class User:
    id: UserId
    email: Email
    password_hash: str
    name: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def register(cls, *, email: Email, password_hash: str, name: str | None, now: datetime) -> User:
        return cls(
            id=UserId(uuid.uuid4()),
            email=email,
            password_hash=password_hash,
            name=parse_display_name(name),
            created_at=now,
            updated_at=now,
        )

    def rename(self, name: str | None, now: datetime) -> None:
        self.name = parse_display_name(name)
        self.updated_at = now

    def change_password(self, password_hash: str, now: datetime) -> None:
        self.password_hash = password_hash
        self.updated_at = now
