"""The shared rate-limit store on a real Redis."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.support.processes import running_redis
from todo_api.adapters.rate_limit.redis import RedisRateLimiter
from todo_api.application.rates import Rate


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("redis-server") is None and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed here; .ci/run installs it in CI")
    with running_redis(Path(tmp_path_factory.mktemp("redis"))) as url:
        yield url


@pytest.fixture
async def limiters(redis_url: str) -> AsyncIterator[tuple[RedisRateLimiter, RedisRateLimiter]]:
    # Two clients with their own connections stand for two workers or hosts.
    first, second = (RedisRateLimiter(Redis.from_url(redis_url)) for _ in range(2))
    await Redis.from_url(redis_url).flushdb()
    yield first, second
    await first.close()
    await second.close()


async def test_two_processes_share_one_budget(limiters: tuple[RedisRateLimiter, ...]) -> None:
    first, second = limiters
    rate = Rate(5, 60)
    decisions = [await (first if n % 2 else second).hit("ip:login:1.2.3.4", rate) for n in range(6)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert 1 <= decisions[-1].retry_after <= 60


async def test_concurrent_hits_never_overshoot(limiters: tuple[RedisRateLimiter, ...]) -> None:
    first, second = limiters
    rate = Rate(10, 60)
    decisions = await asyncio.gather(
        *((first if n % 2 else second).hit("burst", rate) for n in range(50))
    )
    assert sum(d.allowed for d in decisions) == 10


async def test_the_window_expires(limiters: tuple[RedisRateLimiter, ...]) -> None:
    first, _ = limiters
    rate = Rate(1, 1)
    assert (await first.hit("short", rate)).allowed
    assert not (await first.hit("short", rate)).allowed
    await asyncio.sleep(1.2)
    assert (await first.hit("short", rate)).allowed


async def test_peek_counts_nothing_and_reset_forgets(
    limiters: tuple[RedisRateLimiter, ...],
) -> None:
    first, second = limiters
    rate = Rate(1, 60)
    assert (await first.peek("k", rate)).allowed
    await first.hit("k", rate)
    assert not (await second.peek("k", rate)).allowed
    await second.reset("k")
    assert (await first.peek("k", rate)).allowed
