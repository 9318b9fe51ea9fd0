"""The event outbox over the in-memory tables."""

from __future__ import annotations

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

    async def last_number(self, user_id: UserId) -> int:
        return max((n for n, e in self._tables.events.items() if e.user_id == user_id), default=0)

    async def since(self, user_id: UserId, after: int, limit: int) -> list[tuple[int, Event]]:
        found = sorted(
            n for n, e in self._tables.events.items() if n > after and e.user_id == user_id
        )
        return [(n, self._tables.events[n]) for n in found[:limit]]
