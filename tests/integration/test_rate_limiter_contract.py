"""One contract for every RateLimiter: in process, in the database (SQLite and Postgres) and in
Redis. Two limiters over one store stand for two workers or hosts."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.support.processes import running_redis
from todo_api.adapters.clock import FixedClock, ManualTicker
from todo_api.adapters.persistence.engine import build_engine
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.adapters.rate_limit.redis import RedisRateLimiter
from todo_api.adapters.rate_limit.sql import SqlRateLimiter
from todo_api.application.ports import RateLimiter
from todo_api.application.rates import Rate


@dataclass
class Store:
    first: RateLimiter
    second: RateLimiter
    # Moves the store's clock forward, where the store has one the test can move.
    advance: Callable[[float], None] | None


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("redis-server") is None and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed here; .ci/run installs it in CI")
    with running_redis(Path(tmp_path_factory.mktemp("redis"))) as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", "postgres", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    if request.param == "memory":
        ticker = ManualTicker(start=0.0)
        limiter = InMemoryRateLimiter(monotonic=ticker)

        def tick(seconds: float) -> None:
            ticker.now += seconds

        yield Store(limiter, limiter, tick)
    elif request.param == "redis":
        url = request.getfixturevalue("redis_url")
        await Redis.from_url(url).flushdb()
        first, second = (RedisRateLimiter(Redis.from_url(url)) for _ in range(2))
        yield Store(first, second, None)
        await first.close()
        await second.close()
    else:
        url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
        clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
        engines = [build_engine(url), build_engine(url)]
        async with engines[0].begin() as connection:
            await connection.exec_driver_sql("DELETE FROM rate_limits")

        def move(seconds: float) -> None:
            clock.advance(timedelta(seconds=seconds))

        yield Store(SqlRateLimiter(engines[0], clock), SqlRateLimiter(engines[1], clock), move)
        for engine in engines:
            await engine.dispose()


async def test_the_limit_holds_across_workers_within_a_window(store: Store) -> None:
    rate = Rate(5, 60)
    decisions = [await (store.first, store.second)[n % 2].hit("k", rate) for n in range(6)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert [d.remaining for d in decisions[:3]] == [4, 3, 2]
    assert 1 <= decisions[-1].retry_after <= 60


async def test_keys_have_separate_budgets(store: Store) -> None:
    rate = Rate(1, 60)
    assert (await store.first.hit("a", rate)).allowed
    assert (await store.second.hit("b", rate)).allowed
    assert not (await store.second.hit("a", rate)).allowed


async def test_reset_forgets_what_was_counted(store: Store) -> None:
    rate = Rate(1, 60)
    await store.first.hit("k", rate)
    await store.second.reset("k")
    assert (await store.first.hit("k", rate)).allowed


async def test_concurrent_hits_never_overshoot(store: Store) -> None:
    rate = Rate(10, 60)
    decisions = await asyncio.gather(
        *((store.first, store.second)[n % 2].hit("burst", rate) for n in range(50))
    )
    assert sum(d.allowed for d in decisions) == 10


async def test_a_new_window_starts_when_the_last_one_ends(store: Store) -> None:
    rate = Rate(1, 2)
    assert (await store.first.hit("short", rate)).allowed
    assert not (await store.second.hit("short", rate)).allowed
    if store.advance is None:
        await asyncio.sleep(2.2)  # Redis keeps time itself
    else:
        store.advance(2)
    assert (await store.second.hit("short", rate)).allowed
