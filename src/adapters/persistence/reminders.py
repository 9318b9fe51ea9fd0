"""The reminder schedule in SQL (`task_reminders`): written with each task, claimed by workers
with FOR UPDATE SKIP LOCKED. SQLite has no row locks and ignores the clause; its single writer
serialises claims instead."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import REMINDER_PENDING, task_reminders
from todo_api.application.ports import ReminderSchedule
from todo_api.application.reminders import DueReminder
from todo_api.domain.ids import TaskId, UserId

__all__ = ["SqlAlchemyReminderSchedule", "write_schedule"]

# Grouped: the text is an OR, and it is ANDed with the time.
_PENDING = sa.text(f"({REMINDER_PENDING})")


class SqlAlchemyReminderSchedule(ReminderSchedule):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def claim(self, now: datetime, limit: int) -> list[DueReminder]:
        rows = await self._connection.execute(
            sa.select(task_reminders)
            .where(task_reminders.c.remind_at <= now, _PENDING)
            .order_by(task_reminders.c.remind_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [
            DueReminder(
                task_id=TaskId(row.task_id),
                user_id=UserId(row.user_id),
                reminder_id=row.reminder_id,
                remind_at=row.remind_at,
            )
            for row in rows
        ]

    async def mark_fired(self, due: DueReminder) -> None:
        await self._connection.execute(
            task_reminders.update()
            .where(
                task_reminders.c.task_id == due.task_id,
                task_reminders.c.reminder_id == due.reminder_id,
                # Given a new time meanwhile, it is due again at that one.
                task_reminders.c.remind_at == due.remind_at,
            )
            .values(fired_for=due.remind_at)
        )

    async def backlog(self, now: datetime) -> int:
        due = await self._connection.scalar(
            sa.select(sa.func.count())
            .select_from(task_reminders)
            .where(task_reminders.c.remind_at <= now, _PENDING)
        )
        return int(due or 0)


async def write_schedule(
    connection: AsyncConnection,
    task_id: TaskId,
    user_id: UserId,
    times: dict[int, datetime],
    now: datetime,
) -> None:
    """Make the task's schedule `times` (reminder id → time). A reminder whose time changes is
    due again, unless that time has passed by `now`: it counts as fired then. One whose time
    stays keeps its state, so rewriting a task never fires a reminder twice."""
    await connection.execute(
        task_reminders.delete().where(
            task_reminders.c.task_id == task_id, task_reminders.c.reminder_id.not_in(list(times))
        )
    )
    if not times:
        return
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(task_reminders).values(
        [
            {
                "task_id": task_id,
                "reminder_id": reminder_id,
                "user_id": user_id,
                "remind_at": at,
                "fired_for": at if at < now else None,
            }
            for reminder_id, at in times.items()
        ]
    )
    moved = task_reminders.c.remind_at != statement.excluded.remind_at
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[task_reminders.c.task_id, task_reminders.c.reminder_id],
            set_={
                "remind_at": statement.excluded.remind_at,
                "fired_for": sa.case(
                    (moved, statement.excluded.fired_for), else_=task_reminders.c.fired_for
                ),
            },
        )
    )
