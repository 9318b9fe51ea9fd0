"""Personal API tokens: credentials for scripts and agents, limited to scopes (SPEC 16).

A token is `todo_pat_` followed by 40 random base62-ish characters; the store keeps its first
eight random characters (to find it and to show it in a list) and the SHA-256 of the whole, never
the token. A token acts for its user within its scopes and never manages credentials or the
account: those need a signed-in session.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from todo_api.domain.errors import InvalidScope, InvalidTokenExpiry, InvalidTokenName
from todo_api.domain.ids import UserId
from todo_api.domain.text import has_visible_character, storable

__all__ = [
    "MAX_EXPIRY_DAYS",
    "MAX_TOKEN_NAME_LENGTH",
    "PREFIX",
    "ApiToken",
    "Scope",
    "TokenName",
    "mint_api_token",
    "scopes_of",
]

PREFIX = "todo_pat_"
_LOOKUP_CHARACTERS = 8
MAX_TOKEN_NAME_LENGTH = 100
MAX_EXPIRY_DAYS = 366
DEFAULT_EXPIRY_DAYS = 90


class Scope(enum.StrEnum):
    TASKS_READ = "tasks:read"
    TASKS_WRITE = "tasks:write"
    TAGS_READ = "tags:read"
    TAGS_WRITE = "tags:write"
    ACCOUNT_READ = "account:read"
    WEBHOOKS_WRITE = "webhooks:write"


def scopes_of(raw: Iterable[str]) -> frozenset[Scope]:
    """Raises InvalidScope for an unknown scope or none at all."""
    try:
        scopes = frozenset(Scope(item) for item in raw)
    except ValueError:
        raise InvalidScope from None
    if not scopes:
        raise InvalidScope
    return scopes


class TokenName(str):
    """What the owner calls a token: trimmed, 1 to 100 characters, one visible."""

    __slots__ = ()

    def __new__(cls, raw: str) -> TokenName:
        name = storable(raw, "name").strip()
        if not 1 <= len(name) <= MAX_TOKEN_NAME_LENGTH or not has_visible_character(name):
            raise InvalidTokenName
        return super().__new__(cls, name)


def expiry_after(now: datetime, days: int | None) -> datetime:
    """When a token made `now` to last `days` (default 90, 1 to 366) expires."""
    days = DEFAULT_EXPIRY_DAYS if days is None else days
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise InvalidTokenExpiry
    return now + timedelta(days=days)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def lookup_of(raw: str) -> str | None:
    """The part a stored token is found by, or None when `raw` is no API token."""
    if not raw.startswith(PREFIX) or len(raw) <= len(PREFIX) + _LOOKUP_CHARACTERS:
        return None
    return raw[len(PREFIX) : len(PREFIX) + _LOOKUP_CHARACTERS]


@dataclass(slots=True, kw_only=True)
class ApiToken:
    id: int
    user_id: UserId
    name: TokenName
    # The first characters after `todo_pat_`: how the store finds it and how lists show it.
    lookup: str
    digest: str = field(repr=False)
    scopes: frozenset[Scope]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = None

    def is_for(self, raw: str) -> bool:
        """Whether `raw` is this token (compared in constant time)."""
        return hmac.compare_digest(self.digest, digest_of(raw))

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def mint_api_token() -> tuple[str, str, str]:
    """A new token: (the token to show once, its lookup part, its digest to store)."""
    raw = PREFIX + secrets.token_urlsafe(30)
    lookup = lookup_of(raw)
    assert lookup is not None
    return raw, lookup, digest_of(raw)
