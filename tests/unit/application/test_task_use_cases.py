import uuid
from datetime import timedelta

import pytest

from tests.unit.application.conftest import Harness
from todo_api.application.cursor import CursorCodec
from todo_api.application.errors import InvalidCursor, TagNotFound, TaskNotFound
from todo_api.application.listing import SortField, TagMode, TaskListing, TaskStatus
from todo_api.application.tags.manage import CreateTag, DeleteTag, TagPatch, UpdateTag
from todo_api.application.tasks.create import CreateTask
from todo_api.application.tasks.get import GetTask
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.application.tasks.listing import ListTasks
from todo_api.application.tasks.tagging import AssignTag, UnassignTag
from todo_api.application.tasks.update import DeleteTask, PatchTask, ReplaceTask
from todo_api.domain.ids import TagId, TaskId, UserId

ANN = UserId(uuid.uuid4())
BOB = UserId(uuid.uuid4())


async def test_a_task_with_an_unknown_tag_is_not_created(harness: Harness) -> None:
    with pytest.raises(TagNotFound):
        await CreateTask(harness.uow(), harness.clock).execute(
            ANN, TaskInput(title="t", tag_ids=[TagId(42)])
        )
    assert harness.store.tables.tasks == {}


async def test_another_users_tag_is_not_found(harness: Harness) -> None:
    tag = await CreateTag(harness.uow(), harness.clock).execute(BOB, "bob's")
    with pytest.raises(TagNotFound):
        await CreateTask(harness.uow(), harness.clock).execute(
            ANN, TaskInput(title="t", tag_ids=[tag.id])
        )


async def test_patching_completed_on_a_recurring_task_adds_the_next_in_the_same_commit(
    harness: Harness,
) -> None:
    task = await CreateTask(harness.uow(), harness.clock).execute(
        ANN, TaskInput(title="t", due_date="2026-01-01T08:00:00Z", recurrence_rule="FREQ=DAILY")
    )
    await PatchTask(harness.uow(), harness.clock).execute(ANN, task.id, TaskPatch(completed=True))
    tasks = sorted(harness.store.tables.tasks.values(), key=lambda t: t.id)
    assert [(t.completed, t.due_date.day) for t in tasks] == [(True, 1), (False, 2)]


async def test_replace_resets_omitted_fields(harness: Harness) -> None:
    task = await CreateTask(harness.uow(), harness.clock).execute(
        ANN, TaskInput(title="t", description="d", priority="high")
    )
    replaced = await ReplaceTask(harness.uow(), harness.clock).execute(
        ANN, task.id, TaskInput(title="u")
    )
    assert (replaced.description, replaced.priority.value) == (None, "medium")


async def test_a_task_of_someone_else_is_not_found_for_every_operation(harness: Harness) -> None:
    task = await CreateTask(harness.uow(), harness.clock).execute(ANN, TaskInput(title="mine"))
    tag = await CreateTag(harness.uow(), harness.clock).execute(BOB, "b")
    for attempt in (
        GetTask(harness.uow()).execute(BOB, task.id),
        ReplaceTask(harness.uow(), harness.clock).execute(BOB, task.id, TaskInput(title="x")),
        PatchTask(harness.uow(), harness.clock).execute(BOB, task.id, TaskPatch(title="x")),
        DeleteTask(harness.uow(), harness.clock).execute(BOB, task.id),
        AssignTag(harness.uow(), harness.clock).execute(BOB, task.id, tag.id),
        UnassignTag(harness.uow(), harness.clock).execute(BOB, task.id, tag.id),
    ):
        with pytest.raises(TaskNotFound):
            await attempt
    assert harness.store.tables.tasks[task.id].title == "mine"


async def test_assigning_twice_reports_the_link_as_existing(harness: Harness) -> None:
    task = await CreateTask(harness.uow(), harness.clock).execute(ANN, TaskInput(title="t"))
    tag = await CreateTag(harness.uow(), harness.clock).execute(ANN, "work")
    assign = AssignTag(harness.uow(), harness.clock)
    assert (await assign.execute(ANN, task.id, tag.id))[1] is True
    assert (await assign.execute(ANN, task.id, tag.id))[1] is False
    await UnassignTag(harness.uow(), harness.clock).execute(ANN, task.id, tag.id)
    assert (await GetTask(harness.uow()).execute(ANN, task.id)).tags == []


async def test_listing_by_tag_name_or_id(harness: Harness) -> None:
    tag = await CreateTag(harness.uow(), harness.clock).execute(ANN, "Work")
    create = CreateTask(harness.uow(), harness.clock)
    await create.execute(ANN, TaskInput(title="tagged", tag_ids=[tag.id]))
    await create.execute(ANN, TaskInput(title="plain"))
    list_tasks = _list_tasks(harness)
    for tag_filter in ("work", str(tag.id)):
        page = await list_tasks.execute(ANN, TaskListing(tag=tag_filter))
        assert [t.title for t in page.items] == ["tagged"]
    assert (await list_tasks.execute(ANN, TaskListing(tag="unknown"))).total == 0


