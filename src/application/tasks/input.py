"""Task input as clients send it: whole (create, replace) or partial (patch)."""

from __future__ import annotations

from dataclasses import dataclass, field

from todo_api.application.unset import UNSET, Unset, pick
from todo_api.domain.ids import TagId
from todo_api.domain.task import Task, TaskFields


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskInput:
    title: str
    description: str | None = None
    priority: str = "medium"
    due_date: str | None = None
    recurrence_rule: str | None = None
    completed: bool = False
    tag_ids: list[TagId] = field(default_factory=list)

    def fields(self) -> TaskFields:
        return TaskFields.parse(
            title=self.title,
            description=self.description,
            priority=self.priority,
            due_date=self.due_date,
            recurrence_rule=self.recurrence_rule,
            completed=self.completed,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskPatch:
    title: str | Unset = UNSET
    description: str | Unset | None = UNSET
    priority: str | Unset = UNSET
    due_date: str | Unset | None = UNSET
    recurrence_rule: str | Unset | None = UNSET
    completed: bool | Unset = UNSET
    tag_ids: list[TagId] | Unset = UNSET

    def fields_over(self, task: Task) -> TaskFields:
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
        )
