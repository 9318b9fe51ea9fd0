"""Reminders on a task: a number of minutes before its due date, or a moment of their own.

A reminder fires once for each time it is set to (the worker's job, `task_reminders` in the
stores); snoozing sets a new time. Its id is its number within the task.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from todo_api.domain.errors import InvalidReminder, TooManyReminders

__all__ = [
    "MAX_BEFORE_MINUTES",
    "MAX_REMINDERS_PER_TASK",
    "MAX_SNOOZE_MINUTES",
    "Reminder",
    "ReminderRule",
    "reminders_for",
]

MAX_REMINDERS_PER_TASK = 10
MAX_BEFORE_MINUTES = 366 * 24 * 60  # a year ahead
MAX_SNOOZE_MINUTES = 7 * 24 * 60  # a week


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderRule:
    """When to remind, as a client says it: exactly one of `before_minutes` and `at`."""

    before_minutes: int | None = None
    at: datetime | None = None

    @classmethod
    def parse(
        cls, *, before_minutes: int | None = None, at: datetime | None = None
    ) -> ReminderRule:
        """Raises InvalidReminder. A moment without an offset is in UTC."""
        if (before_minutes is None) == (at is None):
            raise InvalidReminder("A reminder has either before_minutes or at, not both.")
        if before_minutes is not None:
            if not 0 <= before_minutes <= MAX_BEFORE_MINUTES:
                raise InvalidReminder(f"before_minutes must be between 0 and {MAX_BEFORE_MINUTES}.")
            return cls(before_minutes=before_minutes)
        assert at is not None
        try:
            return cls(at=at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC))
        except OverflowError:
            raise InvalidReminder("at is out of range.") from None

    def time(self, due: datetime | None) -> datetime:
        """The moment this rule names for a task due at `due`."""
        if self.at is not None:
            return self.at
        if due is None or self.before_minutes is None:
            raise InvalidReminder("A reminder in minutes before the due date needs a due date.")
        return due - timedelta(minutes=self.before_minutes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reminder:
    id: int
    rule: ReminderRule
    # A snooze replaces the rule's time until the reminder is set again or its task moves.
    snoozed_until: datetime | None = None

    def remind_at(self, due: datetime | None) -> datetime:
        return self.snoozed_until or self.rule.time(due)

    def snoozed(self, minutes: int, now: datetime) -> Reminder:
        if not 1 <= minutes <= MAX_SNOOZE_MINUTES:
            raise InvalidReminder(
                f"A snooze lasts 1 to {MAX_SNOOZE_MINUTES} minutes.", field="minutes"
            )
        return replace(self, snoozed_until=now + timedelta(minutes=minutes))

    def unsnoozed(self) -> Reminder:
        return replace(self, snoozed_until=None) if self.snoozed_until else self

    def shifted(self, by: timedelta) -> Reminder:
        """This reminder on an occurrence `by` later: the same rule, a moment moved along."""
        at = self.rule.at
        rule = self.rule if at is None else ReminderRule(at=at + by)
        return Reminder(id=self.id, rule=rule)


def reminders_for(
    rules: Sequence[ReminderRule], current: Iterable[Reminder], due: datetime | None
) -> list[Reminder]:
    """The reminders a task carries once `rules` are set on it: one already there with the same
    rule is kept (its id and snooze with it, so it does not fire again), the others numbered
    after the highest id in use. Each must have a time for the task's due date."""
    if len(rules) > MAX_REMINDERS_PER_TASK:
        raise TooManyReminders
    kept = {reminder.rule: reminder for reminder in current}
    next_id = max((reminder.id for reminder in kept.values()), default=0) + 1
    result: list[Reminder] = []
    for rule in rules:
        reminder = kept.pop(rule, None)
        if reminder is None:
            reminder, next_id = Reminder(id=next_id, rule=rule), next_id + 1
        reminder.remind_at(due)
        result.append(reminder)
    return result
