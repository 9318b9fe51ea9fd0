"""A recurrence rule cannot make a worker spin (issue 10, finding 1; SPEC 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from dateutil import rrule as dateutil_rrule

from tests.integration.http.conftest import assert_error, signed_in
from todo_api.domain.errors import InvalidRecurrenceRule
from todo_api.domain.recurrence import HORIZON_YEARS, RecurrenceRule

DUE = datetime(2026, 1, 5, 9, tzinfo=UTC)
NEVER = [
    "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=31;BYHOUR=1;BYMINUTE=1",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTH=11;BYMONTHDAY=31",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
]


@pytest.mark.parametrize("rule", NEVER)
def test_a_rule_that_never_occurs_is_refused_after_a_bounded_scan(
    rule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counted, not timed: every scan step rebuilds dateutil's per-year/month state.
    rebuilds = 0
    original = dateutil_rrule._iterinfo.rebuild

    def counting(self: object, year: int, month: int) -> object:
        nonlocal rebuilds
        rebuilds += 1
        return original(self, year, month)

    monkeypatch.setattr(dateutil_rrule._iterinfo, "rebuild", counting)
    with pytest.raises(InvalidRecurrenceRule, match="within 10 years"):
        RecurrenceRule.parse(rule, DUE)
    assert rebuilds <= (HORIZON_YEARS + 1) * 12 + 1


@pytest.mark.parametrize("frequency", ["SECONDLY", "MINUTELY"])
def test_sub_hourly_frequencies_are_refused(frequency: str) -> None:
    with pytest.raises(InvalidRecurrenceRule, match="FREQ"):
        RecurrenceRule.parse(f"FREQ={frequency};BYMONTH=2;BYMONTHDAY=31", DUE)


def test_rare_but_possible_rules_still_work() -> None:
    rule = RecurrenceRule.parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", DUE)
    following = rule.next_after(DUE)
    assert following is not None and following[0] == datetime(2028, 2, 29, 9, tzinfo=UTC)


def test_a_stored_rule_that_never_occurs_ends_its_series_instead_of_spinning() -> None:
    # Rows written before the check existed: completing them finds no next occurrence.
    assert RecurrenceRule(NEVER[0]).next_after(DUE) is None


async def test_the_http_api_refuses_the_rule_that_froze_a_worker(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    created = await client.post(
        "/api/v1/tasks",
        headers=headers,
        json={
            "title": "never",
            "due_date": "2026-01-05T09:00:00Z",
            "recurrence_rule": "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31;BYHOUR=1;BYMINUTE=1",
        },
    )
    assert_error(created, 400, "INVALID_RRULE", "recurrence_rule")
    hourly = await client.post(
        "/api/v1/tasks",
        headers=headers,
        json={"title": "never", "due_date": "2026-01-05T09:00:00Z", "recurrence_rule": NEVER[0]},
    )
    assert_error(hourly, 400, "INVALID_RRULE", "recurrence_rule")
