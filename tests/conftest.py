"""Shared fixtures: throwaway databases built through the real Alembic migrations."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.postgres import throwaway_postgres
from todo_api.adapters.persistence.engine import build_engine
from todo_api.adapters.persistence.tables import metadata
from todo_api.entrypoints import migrations


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A libpq URL of a throwaway server (see tests/support/postgres.py)."""
    with throwaway_postgres() as url:
        yield url


def create_database(server_url: str, name: str) -> str:
    """Create an empty database on the throwaway server; return its SQLAlchemy URL."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = server_url.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"


@pytest.fixture(scope="session")
def pg_url(postgres_server: str) -> str:
    url = create_database(postgres_server, "todo_test")
    migrations.upgrade(url)
    return url


@pytest.fixture
async def pg_engine(pg_url: str) -> AsyncIterator[AsyncEngine]:
    engine = build_engine(pg_url)
    try:
        yield engine
    finally:
        async with engine.begin() as connection:
            names = ", ".join(table.name for table in metadata.sorted_tables)
            await connection.execute(sa.text(f"TRUNCATE {names} CASCADE"))
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    migrations.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "todo.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def sqlite_engine(sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    engine = build_engine(sqlite_url)
    try:
        yield engine
    finally:
        await engine.dispose()
