"""Reminders going off (SPEC 15): the worker claims the due ones and fires each once.

Firing records a `task.reminder` event (webhooks, the event stream) and, for a verified
address, queues a reminder mail, in the transaction that marks the reminder fired: a worker
stopped half-way leaves the claim to the next one, and nothing goes off twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from todo_api.application.events import Event
from todo_api.application.mail import MailKind
from todo_api.domain.ids import TaskId, UserId
from todo_api.domain.user import User

if TYPE_CHECKING:
    from todo_api.application.ports import Clock, UnitOfWork

__all__ = ["DueReminder", "FireReminders"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DueReminder:
    task_id: TaskId
    user_id: UserId
    reminder_id: int
    remind_at: datetime


class FireReminders:
    """Fire the reminders due now. Any number of workers may run it at once: each claims
    reminders no other holds."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, limit: int = 100) -> int:
        """Handle up to `limit` due reminders; return how many (fired, or passed over because
        their task is done)."""
        now = self._clock.now()
        async with self._uow as uow:
            due = await uow.reminders.claim(now, limit)
            owners: dict[UserId, User | None] = {}
            for item in due:
                await self._fire(uow, item, now, owners)
                await uow.reminders.mark_fired(item)
            await uow.commit()
        return len(due)

    @staticmethod
    async def _fire(
        uow: UnitOfWork, item: DueReminder, now: datetime, owners: dict[UserId, User | None]
    ) -> None:
        task = await uow.tasks.get(item.user_id, item.task_id)
        if task is None or task.completed:
            return
        reminder = next((r for r in task.reminders if r.id == item.reminder_id), None)
        if reminder is None:
            return
        await uow.events.record(Event.reminding(task, reminder, now))
        if item.user_id not in owners:
            owners[item.user_id] = await uow.users.get(item.user_id)
        owner = owners[item.user_id]
        if owner is not None and owner.email_verified:
            await uow.mail.enqueue(
                MailKind.TASK_REMINDER, owner.email, now, user_id=owner.id, task_id=task.id
            )
