"""Properties of the value objects, over generated input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from todo_api.domain.email import Email
from todo_api.domain.errors import (
    InvalidEmail,
    InvalidTitle,
    PasswordTooLong,
    PasswordTooShort,
    UnstorableText,
)
from todo_api.domain.password import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, check_password_length
from todo_api.domain.recurrence import RecurrenceRule
from todo_api.domain.task import MAX_TITLE_LENGTH, Title
from todo_api.domain.text import has_visible_character


@given(st.emails())
def test_email_normalisation_is_idempotent(raw: str) -> None:
    try:
        once = Email.parse(raw)
    except InvalidEmail:
        return  # hypothesis' emails() is wider than what email-validator accepts
    assert Email.parse(once.value) == once
    assert Email.parse(raw.upper()) == once or raw.upper() != raw


@given(st.text())
def test_title_trimming(raw: str) -> None:
    stripped = raw.strip()
    if "\x00" in raw:
        with pytest.raises(UnstorableText):
            Title(raw)
    elif 1 <= len(stripped) <= MAX_TITLE_LENGTH and has_visible_character(stripped):
        assert Title(raw) == stripped
        assert Title(Title(raw)) == stripped
    else:
        with pytest.raises(InvalidTitle):
            Title(raw)


@given(st.text(max_size=200))
def test_password_policy_is_length_only(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        with pytest.raises(PasswordTooShort):
            check_password_length(password)
    elif len(password) > MAX_PASSWORD_LENGTH:
        with pytest.raises(PasswordTooLong):
            check_password_length(password)
    else:
        check_password_length(password)


@given(
    freq=st.sampled_from(["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    interval=st.integers(1, 30),
    start=st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
    steps=st.integers(1, 5),
)
def test_next_occurrences_strictly_increase(
    freq: str, interval: int, start: datetime, steps: int
) -> None:
    rule = RecurrenceRule.parse(f"FREQ={freq};INTERVAL={interval}", start)
    due = start
    for _ in range(steps):
        following = rule.next_after(due)
        assume(following is not None)
        assert following is not None
        assert following[0] > due
        assert following[0] - due <= timedelta(days=366 * interval + 1)
        due, rule = following
