"""A library user's own unit test, on todo-api's in-memory adapters: no database, no threads.

Run: .venv/bin/pytest examples/test_with_fakes.py
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.application.errors import TaskNotFound, TokenExpired
from todo_api.application.listing import SortField, TaskListing, TaskStatus
from todo_api.application.tasks.input import TaskInput
from todo_api.domain.task import Priority, Title

PASSWORD = "correct horse battery"  # noqa: S105 - a test account


async def test_a_users_task_is_invisible_to_everyone_else() -> None:
    # A clock fixed in the past: every time rule, token expiry included, reads it.
    clock = FixedClock(datetime(2020, 1, 1, tzinfo=UTC))
    todo = TodoService.in_memory(clock=clock)
    await todo.register("ann@example.com", PASSWORD)
    await todo.register("bob@example.com", PASSWORD)
    ann = await todo.authenticate((await todo.log_in("ann@example.com", PASSWORD)).access.token)
    bob = await todo.authenticate((await todo.log_in("bob@example.com", PASSWORD)).access.token)

    task = await todo.create_task(
        ann.user_id, TaskInput(title=Title("  Plan the week  "), priority=Priority.HIGH)
    )

    assert task.title == "Plan the week"
    assert await todo.get_task(ann.user_id, task.id) == task
    with pytest.raises(TaskNotFound):
        await todo.get_task(bob.user_id, task.id)
    listing = TaskListing(page=1, limit=50, status=TaskStatus.PENDING, sort=SortField.TITLE)
    assert [t.id for t in (await todo.list_tasks(ann.user_id, listing)).items] == [task.id]


async def test_tokens_expire_on_the_injected_clock() -> None:
    clock = FixedClock(datetime(2020, 1, 1, tzinfo=UTC))
    todo = TodoService.in_memory(clock=clock)
    await todo.register("ann@example.com", PASSWORD)
    tokens = await todo.log_in("ann@example.com", PASSWORD)
    clock.advance(timedelta(minutes=16))
    with pytest.raises(TokenExpired):
        await todo.authenticate(tokens.access.token)
