"""Task and tag events in SQL: one INSERT in the change's own transaction."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import events
from todo_api.application.events import Event, EventType
from todo_api.application.ports import EventOutbox
from todo_api.domain.ids import UserId

__all__ = ["SqlAlchemyEventOutbox", "event_of"]


# Built once: building an INSERT with .values() per event cost more than running it.
_RECORD = events.insert()


class SqlAlchemyEventOutbox(EventOutbox):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def record(self, event: Event) -> None:
        await self._connection.execute(
            _RECORD,
            {
                "id": event.id,
                "user_id": event.user_id,
                "type": event.type.value,
                "occurred_at": event.occurred_at,
                "data": event.data,
            },
        )

    async def purge(self, before: datetime, limit: int) -> int:
        # In batches by key: one long DELETE would hold its locks against the writers.
        old = (
            sa.select(events.c.seq)
            .where(events.c.occurred_at < before, events.c.dispatched_at.is_not(None))
            .order_by(events.c.seq)
            .limit(limit)
            .scalar_subquery()
        )
        result = await self._connection.execute(events.delete().where(events.c.seq.in_(old)))
        return int(result.rowcount)

    async def last_number(self, user_id: UserId) -> int:
        newest = await self._connection.scalar(
            sa.select(sa.func.max(events.c.seq)).where(events.c.user_id == user_id)
        )
        return int(newest or 0)

    async def since(self, user_id: UserId, after: int, limit: int) -> list[tuple[int, Event]]:
        rows = await self._connection.execute(
            sa.select(events)
            .where(events.c.user_id == user_id, events.c.seq > after)
            .order_by(events.c.seq)
            .limit(limit)
        )
        return [(row.seq, event_of(row)) for row in rows]


def event_of(row: sa.Row[tuple[object, ...]]) -> Event:
    data = row._mapping
    return Event(
        id=data["id"],
        type=EventType(data["type"]),
        user_id=UserId(data["user_id"]),
        occurred_at=data["occurred_at"],
        data=data["data"],
    )
