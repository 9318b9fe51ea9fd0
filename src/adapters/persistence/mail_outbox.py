"""The mail outbox in SQL: claimed with FOR UPDATE SKIP LOCKED, so deliverers never share a job.

SQLite has no row locks and ignores the clause; its single writer serialises claims instead.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import mail_outbox
from todo_api.application.mail import MailJob, MailKind, retry_delay
from todo_api.application.ports import MailOutbox
from todo_api.domain.email import Email
from todo_api.domain.ids import TaskId, UserId

__all__ = ["SqlAlchemyMailOutbox"]


class SqlAlchemyMailOutbox(MailOutbox):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def enqueue(
        self,
        kind: MailKind,
        address: Email,
        now: datetime,
        *,
        user_id: UserId | None = None,
        new_address: Email | None = None,
        task_id: TaskId | None = None,
    ) -> None:
        await self._connection.execute(
            mail_outbox.insert().values(
                kind=kind.value,
                address=address.value,
                user_id=user_id,
                new_address=new_address.value if new_address else None,
                task_id=task_id,
                created_at=now,
                next_attempt_at=now,
            )
        )

    async def claim(self, now: datetime, limit: int) -> list[MailJob]:
        rows = (
            await self._connection.execute(
                sa.select(mail_outbox)
                .where(mail_outbox.c.next_attempt_at <= now)
                .order_by(mail_outbox.c.next_attempt_at, mail_outbox.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        jobs = []
        for row in rows:
            job = _job(row, attempts=row.attempts + 1)
            await self._connection.execute(
                mail_outbox.update()
                .where(mail_outbox.c.id == job.id)
                .values(attempts=job.attempts, next_attempt_at=now + retry_delay(job.attempts))
            )
            jobs.append(job)
        return jobs

    async def finish(self, job_id: int) -> None:
        await self._connection.execute(mail_outbox.delete().where(mail_outbox.c.id == job_id))

    async def backlog(self, now: datetime) -> int:
        due = await self._connection.scalar(
            sa.select(sa.func.count()).where(mail_outbox.c.next_attempt_at <= now)
        )
        return int(due or 0)

    async def fail(self, job_id: int, error: str, *, give_up: bool) -> None:
        values: dict[str, object] = {"last_error": error}
        if give_up:
            values["next_attempt_at"] = None
        await self._connection.execute(
            mail_outbox.update().where(mail_outbox.c.id == job_id).values(**values)
        )


def _job(row: sa.Row[tuple[object, ...]], attempts: int) -> MailJob:
    data = row._mapping
    return MailJob(
        id=data["id"],
        kind=MailKind(data["kind"]),
        address=Email(data["address"]),
        user_id=UserId(data["user_id"]) if data["user_id"] else None,
        new_address=Email(data["new_address"]) if data["new_address"] else None,
        task_id=TaskId(data["task_id"]) if data["task_id"] is not None else None,
        attempts=attempts,
    )
