"""A library user's own unit test, on todo-api's in-memory adapters: no database, no threads.

Run: .venv/bin/pytest examples/test_with_fakes.py
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from todo_api.adapters.clock import FixedClock
from todo_api.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from todo_api.application.errors import TaskNotFound
from todo_api.application.tasks.create import CreateTask
from todo_api.application.tasks.input import TaskInput
from todo_api.application.tasks.read import GetTask
from todo_api.domain.ids import UserId


async def test_a_users_task_is_invisible_to_everyone_else() -> None:
    store = InMemoryStore()
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    ann, bob = UserId(uuid.uuid4()), UserId(uuid.uuid4())

    task = await CreateTask(InMemoryUnitOfWork(store), clock).execute(
        ann, TaskInput(title="  Plan the week  ", priority="high")
    )

    assert task.title == "Plan the week"
    assert (await GetTask(InMemoryUnitOfWork(store)).execute(ann, task.id)) == task
    with pytest.raises(TaskNotFound):
        await GetTask(InMemoryUnitOfWork(store)).execute(bob, task.id)
