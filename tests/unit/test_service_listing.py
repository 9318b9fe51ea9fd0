"""The library facade pages by cursor as the HTTP API does (issue 12: every parameter on
TodoService)."""

from __future__ import annotations

from todo_api import TodoService
from todo_api.application.listing import SortField, TaskListing
from todo_api.application.tasks.input import TaskInput
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
