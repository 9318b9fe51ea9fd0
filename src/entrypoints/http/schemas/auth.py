"""Request and response bodies of the account endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from todo_api.application.auth.api_tokens import IssuedApiToken
from todo_api.application.auth.portability import AccountExport
from todo_api.domain.api_token import PREFIX, ApiToken
from todo_api.domain.ids import SessionId
from todo_api.domain.session import Session
from todo_api.domain.user import User
from todo_api.entrypoints.http.schemas.tasks import TagRead, TaskRead, task_reads


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


class MfaCode(msgspec.Struct, forbid_unknown_fields=True):
    """A 6-digit code of the authenticator app (or, to log in or disable, a recovery code)."""

    code: str


class MfaLogin(msgspec.Struct, forbid_unknown_fields=True):
    mfa_token: str
    code: str


class MfaDisable(msgspec.Struct, forbid_unknown_fields=True):
    password: str
    code: str


class MfaSetupRead(msgspec.Struct):
    """Shown once: put `otpauth_uri` in a QR code for the authenticator app."""

    secret: str
    otpauth_uri: str


class RecoveryCodesRead(msgspec.Struct):
    """Shown once: each logs in once in place of a code, when the app is lost."""

    recovery_codes: list[str]


class AccountDeletion(msgspec.Struct, forbid_unknown_fields=True):
    password: str


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
    mfa_enabled: bool

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
            mfa_enabled=user.mfa_enabled,
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


class AccountExportRead(msgspec.Struct):
    exported_at: datetime
    user: UserRead
    tasks: list[TaskRead]
    tags: list[TagRead]
    sessions: list[SessionRead]

    @classmethod
    def of(cls, export: AccountExport, current: SessionId) -> AccountExportRead:
        return cls(
            exported_at=export.exported_at,
            user=UserRead.of(export.user),
            tasks=task_reads(export.tasks),
            tags=[TagRead.of(tag) for tag in export.tags],
            sessions=[SessionRead.of(s, current=s.id == current) for s in export.sessions],
        )


class ApiTokenWrite(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    scopes: list[str]
    expires_in_days: int | None = None


class ApiTokenRead(msgspec.Struct):
    id: int
    name: str
    scopes: list[str]
    # `todo_pat_` and the token's first characters: enough to tell tokens apart.
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime

    @classmethod
    def of(cls, token: ApiToken) -> ApiTokenRead:
        return cls(
            id=token.id,
            name=str(token.name),
            scopes=sorted(token.scopes),
            prefix=f"{PREFIX}{token.lookup}",
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.expires_at,
        )


class IssuedApiTokenRead(ApiTokenRead):
    # The token itself, shown this once.
    token: str

    @classmethod
    def issued(cls, issued: IssuedApiToken) -> IssuedApiTokenRead:
        read = ApiTokenRead.of(issued.token)
        return cls(**msgspec.structs.asdict(read), token=issued.secret)
