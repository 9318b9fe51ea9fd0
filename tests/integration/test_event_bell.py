"""The event streams' wake-up on Postgres: a committed event rings its user's streams through
LISTEN/NOTIFY; a lost listening connection falls back to polling and comes back."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.events import Event, EventType
from todo_api.domain.email import Email
from todo_api.domain.user import User
from todo_api.entrypoints.event_bell import EventBell, ringing


async def _listening(bell: EventBell, want: bool = True) -> None:
    # Up to 15 s: on a machine busy with the rest of the suite a reconnection once took over 5.
    for _ in range(600):
        if bell.listening is want:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"listening never became {want}")


async def _commit_event(engine: AsyncEngine, user: User) -> None:
    async with SqlAlchemyUnitOfWork(engine) as uow:
        await uow.events.record(Event.of(EventType.TAG_CREATED, user.id, datetime.now(UTC), {}))
        await uow.commit()


async def test_a_commit_rings_its_users_streams_and_a_lost_connection_recovers(
    pg_engine: AsyncEngine, pg_url: str
) -> None:
    ann = User.register(
        email=Email.parse("ann@example.com"), password_hash="h", name=None, now=datetime.now(UTC)
    )
    async with SqlAlchemyUnitOfWork(pg_engine) as uow:
        await uow.users.add(ann)
        await uow.commit()
    bell = EventBell()
    async with ringing(bell, pg_url):
        await _listening(bell)
        waiter = asyncio.create_task(bell.wait(ann.id, at_most=30))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await _commit_event(pg_engine, ann)
        await asyncio.wait_for(waiter, 5)
        assert time.monotonic() - started < 1  # the notification, not a 30 s timeout

        async with pg_engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = 'todo-api listen todo_events'"
                )
            )
        await _listening(bell, want=False)
        started = time.monotonic()
        await bell.wait(ann.id, at_most=30)  # while down: a short poll, not 30 s
        assert time.monotonic() - started < 2
        await _listening(bell)  # listening again after its backoff
