"""Request and response bodies of the account endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from todo_api.domain.session import Session
from todo_api.domain.user import User


class RegisterRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str
    name: str | None = None


class LoginJson(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str


class ProfilePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change: `name` (null clears it), `timezone` (an IANA name),
    `email` (with `current_password`: changes once the new address confirms it)."""

    name: str | UnsetType | None = UNSET
    timezone: str | UnsetType = UNSET
    email: str | UnsetType = UNSET
    current_password: str | UnsetType = UNSET


class TokenBody(msgspec.Struct, forbid_unknown_fields=True):
    """The token of an emailed link."""

    token: str


class ForgotPassword(msgspec.Struct, forbid_unknown_fields=True):
    email: str


class PasswordReset(msgspec.Struct, forbid_unknown_fields=True):
    token: str
    new_password: str


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: str
    new_password: str


class UserRead(msgspec.Struct):
    id: UUID
    email: str
    name: str | None
    timezone: str
    created_at: datetime
    email_verified: bool

    @classmethod
    def of(cls, user: User) -> UserRead:
        name = str(user.name) if user.name is not None else None
        return cls(
            id=user.id,
            email=user.email.value,
            name=name,
            timezone=str(user.timezone),
            created_at=user.created_at,
            email_verified=user.email_verified,
        )


class TokenRead(msgspec.Struct):
    access_token: str
    expires_in: int
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type


class MessageRead(msgspec.Struct):
    message: str


class SessionRead(msgspec.Struct):
    id: UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str | None
    current: bool

    @classmethod
    def of(cls, session: Session, current: bool) -> SessionRead:
        return cls(
            id=session.id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            user_agent=session.user_agent,
            current=current,
        )
