"""A lost database or Redis reaches library callers as StorageUnavailable, never as a driver's
exception (SPEC 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from tests.conftest import create_database
from tests.support.postgres import free_port
from todo_api.adapters.rate_limit.redis import RedisRateLimiter
from todo_api.application.errors import SchemaMissing, StorageUnavailable
from todo_api.application.rates import Rate
from todo_api.entrypoints import migrations
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.http.app import create_app
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


async def test_a_database_never_migrated_says_so(tmp_path: Path) -> None:
    settings = load_settings(
        None, app_env="test", database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    )
    async with TodoService.open(settings) as todo:
        with pytest.raises(SchemaMissing, match="todo-api db upgrade"):
            await todo.log_in("ann@example.com", "correct horse battery")


async def test_a_postgres_database_never_migrated_says_so(postgres_server: str) -> None:
    url = create_database(postgres_server, "todo_never_migrated")
    settings = load_settings(None, app_env="test", database_url=url)
    async with TodoService.open(settings) as todo:
        with pytest.raises(SchemaMissing):
            await todo.log_in("ann@example.com", "correct horse battery")


async def test_readiness_fails_when_redis_is_down(tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'todo.db'}"
    migrations.upgrade(database_url)
    settings = load_settings(
        None,
        app_env="test",
        database_url=database_url,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
    )
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert "Redis" in response.json()["detail"]
