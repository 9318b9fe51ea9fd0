"""Who a credential belongs to, remembered between requests while a notification channel says
what changed (issue 16).

Authentication reads the session (or API token) and its user on every request, which is most of
the cost of a small request. A cache may answer instead, but only while every change that could
end or alter a credential reaches it: the store announces revocations and user changes, and a
cache that is not hearing them (the channel down or reconnecting) answers nothing, so every
request reads the database again (fail closed).

A read that started before an announcement must not be kept after it: callers take a `mark`
before reading and `keep` only if nothing was announced since.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from todo_api.domain.api_token import ApiToken
from todo_api.domain.ids import SessionId
from todo_api.domain.user import User

__all__ = ["CachedCredential", "CredentialCache", "NoCredentialCache"]


@dataclass(frozen=True, slots=True)
class CachedCredential:
    user: User
    # Until when it may be used without asking the store again (the session's expiry, the
    # token's, or the cache's own limit, whichever comes first).
    valid_until: datetime
    token: ApiToken | None = None


class CredentialCache(Protocol):
    @abstractmethod
    def mark(self) -> int | None:
        """A mark to take before reading a credential; None while the cache cannot be trusted
        (then nothing is looked up or kept)."""

    @abstractmethod
    def get(self, key: SessionId | str, now: datetime) -> CachedCredential | None:
        """The credential remembered under a session id or an API token's lookup part."""

    @abstractmethod
    def keep(self, key: SessionId | str, credential: CachedCredential, mark: int) -> None:
        """Remember a credential read after `mark`, unless a change was announced since."""


class NoCredentialCache(CredentialCache):
    """Every request asks the store (SQLite, the in-memory service, tests)."""

    def mark(self) -> int | None:
        return None

    def get(self, key: SessionId | str, now: datetime) -> CachedCredential | None:
        return None

    def keep(self, key: SessionId | str, credential: CachedCredential, mark: int) -> None:
        return None
