"""Reminders on the in-memory service (SPEC 15): set with the task, fired once by the worker as
a task.reminder event and a mail to a verified address, none for a done or deleted task,
snoozed, carried to the next occurrence, moved with an all-day date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.adapters.mail.memory import InMemoryMailer
from todo_api.application.errors import ReminderNotFound, TaskNotFound
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.domain.errors import InvalidReminder, TooManyReminders
from todo_api.domain.ids import UserId
from todo_api.domain.reminder import ReminderRule
from todo_api.domain.task import Title
from todo_api.domain.timezone import TimeZoneName
from todo_api.domain.user import User

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
DUE = NOW + timedelta(hours=2)
PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def todo(clock: FixedClock) -> TodoService:
    return TodoService.in_memory(clock)


def _before(minutes: int) -> ReminderRule:
    return ReminderRule.parse(before_minutes=minutes)


def _at(moment: datetime) -> ReminderRule:
    return ReminderRule.parse(at=moment)


async def _verified(todo: TodoService, email: str = "ann@example.com") -> User:
    await todo.register(email, PASSWORD)
    await todo.deliver_mail()
    mailer = todo.container.mailer()
    assert isinstance(mailer, InMemoryMailer)
    (token,) = re.findall(r"verify-email\?token=([\w-]+)", mailer.sent[-1].text)
    mailer.sent.clear()
    return await todo.verify_email(token)


async def _reminders_fired(todo: TodoService, user_id: UserId) -> list[tuple[str, int]]:
    return [
        (event.data["task"]["title"], event.data["reminder"]["id"])
        for _, event in await todo.events(user_id)
        if event.type.value == "task.reminder"
    ]


def _mail(todo: TodoService) -> list[str]:
    mailer = todo.container.mailer()
    assert isinstance(mailer, InMemoryMailer)
    return [f"{m.to}: {m.subject}" for m in mailer.sent]


async def test_a_due_reminder_fires_once_as_an_event_and_a_mail(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _verified(todo)
    task = await todo.create_task(
        ann.id,
        TaskInput(title=Title("pay rent"), due_date=DUE, reminders=[_before(30), _at(DUE)]),
    )
    assert [(r.id, r.remind_at(task.due_date)) for r in task.reminders] == [
        (1, DUE - timedelta(minutes=30)),
        (2, DUE),
    ]
    assert await todo.fire_reminders() == 0  # nothing due yet
    clock.advance(timedelta(minutes=90))
    assert await todo.fire_reminders() == 1
    assert await todo.fire_reminders() == 0
    assert await _reminders_fired(todo, ann.id) == [("pay rent", 1)]
    await todo.deliver_mail()
    assert _mail(todo) == ["ann@example.com: todo-api: Reminder: pay rent"]
    clock.advance(timedelta(hours=1))
    assert await todo.fire_reminders() == 1
    assert await _reminders_fired(todo, ann.id) == [("pay rent", 1), ("pay rent", 2)]
    event = [e for _, e in await todo.events(ann.id)][-1]
    assert event.data["reminder"] == {
        "id": 2,
        "before_minutes": None,
        "at": "2026-03-02T11:00:00Z",
        "snoozed_until": None,
        "remind_at": "2026-03-02T11:00:00Z",
    }
    assert event.data["task"]["id"] == task.id


async def test_an_unverified_address_gets_the_event_but_no_mail(
    todo: TodoService, clock: FixedClock
) -> None:
    bob = await todo.register("bob@example.com", PASSWORD)
    await todo.deliver_mail()  # the verification link
    await todo.create_task(bob.id, TaskInput(title=Title("call"), reminders=[_at(NOW)]))
    clock.advance(timedelta(seconds=1))
    before = len(_mail(todo))
    assert await todo.fire_reminders() == 1
    await todo.deliver_mail()
    assert await _reminders_fired(todo, bob.id) == [("call", 1)]
    assert len(_mail(todo)) == before


async def test_no_reminder_for_a_completed_or_deleted_task(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _verified(todo)
    done = await todo.create_task(
        ann.id, TaskInput(title=Title("done"), reminders=[_at(NOW + timedelta(minutes=5))])
    )
    gone = await todo.create_task(
        ann.id, TaskInput(title=Title("gone"), reminders=[_at(NOW + timedelta(minutes=5))])
    )
    await todo.update_task(ann.id, done.id, TaskPatch(completed=True))
    await todo.delete_task(ann.id, gone.id)
    clock.advance(timedelta(minutes=10))
    await todo.fire_reminders()
    # Reopened after its time, the done task's reminder stays passed over.
    await todo.update_task(ann.id, done.id, TaskPatch(completed=False))
    assert await todo.fire_reminders() == 0
    await todo.deliver_mail()
    assert await _reminders_fired(todo, ann.id) == []
    assert _mail(todo) == []


async def test_a_reminder_set_in_the_past_does_not_fire_but_a_rewrite_keeps_a_due_one(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _verified(todo)
    past = await todo.create_task(
        ann.id, TaskInput(title=Title("old"), reminders=[_at(NOW - timedelta(days=1))])
    )
    due = await todo.create_task(
        ann.id, TaskInput(title=Title("soon"), reminders=[_at(NOW + timedelta(minutes=1))])
    )
    clock.advance(timedelta(minutes=2))
    # Rewriting the task (same reminder) at the moment it is due does not swallow it.
    await todo.update_task(
        ann.id, due.id, TaskPatch(title=Title("soon!"), reminders=[_at(NOW + timedelta(minutes=1))])
    )
    await todo.update_task(ann.id, past.id, TaskPatch(title=Title("older")))
    assert await todo.fire_reminders() == 1
    assert await _reminders_fired(todo, ann.id) == [("soon!", 1)]


async def test_a_snoozed_reminder_fires_again_later(todo: TodoService, clock: FixedClock) -> None:
    ann = await _verified(todo)
    task = await todo.create_task(
        ann.id, TaskInput(title=Title("stretch"), due_date=DUE, reminders=[_before(0)])
    )
    clock.advance(timedelta(hours=2))
    assert await todo.fire_reminders() == 1
    snoozed = await todo.snooze_reminder(ann.id, task.id, 1, minutes=10)
    assert snoozed.reminders[0].snoozed_until == clock.now() + timedelta(minutes=10)
    assert snoozed.reminders[0].remind_at(snoozed.due_date) == clock.now() + timedelta(minutes=10)
    assert snoozed.version == task.version + 1
    clock.advance(timedelta(minutes=9))
    assert await todo.fire_reminders() == 0
    clock.advance(timedelta(minutes=1))
    assert await todo.fire_reminders() == 1
    assert await _reminders_fired(todo, ann.id) == [("stretch", 1), ("stretch", 1)]
    with pytest.raises(ReminderNotFound):
        await todo.snooze_reminder(ann.id, task.id, 2, minutes=10)
    with pytest.raises(InvalidReminder):
        await todo.snooze_reminder(ann.id, task.id, 1, minutes=0)
    bob = await todo.register("bob@example.com", PASSWORD)
    with pytest.raises(TaskNotFound):
        await todo.snooze_reminder(bob.id, task.id, 1, minutes=10)


async def test_a_new_due_date_moves_the_reminders_and_ends_their_snooze(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _verified(todo)
    task = await todo.create_task(
        ann.id, TaskInput(title=Title("report"), due_date=DUE, reminders=[_before(60)])
    )
    clock.advance(timedelta(hours=1))
    assert await todo.fire_reminders() == 1
    await todo.snooze_reminder(ann.id, task.id, 1, minutes=30)
    later = DUE + timedelta(days=1)
    moved = await todo.update_task(ann.id, task.id, TaskPatch(due_date=later))
    assert moved.reminders[0].snoozed_until is None
    assert moved.reminders[0].remind_at(moved.due_date) == later - timedelta(hours=1)
    clock.advance(timedelta(hours=1))  # the snooze's time passes: nothing
    assert await todo.fire_reminders() == 0
    clock.advance(timedelta(days=1))
    assert await todo.fire_reminders() == 1  # due again at its new time
    with pytest.raises(InvalidReminder):
        await todo.update_task(ann.id, task.id, TaskPatch(due_date=None))


async def test_reminders_are_validated(todo: TodoService) -> None:
    ann = await _verified(todo)
    with pytest.raises(InvalidReminder):
        await todo.create_task(ann.id, TaskInput(title=Title("x"), reminders=[_before(10)]))
    with pytest.raises(TooManyReminders):
        await todo.create_task(
            ann.id,
            TaskInput(title=Title("x"), due_date=DUE, reminders=[_before(n) for n in range(11)]),
        )
    with pytest.raises(InvalidReminder):
        ReminderRule.parse(before_minutes=10, at=DUE)
    with pytest.raises(InvalidReminder):
        ReminderRule.parse()
    with pytest.raises(InvalidReminder):
        ReminderRule.parse(before_minutes=-1)
    assert (await todo.list_tasks(ann.id)).total == 0


async def test_a_recurring_task_carries_its_reminders_to_the_next_occurrence(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _verified(todo)
    first = await todo.create_task(
        ann.id,
        TaskInput(
            title=Title("water plants"),
            due_date=DUE,
            recurrence_rule="FREQ=DAILY",
            reminders=[_before(15), _at(DUE - timedelta(hours=1))],
        ),
    )
    await todo.update_task(ann.id, first.id, TaskPatch(completed=True))
    (following,) = [t for t in (await todo.list_tasks(ann.id)).items if not t.completed]
    assert following.due_date == DUE + timedelta(days=1)
    assert [r.remind_at for r in following.reminders] == [
        DUE + timedelta(days=1, minutes=-15),
        DUE + timedelta(days=1, hours=-1),
    ]
    clock.advance(timedelta(days=1, hours=2))
    # Four handled: the completed first occurrence's two are passed over.
    assert await todo.fire_reminders() == 4
    assert await _reminders_fired(todo, ann.id) == [("water plants", 2), ("water plants", 1)]


async def test_a_time_zone_change_moves_all_day_dates_as_task_changes(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _verified(todo)
    task = await todo.create_task(
        ann.id,
        TaskInput(title=Title("birthday"), due_date=date(2026, 3, 5), reminders=[_before(60)]),
    )
    assert task.reminders[0].remind_at(task.due_date) == datetime(2026, 3, 4, 23, tzinfo=UTC)
    mark = (await todo.events(ann.id))[-1][0]
    principal = await todo.authenticate(
        (await todo.log_in("ann@example.com", PASSWORD)).access.token
    )
    await todo.update_profile(principal, timezone=TimeZoneName("Europe/Berlin"))
    moved = await todo.get_task(ann.id, task.id)
    assert moved.due_date == datetime(2026, 3, 4, 23, tzinfo=UTC)  # 5 March begins in Berlin
    assert moved.version == task.version + 1
    assert [(e.type.value, e.data["id"]) for _, e in await todo.events(ann.id, mark)] == [
        ("task.updated", task.id)
    ]
    clock.advance(timedelta(days=2, hours=13))  # 4 March, 22:00 UTC: the moved reminder
    assert await todo.fire_reminders() == 1
