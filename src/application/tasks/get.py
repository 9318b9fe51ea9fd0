"""Reading one of the caller's tasks."""

from __future__ import annotations

from todo_api.application.errors import TaskNotFound
from todo_api.application.ports import UnitOfWork
from todo_api.domain.ids import TaskId, UserId
from todo_api.domain.task import Task

__all__ = ["GetTask"]


class GetTask:
    """The caller's task with its tags; raises TaskNotFound for a missing or another's task."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, task_id: TaskId) -> Task:
        async with self._uow as uow:
            task = await uow.tasks.get(user_id, task_id)
        if task is None:
            raise TaskNotFound
        return task
