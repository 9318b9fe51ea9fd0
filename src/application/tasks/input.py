"""Task input as clients send it: whole (create, replace) or partial (patch).

The fields are value objects and enums, validated when they were made; the recurrence rule
stays text because whether it is valid depends on the due date it ends up with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from todo_api.application.unset import UNSET, Unset, pick
from todo_api.domain.ids import TagId
from todo_api.domain.reminder import ReminderRule
from todo_api.domain.task import Description, Priority, Task, TaskFields, Title
from todo_api.domain.timezone import UTC_ZONE, TimeZoneName

__all__ = ["TaskInput", "TaskPatch"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskInput:
    """Every field of a task; omitted ones take their defaults."""

    title: Title
    description: Description | None = None
    priority: Priority = Priority.MEDIUM
    # A datetime is a moment; a date is an all-day due date in the owner's time zone.
    due_date: datetime | date | None = None
    recurrence_rule: str | None = None
    completed: bool = False
    tag_ids: list[TagId] = field(default_factory=list)
    reminders: list[ReminderRule] = field(default_factory=list)

    def fields(self, zone: TimeZoneName = UTC_ZONE) -> TaskFields:
        """The fields validated together; raises InvalidRecurrenceRule, InvalidDueDate."""
        return TaskFields.parse(
            title=self.title,
            description=self.description,
            priority=self.priority,
            due_date=self.due_date,
            recurrence_rule=self.recurrence_rule,
            completed=self.completed,
            zone=zone,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskPatch:
    """The fields to change; UNSET leaves one alone, None clears a nullable one."""

    title: Title | Unset = UNSET
    description: Description | Unset | None = UNSET
    priority: Priority | Unset = UNSET
    due_date: datetime | date | Unset | None = UNSET
    recurrence_rule: str | Unset | None = UNSET
    completed: bool | Unset = UNSET
    tag_ids: list[TagId] | Unset = UNSET
    # Replaces the task's reminders; one with the same rule as before stays as it was.
    reminders: list[ReminderRule] | Unset = UNSET

    def fields_over(self, task: Task, zone: TimeZoneName = UTC_ZONE) -> TaskFields:
        """The task's fields with the sent ones replaced, validated together.

        A rule is checked against the resulting due date, so sending only a new due date
        re-validates the rule the task already has.
        """
        current = task.fields()
        return TaskFields.parse(
            title=pick(self.title, current.title),
            description=pick(self.description, current.description),
            priority=pick(self.priority, current.priority),
            due_date=pick(self.due_date, current.due_date),
            recurrence_rule=pick(
                self.recurrence_rule,
                current.recurrence_rule.value if current.recurrence_rule else None,
            ),
            completed=pick(self.completed, current.completed),
            zone=zone,
            all_day=current.all_day if isinstance(self.due_date, Unset) else None,
        )
