"""The event outbox over the in-memory tables."""

from __future__ import annotations

from datetime import datetime

from todo_api.adapters.memory.repositories import InMemoryTables
from todo_api.application.events import Event
from todo_api.application.ports import EventOutbox
from todo_api.domain.ids import UserId

__all__ = ["InMemoryEventOutbox"]


class InMemoryEventOutbox(EventOutbox):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def record(self, event: Event) -> None:
        self._tables.events[next(self._tables.event_numbers)] = event

    async def purge(self, before: datetime, limit: int) -> int:
        tables = self._tables
        old = sorted(
            n for n, e in tables.events.items() if e.occurred_at < before and n in tables.dispatched
        )[:limit]
        for number in old:
            del tables.events[number]
        tables.deliveries = {
            k: d for k, d in tables.deliveries.items() if d.event_number in tables.events
        }
        return len(old)

    async def last_number(self, user_id: UserId) -> int:
        return max((n for n, e in self._tables.events.items() if e.user_id == user_id), default=0)

    async def since(self, user_id: UserId, after: int, limit: int) -> list[tuple[int, Event]]:
        found = sorted(
            n for n, e in self._tables.events.items() if n > after and e.user_id == user_id
        )
        return [(n, self._tables.events[n]) for n in found[:limit]]