def _list_tasks(harness: Harness) -> ListTasks:
    return ListTasks(harness.uow(), harness.clock, CursorCodec(b"unit-test secret"))


async def test_tag_filters_any_or_all_and_unknown_tags(harness: Harness) -> None:
    work = await CreateTag(harness.uow(), harness.clock).execute(ANN, "work")
    home = await CreateTag(harness.uow(), harness.clock).execute(ANN, "home")
    create = CreateTask(harness.uow(), harness.clock)
    await create.execute(ANN, TaskInput(title="both", tag_ids=[work.id, home.id]))
    await create.execute(ANN, TaskInput(title="work only", tag_ids=[work.id]))
    await create.execute(ANN, TaskInput(title="none"))
    list_tasks = _list_tasks(harness)

    async def titles(**listing: object) -> set[str]:
        return {t.title for t in (await list_tasks.execute(ANN, TaskListing(**listing))).items}

    assert await titles(tags=("work", "home")) == {"both", "work only"}
    assert await titles(tags=("work", "home"), tag_mode=TagMode.ALL) == {"both"}
    assert await titles(tags=("work", "nosuch")) == {"both", "work only"}
    assert await titles(tags=("work", "nosuch"), tag_mode=TagMode.ALL) == set()
    assert await titles(tags=("nosuch",)) == set()


async def test_overdue_and_due_within_are_pending_tasks_relative_to_now(harness: Harness) -> None:
    now = harness.clock.now()
    create = CreateTask(harness.uow(), harness.clock)
    for title, due, done in [
        ("late", now - timedelta(hours=1), False),
        ("late but done", now - timedelta(hours=1), True),
        ("later today", now + timedelta(minutes=1), False),
        ("in two days", now + timedelta(days=2), False),
        ("undated", None, False),
    ]:
        await create.execute(ANN, TaskInput(title=title, due_date=due, completed=done))
    list_tasks = _list_tasks(harness)

    async def titles(**listing: object) -> set[str]:
        return {t.title for t in (await list_tasks.execute(ANN, TaskListing(**listing))).items}

    assert await titles(overdue=True) == {"late"}
    assert await titles(due_within=0) == {"later today"}
    assert await titles(due_within=2) == {"later today", "in two days"}
    assert await titles(due_before=now) == {"late", "late but done"}
    assert await titles(due_after=now) == {"later today", "in two days"}


async def test_a_cursor_is_refused_when_altered_or_used_for_another_listing(
    harness: Harness,
) -> None:
    create = CreateTask(harness.uow(), harness.clock)
    for n in range(3):
        await create.execute(ANN, TaskInput(title=f"t{n}"))
    list_tasks = _list_tasks(harness)
    first = await list_tasks.by_cursor(ANN, TaskListing(limit=2))
    assert [t.title for t in first.items] == ["t2", "t1"] and first.next_cursor
    second = await list_tasks.by_cursor(ANN, TaskListing(limit=2), first.next_cursor)
    assert [t.title for t in second.items] == ["t0"] and second.next_cursor is None
    payload, signature = first.next_cursor.split(".")
    altered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
    for cursor, listing in [
        (altered, TaskListing(limit=2)),
        ("garbage", TaskListing(limit=2)),
        (first.next_cursor, TaskListing(limit=2, sort=SortField.TITLE)),
        (first.next_cursor, TaskListing(limit=2, status=TaskStatus.PENDING)),
    ]:
        with pytest.raises(InvalidCursor):
            await list_tasks.by_cursor(ANN, listing, cursor)
    # Another limit is the same listing: a client may change its page size as it goes.
    assert (await list_tasks.by_cursor(ANN, TaskListing(limit=5), first.next_cursor)).items


async def test_a_patch_to_a_tag_changes_only_what_was_sent(harness: Harness) -> None:
    tag = await CreateTag(harness.uow(), harness.clock).execute(ANN, "work", "#aabbcc")
    renamed = await UpdateTag(harness.uow(), harness.clock).execute(
        ANN, tag.id, TagPatch(name="job")
    )
    assert (renamed.name, renamed.color) == ("job", "#AABBCC")
    await DeleteTag(harness.uow(), harness.clock).execute(ANN, tag.id)
    with pytest.raises(TagNotFound):
        await DeleteTag(harness.uow(), harness.clock).execute(ANN, tag.id)


async def test_deleting_a_missing_task_is_not_found(harness: Harness) -> None:
    with pytest.raises(TaskNotFound):
        await DeleteTask(harness.uow(), harness.clock).execute(ANN, TaskId(1))
