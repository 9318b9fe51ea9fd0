"""Creating a task."""

from __future__ import annotations

from todo_api.application.events import Event, EventType
from todo_api.application.idempotency import Once, begin_once, finish_once
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.application.tasks.input import TaskInput
from todo_api.application.tasks.owned_tags import owned_tags
from todo_api.application.tasks.owner_zone import is_day, zone_of
from todo_api.domain.ids import UserId
from todo_api.domain.task import NewTask, Task
from todo_api.domain.timezone import UTC_ZONE

__all__ = ["CreateTask"]


class CreateTask:
    """Create a task with its tag links, together or not at all."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, user_id: UserId, data: TaskInput, once: Once[Task] | None = None
    ) -> Task:
        """Raises Replay when `once` names a key already used for this request."""
        now = self._clock.now()
        async with self._uow as uow:
            await begin_once(uow, user_id, once, now)
            # The owner's zone places a day; a moment needs no read of the user.
            zone = await zone_of(uow, user_id) if is_day(data.due_date) else UTC_ZONE
            fields = data.fields(zone)
            tags = await owned_tags(uow, user_id, data.tag_ids)
            new = NewTask.create(
                user_id=user_id, fields=fields, tags=tags, now=now, reminders=data.reminders
            )
            task = await uow.tasks.add(new)
            await uow.events.record(Event.about_task(EventType.TASK_CREATED, task, now))
            await finish_once(uow, user_id, once, task)
            await uow.commit()
        return task
