"""Snoozing one of a task's reminders: it goes off again a number of minutes from now."""

from __future__ import annotations

from todo_api.application.errors import ReminderNotFound, TaskNotFound
from todo_api.application.events import Event, EventType
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.domain.ids import TaskId, UserId
from todo_api.domain.task import Task

__all__ = ["SnoozeReminder"]


class SnoozeReminder:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, user_id: UserId, task_id: TaskId, reminder_id: int, minutes: int
    ) -> Task:
        """Raises TaskNotFound, ReminderNotFound, InvalidReminder (minutes out of range)."""
        now = self._clock.now()
        async with self._uow as uow:
            task = await uow.tasks.get(user_id, task_id)
            if task is None:
                raise TaskNotFound
            if not task.snooze(reminder_id, minutes, now):
                raise ReminderNotFound
            if not await uow.tasks.update(task, tags_changed=False, reminders_changed=True):
                raise TaskNotFound  # deleted since it was read
            await uow.events.record(Event.about_task(EventType.TASK_UPDATED, task, now))
            await uow.commit()
        return task
