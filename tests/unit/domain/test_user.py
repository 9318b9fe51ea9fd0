from datetime import UTC, datetime, timedelta

import pytest

from todo_api.domain.email import Email
from todo_api.domain.errors import InvalidName
from todo_api.domain.user import DisplayName, User

NOW = datetime(2026, 1, 1, 10, tzinfo=UTC)


def test_registering_trims_the_name_and_stamps_both_times() -> None:
    user = User.register(
        email=Email.parse("a@example.com"), password_hash="h", name="  Ann  ", now=NOW
    )
    assert user.name == "Ann"
    assert user.created_at == user.updated_at == NOW


def test_two_registrations_get_distinct_ids() -> None:
    email = Email.parse("a@example.com")
    first = User.register(email=email, password_hash="h", name=None, now=NOW)
    second = User.register(email=email, password_hash="h", name=None, now=NOW)
    assert first.id != second.id


def test_renaming_bumps_updated_at_only() -> None:
    user = User.register(email=Email.parse("a@example.com"), password_hash="h", name=None, now=NOW)
    later = NOW + timedelta(minutes=5)
    user.rename("Bo", later)
    assert (user.name, user.created_at, user.updated_at) == ("Bo", NOW, later)


@pytest.mark.parametrize(
    ("raw", "parsed"), [(None, None), ("", None), ("   ", None), ("x" * 100, "x" * 100)]
)
def test_display_names_within_bounds(raw: str | None, parsed: str | None) -> None:
    assert DisplayName.optional(raw) == parsed


def test_a_name_over_100_characters_is_refused() -> None:
    with pytest.raises(InvalidName):
        DisplayName("x" * 101)
