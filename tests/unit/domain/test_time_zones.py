"""Recurrence in the owner's time zone, across daylight-saving changes, and completing a long
overdue recurring task (issue 12, all-day dates and time zones)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from todo_api.domain.errors import InvalidTimezone
from todo_api.domain.ids import TaskId, UserId
from todo_api.domain.recurrence import RecurrenceRule
from todo_api.domain.task import Priority, Task, Title
from todo_api.domain.timezone import TimeZoneName

OWNER = UserId(uuid.UUID(int=7))


def _series(rule: str, first: datetime, zone: str, count: int) -> list[datetime]:
    """`count` occurrences from `first` (local wall time in `zone`), as local wall times."""
    tz = ZoneInfo(zone)
    due = first.replace(tzinfo=tz).astimezone(UTC)
    parsed = RecurrenceRule.parse(rule, due)
    seen = [due]
    for _ in range(count - 1):
        following = parsed.next_after(seen[-1], tz)
        assert following is not None
        seen.append(following[0])
    return [moment.astimezone(tz).replace(tzinfo=None) for moment in seen]


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Spring forward in Berlin on 2026-03-29, in New York on 2026-03-08.
        ("Europe/Berlin", datetime(2026, 3, 27, 9), datetime(2026, 3, 30, 9)),
        ("America/New_York", datetime(2026, 3, 6, 9), datetime(2026, 3, 9, 9)),
        # Lord Howe moves by 30 minutes (on 2026-04-05 back to +10:30).
        ("Australia/Lord_Howe", datetime(2026, 4, 3, 9), datetime(2026, 4, 6, 9)),
    ],
)
def test_every_weekday_at_nine_stays_at_nine_local_across_dst(
    zone: str, before: datetime, after: datetime
) -> None:
    local = _series("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", before, zone, 3)
    assert local == [before, after, after + timedelta(days=1)]
    offsets = {moment.replace(tzinfo=ZoneInfo(zone)).utcoffset() for moment in (before, after)}
    assert len(offsets) == 2  # the offset did change between them


def test_byday_counts_the_owners_weekdays_east_of_utc() -> None:
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC: expanded in UTC, BYDAY=MO would pick the
    # following Monday night instead.
    local = _series("FREQ=WEEKLY;BYDAY=MO", datetime(2026, 6, 1, 8), "Asia/Tokyo", 3)
    assert [d.strftime("%a %H:%M") for d in local] == ["Mon 08:00"] * 3
    assert local[1] - local[0] == timedelta(days=7)


def _task(due: datetime, rule: str) -> Task:
    now = due
    return Task(
        id=TaskId(1),
        user_id=OWNER,
        title=Title("stand-up"),
        description=None,
        completed=False,
        priority=Priority.MEDIUM,
        due_date=due,
        recurrence_rule=RecurrenceRule.parse(rule, due),
        created_at=now,
        updated_at=now,
    )


def test_completing_a_long_overdue_recurring_task_skips_to_after_now() -> None:
    due = datetime(2026, 1, 5, 8, tzinfo=UTC)
    now = datetime(2026, 3, 18, 12, tzinfo=UTC)
    following = _task(due, "FREQ=DAILY").next_occurrence(now)
    assert following is not None and following.due_date == datetime(2026, 3, 19, 8, tzinfo=UTC)


def test_skipped_occurrences_use_up_a_count() -> None:
    due = datetime(2026, 1, 1, 8, tzinfo=UTC)
    now = datetime(2026, 1, 3, 12, tzinfo=UTC)  # Jan 2 and 3 were missed
    following = _task(due, "FREQ=DAILY;COUNT=5").next_occurrence(now)
    assert following is not None
    assert following.due_date == datetime(2026, 1, 4, 8, tzinfo=UTC)
    assert following.recurrence_rule is not None
    assert following.recurrence_rule.value == "FREQ=DAILY;COUNT=2"
    assert _task(due, "FREQ=DAILY;COUNT=3").next_occurrence(now) is None


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "../../etc/passwd", "/etc/localtime", "", "x" * 65]
)
def test_only_iana_names_are_time_zones(name: str) -> None:
    with pytest.raises(InvalidTimezone):
        TimeZoneName(name)
    assert TimeZoneName(" Europe/Berlin ") == "Europe/Berlin"


def test_a_series_that_runs_off_the_calendar_in_the_owners_zone_just_ends() -> None:
    due = datetime(9999, 12, 31, 20, tzinfo=UTC)  # already the year 10000 in Tokyo
    assert _task(due, "FREQ=DAILY").next_occurrence(due, TimeZoneName("Asia/Tokyo")) is None
