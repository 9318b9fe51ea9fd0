from datetime import UTC, datetime

import pytest

from todo_api.domain.errors import InvalidRecurrenceRule
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.recurrence import RecurrenceRule
from todo_api.domain.tag import Tag
from todo_api.domain.task import NewTask, Priority, Task, TaskFields

DUE = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 1, 1, tzinfo=UTC)
USER = UserId(__import__("uuid").uuid4())


def _task(rule: str, due: datetime = DUE) -> Task:
    fields = TaskFields.parse(
        title="Standup", description="daily", priority="high", due_date=due, recurrence_rule=rule
    )
    tag = Tag(id=TagId(7), user_id=USER, name="work", color=None)
    return NewTask.create(user_id=USER, fields=fields, tags=[tag], now=NOW).saved_as(TaskId(1))


def test_completing_a_recurring_task_creates_the_next_occurrence() -> None:
    task = _task("FREQ=WEEKLY;BYDAY=MO,WE")
    following = task.apply(TaskFields.parse(**_same(task), completed=True), NOW)
    assert following is not None
    assert following.due_date == datetime(2026, 1, 7, 9, tzinfo=UTC)
    assert not following.completed
    assert (following.title, following.description, following.priority) == (
        "Standup",
        "daily",
        Priority.HIGH,
    )
    assert following.tag_ids == [TagId(7)]
    assert following.recurrence_rule == task.recurrence_rule


def test_completing_an_already_completed_task_creates_nothing() -> None:
    task = _task("FREQ=DAILY")
    task.apply(TaskFields.parse(**_same(task), completed=True), NOW)
    assert task.apply(TaskFields.parse(**_same(task), completed=True), NOW) is None


def test_count_counts_down_and_the_series_ends() -> None:
    task = _task("FREQ=DAILY;COUNT=3")
    dues = [task.due_date]
    while (following := task.next_occurrence(NOW)) is not None:
        task = following.saved_as(TaskId(task.id + 1))
        dues.append(task.due_date)
    assert dues == [datetime(2026, 1, day, 9, tzinfo=UTC) for day in (5, 6, 7)]


def test_until_ends_the_series() -> None:
    task = _task("FREQ=DAILY;UNTIL=20260106T090000Z")
    following = task.next_occurrence(NOW)
    assert following is not None and following.due_date == datetime(2026, 1, 6, 9, tzinfo=UTC)
    assert following.saved_as(TaskId(2)).next_occurrence(NOW) is None


def test_next_occurrences_are_strictly_increasing() -> None:
    rule = RecurrenceRule.parse("FREQ=MONTHLY;BYMONTHDAY=31", DUE)
    due, seen = DUE, []
    for _ in range(6):
        result = rule.next_after(due)
        assert result is not None
        assert result[0] > due
        due, rule = result
        seen.append(due.month)
    assert seen == [1, 3, 5, 7, 8, 10]


@pytest.mark.parametrize(
    "raw",
    [
        "FREQ=FORTNIGHTLY",
        "not a rule",
        "FREQ=DAILY;UNTIL=20260110",
        "FREQ=DAILY\nFREQ=WEEKLY",
        "DTSTART:20260101T000000Z",
        "FREQ=DAILY;COUNT=x",
        "x" * 501,
    ],
)
def test_invalid_rules_are_refused(raw: str) -> None:
    with pytest.raises(InvalidRecurrenceRule) as caught:
        RecurrenceRule.parse(raw, DUE)
    assert caught.value.code == "INVALID_RRULE"


def test_the_rrule_prefix_is_accepted() -> None:
    assert RecurrenceRule.parse("RRULE:FREQ=DAILY", DUE).value == "FREQ=DAILY"


def _same(task: Task) -> dict[str, object]:
    return {
        "title": task.title,
        "description": task.description,
        "priority": task.priority,
        "due_date": task.due_date,
        "recurrence_rule": task.recurrence_rule.value if task.recurrence_rule else None,
    }
