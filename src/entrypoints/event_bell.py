"""Wake-ups for event streams: Postgres LISTEN/NOTIFY, or a short poll.

The events table is the source of truth; a wake-up only says "look now". On Postgres one
connection per server worker listens on `todo_events` (migration 0012 notifies at each event's
commit with the user's id) and wakes that user's streams. While the connection is down, or on
SQLite, streams look every POLL_SECONDS: late by at most that, never missing an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator

import structlog

from todo_api.adapters.persistence.notifications import libpq_url, listening
from todo_api.domain.ids import UserId

__all__ = ["POLL_SECONDS", "EventBell", "ringing"]

log = structlog.get_logger("todo_api.events")

POLL_SECONDS = 1.0
CHANNEL = "todo_events"


class EventBell:
    """Streams wait here for their user's next event, for at most `at_most` seconds."""

    def __init__(self) -> None:
        self._waiting: dict[UserId, set[asyncio.Event]] = defaultdict(set)
        # Waiting for anyone's event: the background worker.
        self._anyone: set[asyncio.Event] = set()
        self.listening = False
        self.closed = False
        # Counts every ring: a waiter marks it before reading the events, and a ring that came
        # while it read ends its wait at once instead of being slept through.
        self.rings = 0

    async def wait(self, user_id: UserId, at_most: float, since: int | None = None) -> None:
        """Until the user's next event (or `at_most` seconds); at once if the bell rang since
        the mark `since` (`rings` read before looking at the events)."""
        if self.closed or (since is not None and since != self.rings):
            return
        if not self.listening:
            at_most = min(at_most, POLL_SECONDS)
        rung = asyncio.Event()
        self._waiting[user_id].add(rung)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rung.wait(), at_most)
        finally:
            self._waiting[user_id].discard(rung)
            if not self._waiting[user_id]:
                del self._waiting[user_id]

    async def wait_for_anyone(self, at_most: float, since: int | None = None) -> None:
        """Until any user's next event (or `at_most` seconds, or the bell closes); at once if
        the bell rang since the mark `since`."""
        if self.closed or (since is not None and since != self.rings):
            return
        rung = asyncio.Event()
        self._anyone.add(rung)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rung.wait(), at_most)
        finally:
            self._anyone.discard(rung)

    def ring(self, user_id: UserId) -> None:
        self.rings += 1
        for rung in (*self._waiting.get(user_id, ()), *self._anyone):
            rung.set()

    def close(self) -> None:
        """The server is going: every stream stops waiting, and none waits again."""
        self.closed = True
        self.ring_all()

    def ring_all(self) -> None:
        """After a gap in listening: anything may have been missed."""
        self.rings += 1
        for waiting in (*self._waiting.values(), self._anyone):
            for rung in waiting:
                rung.set()


@contextlib.asynccontextmanager
async def ringing(bell: EventBell, database_url: str) -> AsyncIterator[None]:
    """Listen for Postgres notifications while the block runs (nothing on SQLite)."""
    conninfo = libpq_url(database_url)
    if conninfo is None:
        yield
        return

    def up() -> None:
        bell.listening = True
        bell.ring_all()  # what was sent while no one listened

    def down() -> None:
        bell.listening = False

    def ring(payload: str) -> None:
        with contextlib.suppress(ValueError):
            bell.ring(UserId(uuid.UUID(payload)))

    async with listening(conninfo, CHANNEL, ring, up, down):
        yield
