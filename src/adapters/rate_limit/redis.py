"""Fixed-window rate limiting in Redis, shared by every worker and host."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from todo_api.application.errors import StorageUnavailable
from todo_api.application.ports import RateLimiter
from todo_api.application.rates import Rate, RateDecision

# INCR and the first EXPIRE must happen together, or a crash between them leaves a key that
# never expires; a script runs atomically on the server.
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


class RedisRateLimiter(RateLimiter):
    def __init__(self, redis: Redis, prefix: str = "todo-api:rl:") -> None:
        self._redis = redis
        self._prefix = prefix
        self._hit: Any = redis.register_script(_HIT)

    async def hit(self, key: str, rate: Rate) -> RateDecision:
        with _translating_lost_redis():
            count, ttl = await self._hit(keys=[self._prefix + key], args=[rate.seconds])
        return RateDecision.after(int(count), rate, int(ttl))

    async def reset(self, key: str) -> None:
        with _translating_lost_redis():
            await self._redis.delete(self._prefix + key)

    async def ping(self) -> None:
        """Raise StorageUnavailable when Redis does not answer."""
        with _translating_lost_redis():
            await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


@contextmanager
def _translating_lost_redis() -> Iterator[None]:
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError) as error:
        raise StorageUnavailable(
            "The shared rate-limit store (Redis) cannot be reached; try again shortly."
        ) from error
