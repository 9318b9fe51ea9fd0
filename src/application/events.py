"""What happened to a user's tasks and tags, recorded with the change itself (SPEC 15).

A use case records an event in the unit of work of its change, so a change that rolls back
leaves no event and a committed one always has its event (the outbox). The worker delivers
events to webhooks; the event stream shows them to the user's clients. An event's `data` is the
resource as the API shows it (`task_view`, `tag_view`; a test holds them equal to the HTTP
bodies).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from todo_api.domain.ids import UserId
from todo_api.domain.reminder import Reminder
from todo_api.domain.tag import Tag
from todo_api.domain.task import Task

if TYPE_CHECKING:
    from todo_api.application.ports import Clock, UnitOfWork

# A page of events is at most this long.
MAX_EVENTS = 500

__all__ = [
    "Event",
    "EventType",
    "ListEvents",
    "PurgeEvents",
    "reminder_view",
    "tag_view",
    "task_view",
]


class EventType(enum.StrEnum):
    TASK_CREATED = "task.created"
    TASK_UPDATED = "task.updated"
    TASK_COMPLETED = "task.completed"
    TASK_DELETED = "task.deleted"
    TASK_REMINDER = "task.reminder"
    TAG_CREATED = "tag.created"
    TAG_UPDATED = "tag.updated"
    TAG_DELETED = "tag.deleted"
    # Sent by POST /webhooks/{id}/test to that webhook alone.
    WEBHOOK_TEST = "webhook.test"


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    id: str
    type: EventType
    user_id: UserId
    occurred_at: datetime
    data: dict[str, Any]

    @classmethod
    def of(cls, type_: EventType, user_id: UserId, now: datetime, data: dict[str, Any]) -> Event:
        # "msg_" + 32 hex digits: the shape Standard Webhooks suggests for a webhook-id.
        return cls(
            id=f"msg_{uuid.uuid4().hex}", type=type_, user_id=user_id, occurred_at=now, data=data
        )

    def body(self) -> dict[str, Any]:
        """What receivers get (a webhook's body, an event stream message's data)."""
        return {"type": self.type.value, "timestamp": _instant(self.occurred_at), "data": self.data}

    @classmethod
    def about_task(cls, type_: EventType, task: Task, now: datetime) -> Event:
        return cls.of(type_, task.user_id, now, task_view(task))

    @classmethod
    def reminding(cls, task: Task, reminder: Reminder, now: datetime) -> Event:
        """task.reminder: the task, and which of its reminders went off."""
        data = {"task": task_view(task), "reminder": reminder_view(reminder, task)}
        return cls.of(EventType.TASK_REMINDER, task.user_id, now, data)

    @classmethod
    def about_tag(cls, type_: EventType, tag: Tag, now: datetime) -> Event:
        return cls.of(type_, tag.user_id, now, tag_view(tag))


def tag_view(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag.id,
        "name": str(tag.name),
        "color": str(tag.color) if tag.color is not None else None,
        "version": tag.version,
    }


def task_view(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": str(task.title),
        "description": str(task.description) if task.description is not None else None,
        "completed": task.completed,
        "priority": task.priority.value,
        "due_date": _instant(task.due_date),
        "recurrence_rule": task.recurrence_rule.value if task.recurrence_rule else None,
        "tags": [tag_view(tag) for tag in task.tags],
        "created_at": _instant(task.created_at),
        "updated_at": _instant(task.updated_at),
        "version": task.version,
        "all_day": task.all_day,
        "reminders": [reminder_view(reminder, task) for reminder in task.reminders],
    }


def reminder_view(reminder: Reminder, task: Task) -> dict[str, Any]:
    return {
        "id": reminder.id,
        "before_minutes": reminder.rule.before_minutes,
        "at": _instant(reminder.rule.at),
        "snoozed_until": _instant(reminder.snoozed_until),
        "remind_at": _instant(reminder.remind_at(task.due_date)),
    }


def _instant(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z, as the API writes it."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class ListEvents:
    """The caller's events after a number, oldest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, after: int, limit: int) -> list[tuple[int, Event]]:
        async with self._uow as uow:
            return await uow.events.since(user_id, max(after, 0), min(max(limit, 1), MAX_EVENTS))

    async def latest(self, user_id: UserId) -> int:
        """The number of the caller's newest event (0 when none): where a stream starts."""
        async with self._uow as uow:
            return await uow.events.last_number(user_id)


class PurgeEvents:
    """Forget events older than the retention (EVENT_RETENTION_DAYS), once fanned out: a stream
    resumes over what is retained, and each delivery log goes with its event."""

    def __init__(self, uow: UnitOfWork, clock: Clock, retention_days: int) -> None:
        self._uow = uow
        self._clock = clock
        self._retention = timedelta(days=retention_days)

    async def execute(self, batch: int = 1000) -> int:
        before = self._clock.now() - self._retention
        purged = 0
        while True:
            async with self._uow as uow:
                done = await uow.events.purge(before, batch)
                await uow.commit()
            purged += done
            if done < batch:
                return purged
