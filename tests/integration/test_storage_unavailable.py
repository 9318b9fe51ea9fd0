"""A lost database or Redis reaches library callers as StorageUnavailable, never as a driver's
exception (SPEC 11)."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from tests.support.postgres import free_port
from todo_api.adapters.rate_limit.redis import RedisRateLimiter
from todo_api.application.errors import StorageUnavailable
from todo_api.application.rates import Rate
from todo_api.entrypoints.service import TodoService
from todo_api.entrypoints.settings import load_settings


def _unreachable_postgres() -> str:
    return f"postgresql+psycopg://todo:secret@127.0.0.1:{free_port()}/todo"


async def test_the_facade_raises_storage_unavailable_when_postgres_cannot_be_reached() -> None:
    settings = load_settings(
        None, app_env="test", database_url=_unreachable_postgres(), bcrypt_rounds=4
    )
    async with TodoService.open(settings) as todo:
        with pytest.raises(StorageUnavailable) as raised:
            await todo.log_in("ann@example.com", "correct horse battery")
        assert raised.value.code == "SERVICE_UNAVAILABLE"
        with pytest.raises(StorageUnavailable):
            await todo.register("bob@example.com", "correct horse battery")


async def test_the_redis_limiter_raises_storage_unavailable_when_redis_is_down() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_timeout=1)
    limiter = RedisRateLimiter(client)
    try:
        with pytest.raises(StorageUnavailable, match="Redis"):
            await limiter.hit("ip:login:203.0.113.9", Rate(5, 60))
        with pytest.raises(StorageUnavailable):
            await limiter.reset("ip:login:203.0.113.9")
    finally:
        await limiter.close()
