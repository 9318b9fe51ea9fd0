"""A task as a listing shows it: plain values read straight from storage (ADR 0023).

Listings are the hot read: a page of 20 tasks built as domain `Task`s ran every value object's
constructor and every enum lookup for values the store had validated when it wrote them, and
the HTTP edge then copied each one into its response. A view is built once from the row and
converted to the response in C (msgspec), so no domain rule runs on the way out. Writes, and
the reads that precede them, still go through `Task`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from todo_api.domain.reminder import Reminder
from todo_api.domain.task import Task

__all__ = ["ReminderView", "TagView", "TaskView"]


@dataclass(frozen=True, slots=True)
class TagView:
    id: int
    name: str
    color: str | None
    version: int


@dataclass(frozen=True, slots=True)
class ReminderView:
    id: int
    before_minutes: int | None
    at: datetime | None
    snoozed_until: datetime | None
    # When it goes off: the snooze, or the time its rule names.
    remind_at: datetime

    @classmethod
    def of(cls, reminder: Reminder, due_date: datetime | None) -> ReminderView:
        return cls(
            id=reminder.id,
            before_minutes=reminder.rule.before_minutes,
            at=reminder.rule.at,
            snoozed_until=reminder.snoozed_until,
            remind_at=reminder.remind_at(due_date),
        )


@dataclass(frozen=True, slots=True)
class TaskView:
    """The fields of a task in the API's order; priority and recurrence rule as their text."""

    id: int
    title: str
    description: str | None
    completed: bool
    priority: str
    due_date: datetime | None
    recurrence_rule: str | None
    tags: tuple[TagView, ...]
    created_at: datetime
    updated_at: datetime
    version: int
    # The due date is a whole day: `due_date` is its start in the owner's time zone.
    all_day: bool
    reminders: tuple[ReminderView, ...]

    @classmethod
    def of(cls, task: Task) -> TaskView:
        """The view of a domain task (stores that hold `Task`s, such as the in-memory one)."""
        return cls(
            id=task.id,
            title=str(task.title),
            description=str(task.description) if task.description is not None else None,
            completed=task.completed,
            priority=task.priority.value,
            due_date=task.due_date,
            recurrence_rule=task.recurrence_rule.value if task.recurrence_rule else None,
            tags=tuple(
                TagView(
                    id=tag.id,
                    name=str(tag.name),
                    color=str(tag.color) if tag.color is not None else None,
                    version=tag.version,
                )
                for tag in task.tags
            ),
            created_at=task.created_at,
            updated_at=task.updated_at,
            version=task.version,
            all_day=task.all_day,
            reminders=tuple(ReminderView.of(r, task.due_date) for r in task.reminders),
        )
