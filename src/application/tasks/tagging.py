"""Linking a tag to a task and unlinking it."""

from __future__ import annotations

from todo_api.application.errors import TagNotFound, TaskNotFound
from todo_api.application.events import Event, EventType
from todo_api.application.idempotency import Once, begin_once, finish_once
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.task import Task

__all__ = ["AssignTag", "UnassignTag"]


class AssignTag:
    """Link the caller's tag to the caller's task; say whether the link is new."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self,
        user_id: UserId,
        task_id: TaskId,
        tag_id: TagId,
        once: Once[tuple[Task, bool]] | None = None,
    ) -> tuple[Task, bool]:
        """Raises TaskNotFound, TagNotFound, and Replay when `once` names a key already used
        for this request."""
        async with self._uow as uow:
            await begin_once(uow, user_id, once, self._clock.now())
            task = await uow.tasks.get(user_id, task_id)
            if task is None:
                raise TaskNotFound
            tag = await uow.tags.get(user_id, tag_id)
            if tag is None:
                raise TagNotFound
            created = await uow.tasks.link(task_id, tag_id)
            if created:
                now = self._clock.now()
                task.retag([*task.tags, tag], now)
                await uow.tasks.update(task, tags_changed=False)
                await uow.events.record(Event.about_task(EventType.TASK_UPDATED, task, now))
            await finish_once(uow, user_id, once, (task, created))
            await uow.commit()
        return task, created


class UnassignTag:
    """Unlink a tag from a task; quietly done when it was not linked."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, user_id: UserId, task_id: TaskId, tag_id: TagId) -> None:
        async with self._uow as uow:
            task = await uow.tasks.get(user_id, task_id)
            if task is None:
                raise TaskNotFound
            if await uow.tags.get(user_id, tag_id) is None:
                raise TagNotFound
            if await uow.tasks.unlink(task_id, tag_id):
                now = self._clock.now()
                task.retag([t for t in task.tags if t.id != tag_id], now)
                await uow.tasks.update(task, tags_changed=False)
                await uow.events.record(Event.about_task(EventType.TASK_UPDATED, task, now))
            await uow.commit()
