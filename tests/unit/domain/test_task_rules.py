from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from todo_api.domain.errors import (
    DescriptionTooLong,
    InvalidColor,
    InvalidDueDate,
    InvalidPriority,
    InvalidRecurrenceRule,
    InvalidTagName,
    InvalidTitle,
    UnstorableText,
)
from todo_api.domain.tag import Color, TagName
from todo_api.domain.task import (
    Description,
    Priority,
    TaskFields,
    Title,
    parse_due_date,
)
from todo_api.domain.timezone import TimeZoneName


def test_titles_are_trimmed_and_bounded_at_200() -> None:
    assert Title("  Buy milk  ") == "Buy milk"
    assert Title("x" * 200) == "x" * 200
    assert Title("  " + "x" * 200 + "  ") == "x" * 200
    with pytest.raises(InvalidTitle):
        Title("x" * 201)


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_blank_titles_are_refused(blank: str) -> None:
    with pytest.raises(InvalidTitle) as caught:
        Title(blank)
    assert (caught.value.code, caught.value.field) == ("INVALID_TITLE", "title")


def test_descriptions_are_bounded_at_1000() -> None:
    assert Description("d" * 1000) == "d" * 1000
    with pytest.raises(DescriptionTooLong):
        Description("d" * 1001)


def test_nul_characters_are_refused_before_any_database_sees_them() -> None:
    with pytest.raises(UnstorableText) as caught:
        Title("a\x00b")
    assert caught.value.field == "title"
    with pytest.raises(UnstorableText):
        Description("a\x00b")


def test_priorities() -> None:
    assert Priority.parse("high") is Priority.HIGH
    assert sorted(Priority, key=lambda p: p.urgency) == [
        Priority.HIGH,
        Priority.MEDIUM,
        Priority.LOW,
    ]
    for bad in ("urgent", "HIGH", ""):
        with pytest.raises(InvalidPriority):
            Priority.parse(bad)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-01-01T10:00:00Z", datetime(2026, 1, 1, 10, tzinfo=UTC)),
        ("2026-01-01T10:00:00", datetime(2026, 1, 1, 10, tzinfo=UTC)),
        ("2026-01-01T12:00:00+02:00", datetime(2026, 1, 1, 10, tzinfo=UTC)),
        ("1999-12-31T23:59:59Z", datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_due_dates_are_iso_8601_naive_meaning_utc(raw: str, expected: datetime) -> None:
    parsed = parse_due_date(raw)
    assert parsed == expected
    assert isinstance(parsed, datetime) and parsed.utcoffset() == timedelta(0)


def test_a_date_alone_is_an_all_day_date_at_the_start_of_that_day_where_the_user_lives() -> None:
    assert parse_due_date("2025-12-31") == date(2025, 12, 31)
    new_york = TimeZoneName("America/New_York")
    fields = TaskFields.parse(title="pay", due_date="2025-12-31", zone=new_york)
    assert fields.all_day
    assert fields.due_date == datetime(2025, 12, 31, 5, tzinfo=UTC)
    timed = TaskFields.parse(title="pay", due_date="2025-12-31T09:00:00Z", zone=new_york)
    assert not timed.all_day


@pytest.mark.parametrize("raw", ["tomorrow", "2026-13-01", "2026-01-01T25:00", "", "0000-01-01"])
def test_malformed_due_dates_are_refused(raw: str) -> None:
    with pytest.raises(InvalidDueDate):
        parse_due_date(raw)


def test_an_aware_datetime_is_converted_to_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert parse_due_date(datetime(2026, 1, 1, 12, tzinfo=plus_two)) == datetime(
        2026, 1, 1, 10, tzinfo=UTC
    )


def test_a_rule_without_a_due_date_is_refused() -> None:
    with pytest.raises(InvalidRecurrenceRule):
        TaskFields.parse(title="t", recurrence_rule="FREQ=DAILY")


def test_tag_names_are_trimmed_and_bounded_at_50() -> None:
    assert TagName("  Work ") == "Work"
    assert TagName("n" * 50) == "n" * 50
    for bad in ("", "   ", "n" * 51):
        with pytest.raises(InvalidTagName):
            TagName(bad)


def test_colours_are_hash_and_six_hex_digits() -> None:
    assert Color("#a1b2c3") == "#A1B2C3"
    for bad in ("red", "#abc", "a1b2c3", "#GGGGGG", "#a1b2c3 ", "#a1b2c3d"):
        with pytest.raises(InvalidColor):
            Color(bad)


def test_a_value_object_is_validated_once_and_made_again_for_free() -> None:
    title = Title("  Plan  ")
    assert isinstance(title, str) and title == "Plan"
    assert Title(title) is title
    assert Title.stored("as stored") == "as stored"
