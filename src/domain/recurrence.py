"""Recurrence rules (iCalendar RRULE), parsed by python-dateutil, with bounded work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from dateutil import rrule as dateutil_rrule
from dateutil.rrule import rrule, rrulestr

from todo_api.domain.errors import InvalidRecurrenceRule

__all__ = ["ALLOWED_FREQUENCIES", "HORIZON_YEARS", "MAX_RULE_LENGTH", "RecurrenceRule"]

MAX_RULE_LENGTH = 500
# Sub-hourly series make no sense for tasks and cost the most to scan (dateutil walks every
# candidate second or minute); the contract allows these frequencies only.
ALLOWED_FREQUENCIES = frozenset({"HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
# A rule must occur within this many years of its start, and a search for the next occurrence
# never scans further: a rule that can never occur (February 31st) is refused at write time
# instead of making dateutil walk to the year 9999.
HORIZON_YEARS = 10
_COUNT = re.compile(r"(?i)(^|;)COUNT=(\d+)")
_FREQ = re.compile(r"(?i)(?:^|;)FREQ=([A-Z]+)(?:;|$)")
_HORIZON_YEAR: ContextVar[int | None] = ContextVar("recurrence_horizon_year", default=None)


class _HorizonPassed(Exception):
    """The scan for an occurrence went past the horizon."""


class _BoundedIterInfo(dateutil_rrule._iterinfo):
    """dateutil's per-year/month scan state, stopping the scan past the horizon year.

    dateutil checks UNTIL and COUNT only after a candidate passes the BY* filters, so for a rule
    that never matches neither bounds the scan; the year/month rebuild is the one hook every
    scan goes through. Private API of python-dateutil: `tests/unit/domain/test_recurrence.py`
    pins the behaviour (an impossible rule is refused quickly; valid rules are unchanged).
    """

    # No __slots__ of its own: dateutil's __init__ walks `self.__slots__` to reset its state.

    def rebuild(self, year: int, month: int) -> Any:
        horizon = _HORIZON_YEAR.get()
        if horizon is not None and year > horizon:
            raise _HorizonPassed
        return super().rebuild(year, month)


# Installed once: without a horizon set (any other user of dateutil in the process) it behaves
# exactly as dateutil's own.
dateutil_rrule._iterinfo = _BoundedIterInfo  # type: ignore[misc]


@contextmanager
def _scanning_until(year: int) -> Iterator[None]:
    token = _HORIZON_YEAR.set(year)
    try:
        yield
    finally:
        _HORIZON_YEAR.reset(token)


@dataclass(frozen=True, slots=True)
class RecurrenceRule:
    """One RRULE value, such as `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`.

    Occurrences are counted from the task's due date. A COUNT is the number of occurrences left
    in the series, including the current one, so each next occurrence carries COUNT - 1 and the
    series ends when a task with COUNT=1 is completed.
    """

    value: str

    @classmethod
    def parse(cls, raw: str, due_date: datetime | None) -> RecurrenceRule:
        """Raise InvalidRecurrenceRule for a malformed rule, a frequency other than HOURLY to
        YEARLY, a missing due date, or a rule with no occurrence within ten years."""
        text = raw.strip()
        if text.upper().startswith("RRULE:"):
            text = text[len("RRULE:") :]
        if not text or len(text) > MAX_RULE_LENGTH or any(c in text for c in "\r\n\x00:"):
            raise InvalidRecurrenceRule
        frequency = _FREQ.search(text)
        if frequency is None or frequency.group(1).upper() not in ALLOWED_FREQUENCIES:
            raise InvalidRecurrenceRule(
                "The recurrence rule's FREQ must be HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY."
            )
        if due_date is None:
            raise InvalidRecurrenceRule("A recurrence rule needs a due date.")
        rule = cls(text)
        if rule._first_from(due_date) is None:
            raise InvalidRecurrenceRule(
                f"The recurrence rule has no occurrence within {HORIZON_YEARS} years."
            )
        return rule

    def next_after(
        self,
        due_date: datetime,
        zone: tzinfo = UTC,
        not_before: datetime | None = None,
    ) -> tuple[datetime, RecurrenceRule] | None:
        """The next occurrence after `due_date` (and after `not_before`, when given) and the
        rule it carries, or None when the series is exhausted (or when no occurrence falls
        within the horizon).

        The series is expanded in `zone`: its wall-clock time and weekdays are that zone's.
        Occurrences skipped to pass `not_before` use up a COUNT as the ones they replace would.
        """
        remaining = self._count()
        if remaining is not None and remaining <= 1:
            return None
        try:
            return self._next(due_date, zone, not_before, remaining)
        except OverflowError:  # the series runs off the calendar (year 9999) in this zone
            return None

    def _next(
        self,
        due_date: datetime,
        zone: tzinfo,
        not_before: datetime | None,
        remaining: int | None,
    ) -> tuple[datetime, RecurrenceRule] | None:
        start = due_date.astimezone(zone)
        parsed = self._rrule(start)
        skipped = 0
        try:
            with _scanning_until(max(start, not_before or start).year + HORIZON_YEARS):
                following = parsed.after(start)
                while following is not None and not_before is not None and following <= not_before:
                    skipped += 1
                    if remaining is not None and skipped >= remaining - 1:
                        return None
                    if remaining is None:
                        # Without a COUNT nothing needs counting: jump straight past now.
                        following = parsed.after(not_before)
                        break
                    following = parsed.after(following)
        except _HorizonPassed:
            return None
        if following is None:
            return None
        left = None if remaining is None else remaining - 1 - skipped
        rule = self if left is None else RecurrenceRule(self._with_count(left))
        return following.astimezone(UTC), rule

    def _first_from(self, start: datetime) -> datetime | None:
        parsed = self._rrule(start)
        try:
            with _scanning_until(start.year + HORIZON_YEARS):
                # dateutil drops a start's microseconds: the start itself is an occurrence.
                first: datetime | None = parsed.after(start.replace(microsecond=0), inc=True)
        except _HorizonPassed:
            return None
        return first

    def _rrule(self, due_date: datetime) -> rrule:
        try:
            parsed = rrulestr(self.value, dtstart=due_date)
        except (ValueError, TypeError, OverflowError) as error:
            raise InvalidRecurrenceRule(f"The recurrence rule is not valid: {error}") from None
        if not isinstance(parsed, rrule):
            raise InvalidRecurrenceRule
        return parsed

    def _count(self) -> int | None:
        match = _COUNT.search(self.value)
        return int(match.group(2)) if match else None

    def _with_count(self, count: int) -> str:
        return _COUNT.sub(lambda m: f"{m.group(1)}COUNT={count}", self.value)
