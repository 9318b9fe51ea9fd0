"""Request and response bodies of the task and tag endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from todo_api.application.listing import Page
from todo_api.application.tags.manage import TagPatch
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.application.unset import UNSET as APP_UNSET
from todo_api.application.unset import Unset
from todo_api.domain.ids import TagId
from todo_api.domain.tag import Tag
from todo_api.domain.task import Task
from todo_api.entrypoints.http.path_ids import MAX_INT_ID

T = TypeVar("T")

TagIdItem = Annotated[int, msgspec.Meta(ge=1, le=MAX_INT_ID)]


def sent(value: T | UnsetType) -> T | Unset:
    """msgspec's marker for an absent field, as the application's."""
    return APP_UNSET if isinstance(value, UnsetType) else value


class TaskWrite(msgspec.Struct):
    """A whole task: POST creates one, PUT replaces one (omitted fields take their defaults)."""

    title: str
    description: str | None = None
    priority: str = "medium"
    due_date: str | None = None
    recurrence_rule: str | None = None
    completed: bool = False
    tag_ids: list[TagIdItem] = msgspec.field(default_factory=list)

    def to_input(self) -> TaskInput:
        return TaskInput(
            title=self.title,
            description=self.description,
            priority=self.priority,
            due_date=self.due_date,
            recurrence_rule=self.recurrence_rule,
            completed=self.completed,
            tag_ids=[TagId(i) for i in self.tag_ids],
        )


class TaskPatchBody(msgspec.Struct):
    """Only the fields sent change; null clears description, due_date or recurrence_rule."""

    title: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    priority: str | UnsetType = UNSET
    due_date: str | UnsetType | None = UNSET
    recurrence_rule: str | UnsetType | None = UNSET
    completed: bool | UnsetType = UNSET
    tag_ids: list[TagIdItem] | UnsetType = UNSET

    def to_patch(self) -> TaskPatch:
        tag_ids = sent(self.tag_ids)
        return TaskPatch(
            title=sent(self.title),
            description=sent(self.description),
            priority=sent(self.priority),
            due_date=sent(self.due_date),
            recurrence_rule=sent(self.recurrence_rule),
            completed=sent(self.completed),
            tag_ids=tag_ids if isinstance(tag_ids, Unset) else [TagId(i) for i in tag_ids],
        )


class TagWrite(msgspec.Struct):
    """A whole tag: POST creates one, PUT replaces one (an omitted colour is cleared)."""

    name: str
    color: str | None = None


class TagPatchBody(msgspec.Struct):
    name: str | UnsetType = UNSET
    color: str | UnsetType | None = UNSET

    def to_patch(self) -> TagPatch:
        return TagPatch(name=sent(self.name), color=sent(self.color))


class TagRead(msgspec.Struct):
    id: int
    name: str
    color: str | None

    @classmethod
    def of(cls, tag: Tag) -> TagRead:
        return cls(id=tag.id, name=tag.name, color=tag.color)


class TaskRead(msgspec.Struct):
    id: int
    title: str
    description: str | None
    completed: bool
    priority: str
    due_date: datetime | None
    recurrence_rule: str | None
    tags: list[TagRead]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, task: Task) -> TaskRead:
        return cls(
            id=task.id,
            title=task.title,
            description=task.description,
            completed=task.completed,
            priority=task.priority.value,
            due_date=task.due_date,
            recurrence_rule=task.recurrence_rule.value if task.recurrence_rule else None,
            tags=[TagRead.of(tag) for tag in task.tags],
            created_at=task.created_at,
            updated_at=task.updated_at,
        )


class TaskPageRead(msgspec.Struct):
    items: list[TaskRead]
    total: int
    page: int
    limit: int
    pages: int

    @classmethod
    def of(cls, page: Page[Task]) -> TaskPageRead:
        return cls(
            items=[TaskRead.of(task) for task in page.items],
            total=page.total,
            page=page.page,
            limit=page.limit,
            pages=page.pages,
        )
