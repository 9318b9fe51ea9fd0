"""The reminder schedule over a dictionary, honouring the SQL adapter's contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from todo_api.adapters.memory.repositories import InMemoryTables
from todo_api.application.ports import ReminderSchedule
from todo_api.application.reminders import DueReminder
from todo_api.domain.ids import TaskId, UserId

__all__ = ["InMemoryReminderSchedule", "ScheduledReminder", "write_schedule"]


@dataclass
class ScheduledReminder:
    user_id: UserId
    remind_at: datetime
    fired_for: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.fired_for != self.remind_at


class InMemoryReminderSchedule(ReminderSchedule):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def claim(self, now: datetime, limit: int) -> list[DueReminder]:
        due = sorted(
            (
                (entry.remind_at, key)
                for key, entry in self._tables.reminders.items()
                if entry.pending and entry.remind_at <= now
            ),
        )[:limit]
        return [
            DueReminder(
                task_id=task_id,
                user_id=self._tables.reminders[(task_id, reminder_id)].user_id,
                reminder_id=reminder_id,
                remind_at=at,
            )
            for at, (task_id, reminder_id) in due
        ]

    async def mark_fired(self, due: DueReminder) -> None:
        entry = self._tables.reminders.get((due.task_id, due.reminder_id))
        if entry is not None and entry.remind_at == due.remind_at:
            entry.fired_for = due.remind_at

    async def backlog(self, now: datetime) -> int:
        return sum(
            1
            for entry in self._tables.reminders.values()
            if entry.pending and entry.remind_at <= now
        )


def write_schedule(
    tables: InMemoryTables,
    task_id: TaskId,
    user_id: UserId,
    times: dict[int, datetime],
    now: datetime,
) -> None:
    """As the SQL `write_schedule`: a changed time is due again unless already past."""
    for key in [key for key in tables.reminders if key[0] == task_id and key[1] not in times]:
        del tables.reminders[key]
    for reminder_id, at in times.items():
        entry = tables.reminders.get((task_id, reminder_id))
        if entry is None or entry.remind_at != at:
            fired_for = at if at < now else None
            tables.reminders[(task_id, reminder_id)] = ScheduledReminder(user_id, at, fired_for)
