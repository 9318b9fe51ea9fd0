"""The credential cache of one server process, kept true by Postgres notifications (issue 16).

Migration 0016 announces on channel `todo_credentials`, at commit, every session revoked or
deleted (`s:<id>`), every user changed or deleted (`u:<id>`) and every API token deleted
(`t:<lookup>`). A process listens on one connection; what it hears drops the cached entries
concerned. While it is not listening (connecting, reconnecting, the connection lost) the cache
is empty and refuses to keep anything: every request reads the database, as without a cache.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from todo_api.adapters.persistence.notifications import listening
from todo_api.application.auth.credential_cache import CachedCredential, CredentialCache
from todo_api.domain.ids import SessionId, UserId

__all__ = ["CHANNEL", "NotifiedCredentialCache", "listening_for_credentials"]

CHANNEL = "todo_credentials"


class NotifiedCredentialCache(CredentialCache):
    """At most `max_entries` credentials, least recently used out first, none older than
    `max_age` (a bound on any notice lost in a way the connection did not report)."""

    def __init__(self, max_entries: int = 10_000, max_age: timedelta = timedelta(minutes=5)):
        self.max_entries = max_entries
        self.max_age = max_age
        self.hearing = False
        self._changes = 0
        self._entries: OrderedDict[SessionId | str, CachedCredential] = OrderedDict()
        self._by_user: dict[UserId, set[SessionId | str]] = {}

    def mark(self) -> int | None:
        return self._changes if self.hearing else None

    def get(self, key: SessionId | str, now: datetime) -> CachedCredential | None:
        if not self.hearing:
            return None
        found = self._entries.get(key)
        if found is None:
            return None
        if found.valid_until <= now:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return found

    def keep(self, key: SessionId | str, credential: CachedCredential, mark: int) -> None:
        if not self.hearing or mark != self._changes:
            return
        self._drop(key)
        self._entries[key] = credential
        self._by_user.setdefault(credential.user.id, set()).add(key)
        while len(self._entries) > self.max_entries:
            self._drop(next(iter(self._entries)))

    def hear(self, notice: str) -> None:
        """A change was committed: forget what it concerns."""
        self._changes += 1
        kind, _, subject = notice.partition(":")
        if kind == "u":
            with contextlib.suppress(ValueError):
                for key in list(self._by_user.get(UserId(uuid.UUID(subject)), ())):
                    self._drop(key)
        elif kind == "s":
            with contextlib.suppress(ValueError):
                self._drop(SessionId(uuid.UUID(subject)))
        else:
            self._drop(subject)

    def deaf(self) -> None:
        """Notices may be missed from now on: forget everything, keep nothing."""
        self.hearing = False
        self._changes += 1
        self._entries.clear()
        self._by_user.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: SessionId | str) -> None:
        found = self._entries.pop(key, None)
        if found is not None:
            keys = self._by_user.get(found.user.id)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_user[found.user.id]


@contextlib.asynccontextmanager
async def listening_for_credentials(
    cache: NotifiedCredentialCache, conninfo: str
) -> AsyncIterator[None]:
    """Feed `cache` from the notification channel while the block runs."""

    def up() -> None:
        # Only now: anything announced from here on reaches the cache.
        cache.hearing = True

    try:
        async with listening(conninfo, CHANNEL, cache.hear, up, cache.deaf):
            yield
    finally:
        cache.deaf()
