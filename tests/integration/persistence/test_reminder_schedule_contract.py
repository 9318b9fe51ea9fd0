"""The reminder schedule every store keeps (memory, SQLite, Postgres): written with the task,
due once per time, claimed without overlap (SPEC 15)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.persistence.conftest import UowFactory
from tests.integration.persistence.test_task_repository_contract import T0, _user
from todo_api.adapters.persistence.tables import task_reminders
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.reminders import DueReminder
from todo_api.domain.ids import UserId
from todo_api.domain.reminder import ReminderRule
from todo_api.domain.task import NewTask, Task, TaskFields

DUE = T0 + timedelta(hours=3)


async def _with_reminders(
    uow_factory: UowFactory, user_id: UserId, *minutes: int, title: str = "t"
) -> Task:
    new = NewTask.create(
        user_id=user_id,
        fields=TaskFields.parse(title=title, due_date=DUE),
        tags=[],
        now=T0,
        reminders=[ReminderRule.parse(before_minutes=m) for m in minutes],
    )
    async with uow_factory() as uow:
        task = await uow.tasks.add(new)
        await uow.commit()
    return task


async def _claim(uow_factory: UowFactory, at: timedelta, fire: bool = True) -> list[DueReminder]:
    async with uow_factory() as uow:
        due = await uow.reminders.claim(DUE + at, 100)
        if fire:
            for item in due:
                await uow.reminders.mark_fired(item)
            await uow.commit()
    return due


async def test_reminders_fall_due_in_time_order_and_fire_once(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    task = await _with_reminders(uow_factory, ann, 10, 60, 30)
    async with uow_factory() as uow:
        assert await uow.reminders.backlog(DUE - timedelta(minutes=30)) == 2
        stored = await uow.tasks.get(ann, task.id)
    assert stored is not None and stored.reminders == task.reminders
    assert await _claim(uow_factory, -timedelta(hours=2)) == []
    due = await _claim(uow_factory, -timedelta(minutes=30))
    assert [(d.task_id, d.user_id, d.reminder_id) for d in due] == [
        (task.id, ann, 2),
        (task.id, ann, 3),
    ]
    assert due[0].remind_at == DUE - timedelta(minutes=60)
    assert [d.reminder_id for d in await _claim(uow_factory, timedelta(0))] == [1]
    assert await _claim(uow_factory, timedelta(days=1)) == []
    async with uow_factory() as uow:
        assert await uow.reminders.backlog(DUE + timedelta(days=1)) == 0


async def test_an_unfinished_claim_leaves_the_reminder_due(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    await _with_reminders(uow_factory, ann, 0)
    assert len(await _claim(uow_factory, timedelta(0), fire=False)) == 1  # rolled back
    assert len(await _claim(uow_factory, timedelta(0))) == 1
    assert await _claim(uow_factory, timedelta(0)) == []


async def test_a_new_time_is_due_again_and_an_unchanged_one_keeps_its_state(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    task = await _with_reminders(uow_factory, ann, 0, 5)
    assert len(await _claim(uow_factory, timedelta(0))) == 2
    moved = DUE + timedelta(hours=1)
    async with uow_factory() as uow:
        # Reminder 2 dropped; the task moves an hour, after both fired.
        task.apply(replace(task.fields(), due_date=moved), DUE + timedelta(minutes=1))
        task.reminders = task.reminders[:1]
        assert await uow.tasks.update(task, tags_changed=False, reminders_changed=True)
        await uow.commit()
    assert [d.reminder_id for d in await _claim(uow_factory, timedelta(hours=1))] == [1]
    async with uow_factory() as uow:
        # Written again with the same times: nothing falls due twice.
        task.updated_at = DUE + timedelta(hours=2)
        assert await uow.tasks.update(task, tags_changed=False, reminders_changed=True)
        await uow.commit()
    assert await _claim(uow_factory, timedelta(hours=2)) == []


async def test_a_fired_reminder_given_a_later_time_is_not_due_before_it(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    task = await _with_reminders(uow_factory, ann, 0)
    assert len(await _claim(uow_factory, timedelta(0))) == 1
    async with uow_factory() as uow:
        # Fired at DUE; the task then moves a day later, so the reminder's new time is a day on.
        task.apply(replace(task.fields(), due_date=DUE + timedelta(days=1)), DUE)
        assert await uow.tasks.update(task, tags_changed=False, reminders_changed=True)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.reminders.backlog(DUE + timedelta(hours=1)) == 0
    assert await _claim(uow_factory, timedelta(hours=1)) == []
    assert [d.reminder_id for d in await _claim(uow_factory, timedelta(days=1))] == [1]


async def test_a_time_already_past_when_set_never_falls_due(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    task = await _with_reminders(uow_factory, ann, 0)
    async with uow_factory() as uow:
        # Set at DUE + 1 h to go off at DUE - 1 h: already past.
        task.apply(
            task.fields(),
            DUE + timedelta(hours=1),
            reminders=[ReminderRule.parse(before_minutes=60)],
        )
        assert task.reminders[0].id == 2
        assert await uow.tasks.update(task, tags_changed=False, reminders_changed=True)
        await uow.commit()
    assert await _claim(uow_factory, timedelta(hours=1)) == []


async def test_a_deleted_task_leaves_nothing_due(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    task = await _with_reminders(uow_factory, ann, 0)
    async with uow_factory() as uow:
        assert await uow.tasks.delete(ann, task.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.reminders.backlog(DUE) == 0
    assert await _claim(uow_factory, timedelta(0)) == []


async def test_concurrent_claims_share_no_reminder(pg_engine: AsyncEngine) -> None:
    """Postgres: two workers claiming at once get disjoint reminders (FOR UPDATE SKIP LOCKED)."""

    def factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(pg_engine)

    ann = await _user(factory, "skip@example.com")
    for n in range(8):
        await _with_reminders(factory, ann, *range(5), title=f"t{n}")

    async def claim() -> list[tuple[int, int]]:
        async with factory() as uow:
            due = [d for d in await uow.reminders.claim(DUE, 25) if d.user_id == ann]
            await asyncio.sleep(0.2)  # hold the rows while the other claims
            for item in due:
                await uow.reminders.mark_fired(item)
            await uow.commit()
        return [(d.task_id, d.reminder_id) for d in due]

    first, second = await asyncio.gather(claim(), claim())
    assert not set(first) & set(second)
    assert len(first) + len(second) == 40


@pytest.fixture(params=["sqlite", "postgres"])
def sql_engine(request: pytest.FixtureRequest) -> AsyncEngine:
    engine: AsyncEngine = request.getfixturevalue(
        f"{'pg' if request.param == 'postgres' else 'sqlite'}_engine"
    )
    return engine


async def test_a_row_fired_for_an_earlier_time_is_due_at_its_own_time_only(
    sql_engine: AsyncEngine,
) -> None:
    """The SQL rule by itself: due once `remind_at` has come and it has not fired for that time.
    (Writers reset `fired_for` when a time moves; this holds whatever a row says.)"""

    def factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(sql_engine)

    ann = await _user(factory, "earlier@example.com")
    task = await _with_reminders(factory, ann, 0)
    async with sql_engine.begin() as connection:
        await connection.execute(
            task_reminders.update()
            .where(task_reminders.c.task_id == task.id)
            .values(fired_for=DUE - timedelta(days=1))
        )
    async with factory() as uow:
        assert await uow.reminders.backlog(DUE - timedelta(hours=1)) == 0
        assert await uow.reminders.claim(DUE - timedelta(hours=1), 10) == []
        assert [d.task_id for d in await uow.reminders.claim(DUE, 10)] == [task.id]
