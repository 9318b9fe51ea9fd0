"""Fixed-window rate limiting in the database: shared by every worker and host without Redis."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from todo_api.adapters.persistence.connection_loss import translating_connection_loss
from todo_api.adapters.persistence.tables import rate_limits
from todo_api.application.ports import Clock, RateLimiter
from todo_api.application.rates import Rate, RateDecision

__all__ = ["SqlRateLimiter"]

# Expired windows are deleted now and then rather than on every hit.
_SWEEP_EVERY = 512


@functools.cache
def _hit_statement(dialect: str) -> sa.Insert:
    """The upsert of one hit, built once per dialect (it was built per hit): the key, the hit's
    time and the end of a fresh window are bound at execution."""
    insert = (
        postgresql.insert(rate_limits) if dialect == "postgresql" else sqlite.insert(rate_limits)
    )
    expired = rate_limits.c.window_ends <= sa.bindparam("now", type_=rate_limits.c.window_ends.type)
    return (
        insert.values(key=sa.bindparam("key"), window_ends=sa.bindparam("fresh_end"), count=1)
        .on_conflict_do_update(
            index_elements=[rate_limits.c.key],
            set_={
                "count": sa.case((expired, 1), else_=rate_limits.c.count + 1),
                "window_ends": sa.case(
                    (expired, insert.excluded.window_ends), else_=rate_limits.c.window_ends
                ),
            },
        )
        .returning(rate_limits.c.count, rate_limits.c.window_ends)
    )


class SqlRateLimiter(RateLimiter):
    """One atomic upsert per hit: concurrent hits on any worker or host count exactly once.

    The row starts a new window when the stored one has ended; otherwise the count goes up. The
    database's row lock on the key serialises concurrent hits, so a budget cannot be overshot.
    """

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        # Each statement stands alone: no transaction round trips around it.
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._clock = clock
        self._hits = 0

    async def hit(self, key: str, rate: Rate) -> RateDecision:
        now = self._clock.now()
        values = {"key": key, "now": now, "fresh_end": now + timedelta(seconds=rate.seconds)}
        with translating_connection_loss():
            async with self._engine.connect() as connection:
                result = await connection.execute(_hit_statement(self._engine.dialect.name), values)
                count, window_ends = result.one()
                await self._sweep(connection, now)
        return RateDecision.after(count, rate, (window_ends - now).total_seconds())

    async def reset(self, key: str) -> None:
        with translating_connection_loss():
            async with self._engine.connect() as connection:
                await connection.execute(rate_limits.delete().where(rate_limits.c.key == key))

    async def _sweep(self, connection: AsyncConnection, now: datetime) -> None:
        self._hits += 1
        if self._hits % _SWEEP_EVERY == 0:
            await connection.execute(rate_limits.delete().where(rate_limits.c.window_ends <= now))
