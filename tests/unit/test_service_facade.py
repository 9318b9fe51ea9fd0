"""The library facade covers what the HTTP API offers: cursor pages, idempotent creates
(issue 12: every parameter on TodoService)."""

from __future__ import annotations

import pytest

from todo_api import TodoService
from todo_api.application.errors import IdempotencyKeyReused
from todo_api.application.listing import SortField, TaskListing
from todo_api.application.tasks.input import TaskInput
from todo_api.domain.tag import TagName
from todo_api.domain.task import Title


async def test_a_library_caller_walks_cursor_pages() -> None:
    todo = TodoService.in_memory()
    ann = await todo.register("ann@example.com", "correct horse battery")
    for n in range(5):
        await todo.create_task(ann.id, TaskInput(title=Title(f"task {n}")))
    listing = TaskListing(limit=2, sort=SortField.TITLE, descending=False)
    seen: list[str] = []
    cursor: str | None = ""
    while cursor is not None:
        page = await todo.list_tasks_by_cursor(ann.id, listing, cursor)
        seen += [task.title for task in page.items]
        cursor = page.next_cursor
    assert seen == [f"task {n}" for n in range(5)]


async def test_a_library_retry_with_the_same_key_creates_once() -> None:
    todo = TodoService.in_memory()
    ann = await todo.register("ann@example.com", "correct horse battery")
    data = TaskInput(title=Title("pay rent"))
    first = await todo.create_task(ann.id, data, idempotency_key="rent-1")
    again = await todo.create_task(ann.id, data, idempotency_key="rent-1")
    assert again.id == first.id
    assert (await todo.list_tasks(ann.id)).total == 1
    with pytest.raises(IdempotencyKeyReused):
        await todo.create_task(ann.id, TaskInput(title=Title("other")), idempotency_key="rent-1")
    tag = await todo.create_tag(ann.id, TagName("home"), idempotency_key="tag-1")
    assert (await todo.create_tag(ann.id, TagName("home"), idempotency_key="tag-1")).id == tag.id
    linked = await todo.tag_task(ann.id, first.id, tag.id, idempotency_key="link-1")
    assert (await todo.tag_task(ann.id, first.id, tag.id, idempotency_key="link-1")) == linked
