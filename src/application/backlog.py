"""What waits for the background worker: the numbers its monitoring shows."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.ports import Clock, UnitOfWork

__all__ = ["Backlog", "MeasureBacklog"]


@dataclass(frozen=True, slots=True)
class Backlog:
    events: int  # not yet fanned out to webhooks
    deliveries: int  # webhook deliveries due now
    mail: int  # messages due now
    reminders: int = 0  # reminders due now that have not gone off


class MeasureBacklog:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self) -> Backlog:
        now = self._clock.now()
        async with self._uow as uow:
            events, deliveries = await uow.webhook_queue.backlog(now)
            mail = await uow.mail.backlog(now)
            reminders = await uow.reminders.backlog(now)
        return Backlog(events=events, deliveries=deliveries, mail=mail, reminders=reminders)
