"""Every change to a task or tag records its event with the change, and only then (SPEC 15)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.application.errors import PreconditionFailed, TagAlreadyExists
from todo_api.application.preconditions import IfMatch
from todo_api.application.tags.manage import TagPatch
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.domain.ids import UserId
from todo_api.domain.tag import TagName
from todo_api.domain.task import Title

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def todo() -> TodoService:
    return TodoService.in_memory(FixedClock(NOW))


async def _kinds(todo: TodoService, user_id: UserId, after: int = 0) -> list[str]:
    return [event.type.value for _, event in await todo.events(user_id, after)]


async def test_each_task_and_tag_change_records_one_event(todo: TodoService) -> None:
    ann = (await todo.register("ann@example.com", "correct horse battery")).id
    home = await todo.create_tag(ann, TagName("home"))
    task = await todo.create_task(ann, TaskInput(title=Title("water plants")))
    await todo.update_task(ann, task.id, TaskPatch(title=Title("water the plants")))
    await todo.tag_task(ann, task.id, home.id)
    await todo.tag_task(ann, task.id, home.id)  # already linked: no change, no event
    await todo.untag_task(ann, task.id, home.id)
    await todo.update_task(ann, task.id, TaskPatch(completed=True))
    await todo.update_tag(ann, home.id, TagPatch(name=TagName("house")))
    await todo.delete_task(ann, task.id)
    await todo.delete_tag(ann, home.id)
    assert await _kinds(todo, ann) == [
        "tag.created",
        "task.created",
        "task.updated",
        "task.updated",
        "task.updated",
        "task.completed",
        "tag.updated",
        "task.deleted",
        "tag.deleted",
    ]
    events = [event for _, event in await todo.events(ann)]
    assert events[1].data["title"] == "water plants"
    assert events[3].data["tags"] == [{"id": home.id, "name": "home", "color": None, "version": 1}]
    assert events[7].data["title"] == "water the plants"  # the task as it last was
    assert {event.user_id for event in events} == {ann}
    assert len({event.id for event in events}) == len(events)
    assert {event.occurred_at for event in events} == {NOW}


async def test_completing_a_recurring_task_records_the_next_one(todo: TodoService) -> None:
    ann = (await todo.register("ann@example.com", "correct horse battery")).id
    task = await todo.create_task(
        ann, TaskInput(title=Title("standup"), due_date=NOW, recurrence_rule="FREQ=DAILY")
    )
    await todo.update_task(ann, task.id, TaskPatch(completed=True))
    _, completed, created = [event for _, event in await todo.events(ann)]
    assert (completed.type.value, completed.data["id"]) == ("task.completed", task.id)
    assert created.type.value == "task.created" and created.data["id"] != task.id


async def test_a_refused_change_records_nothing(todo: TodoService) -> None:
    ann = (await todo.register("ann@example.com", "correct horse battery")).id
    await todo.create_tag(ann, TagName("home"))
    task = await todo.create_task(ann, TaskInput(title=Title("plan")))
    with pytest.raises(TagAlreadyExists):
        await todo.create_tag(ann, TagName("HOME"))
    with pytest.raises(PreconditionFailed):
        await todo.update_task(ann, task.id, TaskPatch(title=Title("x")), IfMatch.version(9))
    with pytest.raises(PreconditionFailed):
        await todo.delete_task(ann, task.id, IfMatch.version(9))
    assert await _kinds(todo, ann) == ["tag.created", "task.created"]


async def test_events_page_from_a_number_and_stay_with_their_user(todo: TodoService) -> None:
    ann = (await todo.register("ann@example.com", "correct horse battery")).id
    bob = (await todo.register("bob@example.com", "correct horse battery")).id
    for n in range(3):
        await todo.create_task(ann, TaskInput(title=Title(f"ann {n}")))
        await todo.create_task(bob, TaskInput(title=Title(f"bob {n}")))
    first = await todo.events(ann, limit=2)
    rest = await todo.events(ann, after=first[-1][0])
    titles = [event.data["title"] for _, event in [*first, *rest]]
    assert titles == ["ann 0", "ann 1", "ann 2"]
