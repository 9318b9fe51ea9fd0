"""Recurrence rules (iCalendar RRULE), parsed by python-dateutil."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from dateutil.rrule import rrule, rrulestr

from todo_api.domain.errors import InvalidRecurrenceRule

__all__ = ["MAX_RULE_LENGTH", "RecurrenceRule"]

MAX_RULE_LENGTH = 500
_COUNT = re.compile(r"(?i)(^|;)COUNT=(\d+)")


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
        text = raw.strip()
        if text.upper().startswith("RRULE:"):
            text = text[len("RRULE:") :]
        if not text or len(text) > MAX_RULE_LENGTH or any(c in text for c in "\r\n\x00:"):
            raise InvalidRecurrenceRule
        if due_date is None:
            raise InvalidRecurrenceRule("A recurrence rule needs a due date.")
        rule = cls(text)
        rule._rrule(due_date)
        return rule

    def next_after(self, due_date: datetime) -> tuple[datetime, RecurrenceRule] | None:
        """The next occurrence after `due_date` and the rule it carries, or None when exhausted."""
        remaining = self._count()
        if remaining is not None and remaining <= 1:
            return None
        following = self._rrule(due_date).after(due_date)
        if following is None:
            return None
        rule = self if remaining is None else RecurrenceRule(self._with_count(remaining - 1))
        return following.astimezone(UTC), rule

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
