"""A write cut mid-way leaves nothing behind: a task and its links are stored together or not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.clock import SystemClock
from todo_api.adapters.persistence.tables import task_tag_link, tasks
from todo_api.adapters.persistence.tasks import SqlAlchemyTaskRepository
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.errors import StorageUnavailable
from todo_api.application.tags.manage import CreateTag
from todo_api.application.tasks.create import CreateTask
from todo_api.application.tasks.input import TaskInput
from todo_api.domain.email import Email
from todo_api.domain.user import User


async def test_a_failure_after_the_task_row_rolls_the_task_back(
    pg_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = User.register(
        email=Email.parse("a@example.com"), password_hash="h", name=None, now=SystemClock().now()
    )
    async with SqlAlchemyUnitOfWork(pg_engine) as uow:
        await uow.users.add(user)
        await uow.commit()
    tag = await CreateTag(SqlAlchemyUnitOfWork(pg_engine), SystemClock()).execute(user.id, "work")

    async def connection_lost(*_args: object) -> int:
        raise ConnectionResetError("the connection dropped between the two inserts")

    # The task row is written; the links are next when the connection "drops".
    monkeypatch.setattr(SqlAlchemyTaskRepository, "_insert_links", connection_lost)
    with pytest.raises(StorageUnavailable) as raised:
        await CreateTask(SqlAlchemyUnitOfWork(pg_engine), SystemClock()).execute(
            user.id, TaskInput(title="half-made", tag_ids=[tag.id])
        )
    assert isinstance(raised.value.__cause__, ConnectionResetError)
    async with pg_engine.connect() as connection:
        assert await connection.scalar(sa.select(sa.func.count()).select_from(tasks)) == 0
        assert await connection.scalar(sa.select(sa.func.count()).select_from(task_tag_link)) == 0
