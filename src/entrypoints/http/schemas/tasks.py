"""Request and response bodies of the task and tag endpoints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from todo_api.application.listing import CursorPage, Page
from todo_api.application.sync import SyncPage
from todo_api.application.tags.manage import TagPatch
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.application.tasks.task_view import TaskView
from todo_api.application.unset import UNSET as APP_UNSET
from todo_api.application.unset import Unset
from todo_api.domain.errors import InvalidReminder
from todo_api.domain.ids import TagId
from todo_api.domain.reminder import ReminderRule
from todo_api.domain.tag import Color, Tag, TagName
from todo_api.domain.task import Description, Priority, Task, Title, parse_due_date
from todo_api.entrypoints.http.schemas.json_int import BodyId

T = TypeVar("T")
V = TypeVar("V")

# Litestar converts bodies leniently ("true" would become True); a literal accepts only JSON's
# own true and false.
JsonBool = Literal[True, False]


def sent(value: T | UnsetType) -> T | Unset:
    """msgspec's marker for an absent field, as the application's."""
    return APP_UNSET if isinstance(value, UnsetType) else value


def sent_as(value: T | UnsetType | None, make: Callable[[T], V]) -> V | Unset | None:
    """An absent field stays absent, null stays null, anything else is made into a value."""
    if isinstance(value, UnsetType):
        return APP_UNSET
    return None if value is None else make(value)


def optional(value: str | None, make: Callable[[str], V]) -> V | None:
    return None if value is None else make(value)


class ReminderWrite(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one: minutes before the task's due date, or a moment (ISO 8601, UTC without an
    offset)."""

    before_minutes: int | None = None
    at: str | None = None

    def to_rule(self) -> ReminderRule:
        """Raises InvalidReminder."""
        return ReminderRule.parse(before_minutes=self.before_minutes, at=optional(self.at, _moment))


def _moment(text: str) -> datetime:
    text = text.strip()
    try:
        # A day alone is not a moment (fromisoformat would take it as midnight).
        if len(text) > len("2025-12-31"):
            return datetime.fromisoformat(text)
    except ValueError:
        pass
    raise InvalidReminder("at must be an ISO 8601 date-time.")


class SnoozeBody(msgspec.Struct, forbid_unknown_fields=True):
    minutes: int


class TaskWrite(msgspec.Struct, forbid_unknown_fields=True):
    """A whole task: POST creates one, PUT replaces one (omitted fields take their defaults)."""

    title: str
    description: str | None = None
    priority: str = "medium"
    due_date: str | None = None
    recurrence_rule: str | None = None
    completed: JsonBool = False
    tag_ids: list[BodyId] = msgspec.field(default_factory=list)
    reminders: list[ReminderWrite] = msgspec.field(default_factory=list)

    def to_input(self) -> TaskInput:
        """The typed command; raises the contract error of the first malformed field."""
        due_date = parse_due_date(self.due_date)
        return TaskInput(
            title=Title(self.title),
            description=optional(self.description, Description),
            priority=Priority.parse(self.priority),
            due_date=due_date,
            recurrence_rule=self.recurrence_rule,
            completed=self.completed,
            tag_ids=[TagId(i) for i in self.tag_ids],
            reminders=[reminder.to_rule() for reminder in self.reminders],
        )


class TaskPatchBody(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; null clears description, due_date or recurrence_rule."""

    title: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    priority: str | UnsetType = UNSET
    due_date: str | UnsetType | None = UNSET
    recurrence_rule: str | UnsetType | None = UNSET
    completed: JsonBool | UnsetType = UNSET
    tag_ids: list[BodyId] | UnsetType = UNSET
    reminders: list[ReminderWrite] | UnsetType = UNSET

    def to_patch(self) -> TaskPatch:
        """The typed command; raises the contract error of the first malformed field."""
        tag_ids = sent(self.tag_ids)
        due_date = sent_as(self.due_date, parse_due_date)
        title = sent_as(self.title, Title)
        priority = sent_as(self.priority, Priority.parse)
        return TaskPatch(
            title=APP_UNSET if title is None else title,
            description=sent_as(self.description, Description),
            priority=APP_UNSET if priority is None else priority,
            due_date=due_date,
            recurrence_rule=sent(self.recurrence_rule),
            completed=sent(self.completed),
            tag_ids=tag_ids if isinstance(tag_ids, Unset) else [TagId(i) for i in tag_ids],
            reminders=(
                APP_UNSET
                if isinstance(self.reminders, UnsetType)
                else [reminder.to_rule() for reminder in self.reminders]
            ),
        )


class TagWrite(msgspec.Struct, forbid_unknown_fields=True):
    """A whole tag: POST creates one, PUT replaces one (an omitted colour is cleared)."""

    name: str
    color: str | None = None

    def tag_name(self) -> TagName:
        return TagName(self.name)

    def tag_color(self) -> Color | None:
        return optional(self.color, Color)

    def to_patch(self) -> TagPatch:
        """PUT: both fields, an omitted colour cleared."""
        return TagPatch(name=self.tag_name(), color=self.tag_color())


class TagPatchBody(msgspec.Struct, forbid_unknown_fields=True):
    name: str | UnsetType = UNSET
    color: str | UnsetType | None = UNSET

    def to_patch(self) -> TagPatch:
        name = sent_as(self.name, TagName)
        return TagPatch(name=APP_UNSET if name is None else name, color=sent_as(self.color, Color))


class TagRead(msgspec.Struct):
    id: int
    name: str
    color: str | None
    version: int

    @classmethod
    def of(cls, tag: Tag) -> TagRead:
        return cls(
            id=tag.id, name=str(tag.name), color=optional(tag.color, str), version=tag.version
        )


class ReminderRead(msgspec.Struct):
    id: int
    before_minutes: int | None
    at: datetime | None
    snoozed_until: datetime | None
    # When it goes off: the snooze, or the time its rule names.
    remind_at: datetime


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
    version: int
    # The due date is a whole day: due_date is its start in the owner's time zone.
    all_day: bool
    reminders: list[ReminderRead]

    @classmethod
    def of(cls, task: Task) -> TaskRead:
        # One mapping from a task to what the API shows: the listing's view (ADR 0023).
        return msgspec.convert(TaskView.of(task), cls, from_attributes=True)


def task_reads(views: Sequence[TaskView]) -> list[TaskRead]:
    """Listed tasks as responses: views have the response's fields, so msgspec copies them in
    C, attribute by attribute (ADR 0023)."""
    return msgspec.convert(views, list[TaskRead], from_attributes=True)


class TaskCursorPageRead(msgspec.Struct):
    items: list[TaskRead]
    next_cursor: str | None

    @classmethod
    def of(cls, page: CursorPage[TaskView]) -> TaskCursorPageRead:
        return cls(items=task_reads(page.items), next_cursor=page.next_cursor)


class TaskChangesRead(msgspec.Struct):
    changes: list[TaskRead]
    deleted: list[int]
    next_since: str

    @classmethod
    def of(cls, page: SyncPage) -> TaskChangesRead:
        return cls(
            changes=[TaskRead.of(task) for task in page.changes],
            deleted=list(page.deleted),
            next_since=page.next_since,
        )


class TaskPageRead(msgspec.Struct):
    items: list[TaskRead]
    total: int
    page: int
    limit: int
    pages: int

    @classmethod
    def of(cls, page: Page[TaskView]) -> TaskPageRead:
        return cls(
            items=task_reads(page.items),
            total=page.total,
            page=page.page,
            limit=page.limit,
            pages=page.pages,
        )
