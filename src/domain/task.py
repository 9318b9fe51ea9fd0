"""Tasks: what a user has to do, with priority, due date, recurrence and tags."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime

from todo_api.domain.errors import DescriptionTooLong, InvalidDueDate, InvalidPriority, InvalidTitle
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.recurrence import RecurrenceRule
from todo_api.domain.reminder import Reminder, ReminderRule, reminders_for
from todo_api.domain.tag import Tag, by_name
from todo_api.domain.text import ValidatedText, has_visible_character, storable
from todo_api.domain.timezone import UTC_ZONE, TimeZoneName

__all__ = [
    "MAX_DESCRIPTION_LENGTH",
    "MAX_TAGS_PER_TASK",
    "MAX_TITLE_LENGTH",
    "Description",
    "NewTask",
    "Priority",
    "Task",
    "TaskFields",
    "Title",
    "parse_due_date",
]

MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 1000
MAX_TAGS_PER_TASK = 100


class Priority(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @classmethod
    def parse(cls, raw: str) -> Priority:
        try:
            return cls(raw)
        except ValueError:
            raise InvalidPriority from None

    @property
    def urgency(self) -> int:
        """Sort key: ascending priority means high, then medium, then low."""
        return {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}[self]


class Title(ValidatedText):
    """A task's title: trimmed, then 1 to 200 characters."""

    __slots__ = ()

    @classmethod
    def validate(cls, raw: str) -> str:
        title = storable(raw, "title").strip()
        if not 1 <= len(title) <= MAX_TITLE_LENGTH or not has_visible_character(title):
            raise InvalidTitle
        return title


class Description(ValidatedText):
    """A task's description, kept as written: at most 1000 characters."""

    __slots__ = ()

    @classmethod
    def validate(cls, raw: str) -> str:
        if len(storable(raw, "description")) > MAX_DESCRIPTION_LENGTH:
            raise DescriptionTooLong
        return raw


