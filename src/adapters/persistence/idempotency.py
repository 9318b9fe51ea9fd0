"""Idempotency keys in SQL: a unique (user, key) row claimed inside the create's transaction.

A second claim of the same key waits on the first transaction's row (the unique index) and,
once it committed, finds its outcome; once it rolled back, takes the key itself.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import idempotency_keys
from todo_api.application.outcome import Outcome
from todo_api.application.ports import IdempotencyRepository
from todo_api.domain.ids import UserId


class SqlAlchemyIdempotencyRepository(IdempotencyRepository):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def claim(
        self,
        user_id: UserId,
        key: str,
        fingerprint: str,
        now: datetime,
        *,
        expired_before: datetime,
    ) -> tuple[str, Outcome] | None:
        await self._connection.execute(
            idempotency_keys.delete().where(
                idempotency_keys.c.user_id == user_id,
                idempotency_keys.c.created_at < expired_before,
            )
        )
        insert = pg_insert if self._connection.dialect.name == "postgresql" else sqlite_insert
        claimed = await self._connection.execute(
            insert(idempotency_keys)
            .values(user_id=user_id, key=key, fingerprint=fingerprint, created_at=now)
            .on_conflict_do_nothing()
            .returning(idempotency_keys.c.key)
        )
        if claimed.first() is not None:
            return None
        row = (
            await self._connection.execute(
                sa.select(
                    idempotency_keys.c.fingerprint,
                    idempotency_keys.c.status,
                    idempotency_keys.c.body,
                ).where(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)
            )
        ).one()
        return row.fingerprint, Outcome(row.status, row.body)

    async def record(self, user_id: UserId, key: str, outcome: Outcome) -> None:
        await self._connection.execute(
            idempotency_keys.update()
            .where(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)
            .values(status=outcome.status, body=outcome.body)
        )
