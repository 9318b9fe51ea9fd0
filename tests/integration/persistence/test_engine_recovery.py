"""A restarted Postgres is picked up without restarting the service."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from tests.support.postgres import LocalCluster
from todo_api.adapters.persistence.engine import EngineOptions, build_engine


@pytest.fixture(scope="module")
def cluster() -> LocalCluster:
    with LocalCluster() as running:
        yield running


async def test_idle_connections_are_replaced_after_a_server_restart(cluster: LocalCluster) -> None:
    url = cluster.url.replace("postgresql://", "postgresql+psycopg://")
    engine = build_engine(url, EngineOptions(ping_after_idle=0.0, connect_timeout=2))
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(sa.text("SELECT 1")) == 1
        cluster.stop()
        cluster.start()
        # The pooled connection died with the old server; the ping on checkout notices and the
        # pool opens a new one, so this first query after the restart succeeds.
        async with engine.connect() as connection:
            assert await connection.scalar(sa.text("SELECT 1")) == 1
    finally:
        await engine.dispose()


async def test_without_the_ping_the_first_query_would_fail(cluster: LocalCluster) -> None:
    url = cluster.url.replace("postgresql://", "postgresql+psycopg://")
    engine = build_engine(url, EngineOptions(ping_after_idle=3600.0, connect_timeout=2))
    try:
        async with engine.connect() as connection:
            await connection.scalar(sa.text("SELECT 1"))
        cluster.stop()
        cluster.start()
        with pytest.raises(OperationalError):
            async with engine.connect() as connection:
                await connection.scalar(sa.text("SELECT 1"))
        # ...and the failure invalidates the pool, so the next one connects afresh.
        async with engine.connect() as connection:
            assert await connection.scalar(sa.text("SELECT 1")) == 1
    finally:
        await engine.dispose()