def parse_due_date(raw: str | datetime | date | None) -> datetime | date | None:
    """An ISO 8601 date-time (in UTC; one without an offset means UTC) or a date (an all-day
    due date, placed in the user's time zone later, by `TaskFields.parse`)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = storable(raw, "due_date").strip()
        try:
            if len(text) == len("2025-12-31"):
                return date.fromisoformat(text)
            raw = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidDueDate from None
    if not isinstance(raw, datetime):
        return raw
    if raw.tzinfo is None:
        return raw.replace(tzinfo=UTC)
    try:
        return raw.astimezone(UTC)
    except OverflowError:
        raise InvalidDueDate from None


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskFields:
    """Every field a client sets on a task, validated together.

    A recurrence rule is checked against the due date it starts from, so it comes as text and is
    parsed here, with the due date.
    """

    title: Title
    description: Description | None = None
    priority: Priority = Priority.MEDIUM
    due_date: datetime | None = None
    recurrence_rule: RecurrenceRule | None = None
    completed: bool = False
    # The due date was given as a day: `due_date` is that day's start in the user's zone.
    all_day: bool = False

    @classmethod
    def parse(
        cls,
        *,
        title: str,
        description: str | None = None,
        priority: str = Priority.MEDIUM,
        due_date: str | datetime | date | None = None,
        recurrence_rule: str | None = None,
        completed: bool = False,
        zone: TimeZoneName = UTC_ZONE,
        all_day: bool | None = None,
    ) -> TaskFields:
        """Build from values or plain text; raise the contract error of the first bad field.

        A due date given as a date is all-day: the start of that day in `zone`. `all_day`
        keeps a flag already decided (a stored all-day date passed back as its start).
        """
        parsed = parse_due_date(due_date)
        if isinstance(parsed, datetime) or parsed is None:
            due, whole_day = parsed, bool(all_day) and parsed is not None
        else:
            try:
                due, whole_day = zone.start_of(parsed).astimezone(UTC), True
            except OverflowError:  # the first or last day of the calendar, east or west of UTC
                raise InvalidDueDate from None
        return cls(
            title=Title(title),
            description=None if description is None else Description(description),
            priority=Priority.parse(priority),
            due_date=due,
            recurrence_rule=(
                RecurrenceRule.parse(recurrence_rule, due) if recurrence_rule is not None else None
            ),
            completed=completed,
            all_day=whole_day,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class NewTask:
    """A task not stored yet; the repository gives it its id (`TaskRepository.add`)."""

    user_id: UserId
    title: Title
    description: Description | None
    completed: bool
    priority: Priority
    due_date: datetime | None
    recurrence_rule: RecurrenceRule | None
    tags: list[Tag]
    created_at: datetime
    updated_at: datetime
    all_day: bool = False
    reminders: list[Reminder] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        *,
        user_id: UserId,
        fields: TaskFields,
        tags: list[Tag],
        now: datetime,
        reminders: Sequence[ReminderRule] = (),
    ) -> NewTask:
        """Raises InvalidReminder (a reminder before an undated task), TooManyReminders."""
        return cls(
            user_id=user_id,
            title=fields.title,
            description=fields.description,
            completed=fields.completed,
            priority=fields.priority,
            due_date=fields.due_date,
            recurrence_rule=fields.recurrence_rule,
            tags=by_name(tags),
            created_at=now,
            updated_at=now,
            all_day=fields.all_day,
            reminders=reminders_for(reminders, [], fields.due_date),
        )

    @property
    def tag_ids(self) -> list[TagId]:
        return [tag.id for tag in self.tags]

    def saved_as(self, task_id: TaskId) -> Task:
        stored = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        return Task(
            id=task_id, **{**stored, "tags": list(self.tags), "reminders": list(self.reminders)}
        )


@dataclass(slots=True, kw_only=True)
class Task:
    id: TaskId
    user_id: UserId
    title: Title
    description: Description | None
    completed: bool
    priority: Priority
    due_date: datetime | None
    recurrence_rule: RecurrenceRule | None
    tags: list[Tag] = field(default_factory=list)
    created_at: datetime
    updated_at: datetime
    # Bumped by the store on every write: the ETag, and what If-Match compares.
    version: int = 1
    # The due date is a whole day: `due_date` is its start in the owner's time zone.
    all_day: bool = False
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def tag_ids(self) -> list[TagId]:
        return [tag.id for tag in self.tags]

    def reminder_times(self) -> dict[int, datetime]:
        """When each reminder is set to go off, by id: what the worker's schedule holds."""
        return {r.id: r.remind_at(self.due_date) for r in self.reminders}

    def apply(
        self,
        fields: TaskFields,
        now: datetime,
        zone: TimeZoneName = UTC_ZONE,
        reminders: Sequence[ReminderRule] | None = None,
    ) -> NewTask | None:
        """Take every field from `fields`, and the `reminders` when given; return the next
        occurrence if this completes it (counted in the owner's `zone`).

        A new due date ends the snoozes of the reminders that count from it. Raises
        InvalidReminder (a reminder before the due date of a task left without one),
        TooManyReminders.
        """
        was_completed = self.completed
        if fields.due_date != self.due_date:
            self.reminders = [
                r.unsnoozed() if r.rule.before_minutes is not None else r for r in self.reminders
            ]
        rules = [r.rule for r in self.reminders] if reminders is None else reminders
        self.reminders = reminders_for(rules, self.reminders, fields.due_date)
        self.title = fields.title
        self.description = fields.description
        self.priority = fields.priority
        self.due_date = fields.due_date
        self.recurrence_rule = fields.recurrence_rule
        self.completed = fields.completed
        self.all_day = fields.all_day
        self.updated_at = now
        if fields.completed and not was_completed:
            return self.next_occurrence(now, zone)
        return None

    def fields(self) -> TaskFields:
        return TaskFields(
            title=self.title,
            description=self.description,
            priority=self.priority,
            due_date=self.due_date,
            recurrence_rule=self.recurrence_rule,
            completed=self.completed,
            all_day=self.all_day,
        )

    def retag(self, tags: list[Tag], now: datetime) -> None:
        self.tags = by_name(tags)
        self.updated_at = now

    def snooze(self, reminder_id: int, minutes: int, now: datetime) -> bool:
        """Set the reminder to go off `minutes` from now (again, if it went off); False when the
        task has no such reminder. Raises InvalidReminder for a snooze out of range."""
        for n, reminder in enumerate(self.reminders):
            if reminder.id == reminder_id:
                self.reminders[n] = reminder.snoozed(minutes, now)
                self.updated_at = now
                return True
        return False

    def next_occurrence(self, now: datetime, zone: TimeZoneName = UTC_ZONE) -> NewTask | None:
        """The pending task that follows this one in its series, or None when there is none.

        The series is expanded in the owner's `zone`, so 09:00 stays 09:00 there across
        daylight-saving changes. Completing a task whose later occurrences are already past
        skips to the first occurrence after `now`: the missed ones count as done (a COUNT
        shrinks by them) rather than arriving as a backlog.
        """
        if self.recurrence_rule is None or self.due_date is None:
            return None
        following = self.recurrence_rule.next_after(self.due_date, zone.zone, not_before=now)
        if following is None:
            return None
        due, rule = following
        fields = replace(self.fields(), due_date=due, recurrence_rule=rule, completed=False)
        following_task = NewTask.create(
            user_id=self.user_id, fields=fields, tags=list(self.tags), now=now
        )
        # The reminders come along, a moment of their own moved as far as the due date was.
        moved = due - self.due_date
        return replace(following_task, reminders=[r.shifted(moved) for r in self.reminders])
