"""Replacing, patching and deleting a task; completing a recurring one creates the next."""

from __future__ import annotations

from typing import NoReturn

from todo_api.application.errors import PreconditionFailed, TaskNotFound
from todo_api.application.events import Event, EventType
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.application.preconditions import IfMatch
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.application.tasks.owned_tags import owned_tags
from todo_api.application.tasks.owner_zone import is_day, zone_of
from todo_api.application.unset import Unset
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.task import Task, TaskFields
from todo_api.domain.timezone import UTC_ZONE

__all__ = ["CompleteTask", "DeleteTask", "PatchTask", "ReplaceTask"]


class ReplaceTask:
    """PUT: every field takes the sent value or its default."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, user_id: UserId, task_id: TaskId, data: TaskInput, if_match: IfMatch | None = None
    ) -> Task:
        task, _ = await _change(
            self._uow, self._clock, user_id, task_id, data, data.tag_ids, if_match
        )
        return task


class PatchTask:
    """PATCH: only the sent fields change; null clears a nullable field."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, user_id: UserId, task_id: TaskId, patch: TaskPatch, if_match: IfMatch | None = None
    ) -> Task:
        tag_ids = None if isinstance(patch.tag_ids, Unset) else patch.tag_ids
        task, _ = await _change(self._uow, self._clock, user_id, task_id, patch, tag_ids, if_match)
        return task


class CompleteTask:
    """Mark a task done; for a recurring one, also return the next occurrence it created."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, user_id: UserId, task_id: TaskId) -> tuple[Task, Task | None]:
        """Raises TaskNotFound. Completing a completed task changes nothing but its version."""
        patch = TaskPatch(completed=True)
        return await _change(self._uow, self._clock, user_id, task_id, patch, None, None)


class DeleteTask:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, user_id: UserId, task_id: TaskId, if_match: IfMatch | None = None
    ) -> None:
        async with self._uow as uow:
            # Read first: the task.deleted event carries the task as it last was.
            task = await uow.tasks.get(user_id, task_id)
            if task is None:
                raise TaskNotFound
            expected = if_match.check(task.version) if if_match is not None else None
            if not await uow.tasks.delete(user_id, task_id, expected_version=expected):
                await _refuse(uow, user_id, task_id)
            await uow.events.record(
                Event.about_task(EventType.TASK_DELETED, task, self._clock.now())
            )
            await uow.commit()


async def _change(
    uow_: UnitOfWork,
    clock: Clock,
    user_id: UserId,
    task_id: TaskId,
    change: TaskInput | TaskPatch,
    tag_ids: list[TagId] | None,
    if_match: IfMatch | None,
) -> tuple[Task, Task | None]:
    """The task as changed, and the next occurrence when the change completed a series."""
    async with uow_ as uow:
        task = await uow.tasks.get(user_id, task_id)
        if task is None:
            raise TaskNotFound
        expected = if_match.check(task.version) if if_match is not None else None
        # The owner's zone is read only when it matters: to place a day, or to expand a series
        # this change completes. Most changes need neither.
        day_given = is_day(change.due_date)
        zone = await zone_of(uow, user_id) if day_given else UTC_ZONE
        if isinstance(change, TaskPatch):
            fields = change.fields_over(task, zone)
        else:
            fields = change.fields(zone)
        if not day_given and _completes_a_series(task, fields):
            zone = await zone_of(uow, user_id)
        now = clock.now()
        if tag_ids is not None:
            task.retag(await owned_tags(uow, user_id, tag_ids), now)
        was_completed = task.completed
        scheduled = task.reminder_times()
        rules = None if isinstance(change.reminders, Unset) else change.reminders
        following = task.apply(fields, now, zone, reminders=rules)
        if not await uow.tasks.update(
            task,
            tags_changed=tag_ids is not None,
            reminders_changed=task.reminder_times() != scheduled,
            expected_version=expected,
        ):
            await _refuse(uow, user_id, task_id)
        completes = task.completed and not was_completed
        kind = EventType.TASK_COMPLETED if completes else EventType.TASK_UPDATED
        await uow.events.record(Event.about_task(kind, task, now))
        created = None
        if following is not None:
            created = await uow.tasks.add(following)
            await uow.events.record(Event.about_task(EventType.TASK_CREATED, created, now))
        await uow.commit()
    return task, created


def _completes_a_series(task: Task, fields: TaskFields) -> bool:
    return fields.completed and not task.completed and fields.recurrence_rule is not None


async def _version_of(uow: UnitOfWork, user_id: UserId, task_id: TaskId) -> int:
    task = await uow.tasks.get(user_id, task_id)
    if task is None:
        raise TaskNotFound
    return task.version


async def _refuse(uow: UnitOfWork, user_id: UserId, task_id: TaskId) -> NoReturn:
    """The write found no row: the task is gone, or another write changed it first."""
    raise PreconditionFailed(await _version_of(uow, user_id, task_id))
