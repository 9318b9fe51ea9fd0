"""An event's data is the resource exactly as the HTTP API shows it (SPEC 15): the core's
views and the HTTP bodies cannot drift apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec

from todo_api.application.events import tag_view, task_view
from todo_api.domain.email import Email
from todo_api.domain.ids import TagId, TaskId
from todo_api.domain.reminder import ReminderRule
from todo_api.domain.tag import Color, Tag, TagName
from todo_api.domain.task import NewTask, TaskFields
from todo_api.domain.user import User
from todo_api.entrypoints.http.schemas.tasks import TagRead, TaskRead

ANN = User.register(
    email=Email.parse("ann@example.com"), password_hash="h", name=None, now=datetime.now(UTC)
)


def _tags() -> list[Tag]:
    return [
        Tag(id=TagId(3), user_id=ANN.id, name=TagName("Home"), color=Color("#aabbcc"), version=2),
        Tag(id=TagId(4), user_id=ANN.id, name=TagName("work"), color=None),
    ]


def test_a_tag_reads_the_same_in_an_event_and_over_http() -> None:
    for tag in _tags():
        assert tag_view(tag) == msgspec.to_builtins(TagRead.of(tag))


def test_a_task_reads_the_same_in_an_event_and_over_http() -> None:
    moments = [
        datetime(2026, 3, 1, 9, tzinfo=UTC),
        datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
    ]
    for now in moments:
        bare = NewTask.create(
            user_id=ANN.id, fields=TaskFields.parse(title="Plan"), tags=[], now=now
        ).saved_as(TaskId(7))
        full = NewTask.create(
            user_id=ANN.id,
            fields=TaskFields.parse(
                title="Pay rent",
                description="before the 5th",
                priority="high",
                due_date=now,
                recurrence_rule="FREQ=MONTHLY",
            ),
            tags=_tags(),
            now=now,
            reminders=[
                ReminderRule.parse(before_minutes=30),
                ReminderRule.parse(at=now + timedelta(microseconds=7)),
            ],
        ).saved_as(TaskId(8))
        assert full.snooze(1, 5, now)
        for task in (bare, full):
            assert task_view(task) == msgspec.to_builtins(TaskRead.of(task))
