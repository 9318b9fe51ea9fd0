"""The event outbox on memory, SQLite and Postgres: an event exists exactly when its change
committed (SPEC 15)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.persistence.conftest import UowFactory
from todo_api.adapters.persistence.engine import build_engine
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.errors import StorageUnavailable
from todo_api.application.events import Event, EventType
from todo_api.application.listing import TaskQuery
from todo_api.domain.email import Email
from todo_api.domain.task import NewTask, TaskFields
from todo_api.domain.user import User

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


async def _user(uow_factory: UowFactory, email: str = "ann@example.com") -> User:
    user = User.register(email=Email.parse(email), password_hash="h", name=None, now=T0)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


def _new_task(user: User, title: str) -> NewTask:
    return NewTask.create(user_id=user.id, fields=TaskFields.parse(title=title), tags=[], now=T0)


async def test_an_event_commits_with_its_change_and_reads_back_whole(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    async with uow_factory() as uow:
        task = await uow.tasks.add(_new_task(ann, "plan"))
        event = Event.about_task(EventType.TASK_CREATED, task, T0)
        await uow.events.record(event)
        await uow.commit()
    async with uow_factory() as uow:
        ((number, stored),) = await uow.events.since(ann.id, 0, 10)
        assert await uow.events.since(ann.id, number, 10) == []
    assert stored == event


async def test_a_change_rolled_back_leaves_no_event(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            task = await uow.tasks.add(_new_task(ann, "plan"))
            await uow.events.record(Event.about_task(EventType.TASK_CREATED, task, T0))
            raise RuntimeError("the use case failed after recording")
    async with uow_factory() as uow:
        assert await uow.events.since(ann.id, 0, 10) == []


async def test_events_are_numbered_in_order_and_kept_per_user(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    bob = await _user(uow_factory, "bob@example.com")
    for n in range(3):
        for user in (ann, bob):
            async with uow_factory() as uow:
                task = await uow.tasks.add(_new_task(user, f"{user.email.value} {n}"))
                await uow.events.record(Event.about_task(EventType.TASK_CREATED, task, T0))
                await uow.commit()
    async with uow_factory() as uow:
        anns = await uow.events.since(ann.id, 0, 10)
        page = await uow.events.since(ann.id, anns[0][0], 1)
    assert [e.data["title"] for _, e in anns] == [f"ann@example.com {n}" for n in range(3)]
    assert [n for n, _ in anns] == sorted(n for n, _ in anns)
    assert page == [anns[1]]


async def test_a_connection_killed_before_commit_leaves_no_event(
    pg_engine: AsyncEngine, pg_url: str
) -> None:
    """Postgres: the server ends the transaction's connection mid-way (as a crash would)."""
    ann = await _user(lambda: SqlAlchemyUnitOfWork(pg_engine))
    killer = build_engine(pg_url)
    try:
        with pytest.raises(StorageUnavailable):
            async with SqlAlchemyUnitOfWork(pg_engine) as uow:
                task = await uow.tasks.add(_new_task(ann, "plan"))
                await uow.events.record(Event.about_task(EventType.TASK_CREATED, task, T0))
                async with killer.begin() as connection:
                    await connection.execute(
                        sa.text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            " WHERE state = 'idle in transaction' AND pid <> pg_backend_pid()"
                        )
                    )
                await uow.commit()
    finally:
        await killer.dispose()
    async with SqlAlchemyUnitOfWork(pg_engine) as uow:
        assert await uow.events.since(ann.id, 0, 10) == []
        assert (await uow.tasks.search(ann.id, TaskQuery(limit=100))).total == 0
