"""Building the async engine with the pool, timeouts and per-dialect settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


@dataclass(frozen=True, slots=True)
class EngineOptions:
    pool_min: int = 2
    pool_max: int = 5
    pool_recycle: int = 3600
    connect_timeout: int = 30
    statement_timeout_ms: int = 5000
    pool_timeout: float = 5.0


def build_engine(url: str, options: EngineOptions | None = None) -> AsyncEngine:
    """Create the engine; nothing connects until the first query."""
    options = options or EngineOptions()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_async_engine(
        url,
        # QueuePool closes "overflow" connections as soon as they are returned, so under load an
        # overflow above a small pool_size means a new Postgres connection per request. Keep up to
        # pool_max open instead; pool_min of them are opened at start-up (warm_up).
        pool_size=options.pool_max,
        max_overflow=0,
        pool_recycle=options.pool_recycle,
        pool_timeout=options.pool_timeout,
        # A restarted server leaves dead pooled connections; pre-ping replaces them transparently.
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={
            "connect_timeout": options.connect_timeout,
            "options": f"-c statement_timeout={options.statement_timeout_ms}",
            "application_name": "todo-api",
        },
    )


def _sqlite_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": 15})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLite ignores foreign keys (and so ON DELETE CASCADE) unless asked per connection.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    return engine


async def warm_up(engine: AsyncEngine, connections: int) -> None:
    """Open `connections` pooled connections now rather than on the first requests."""
    held = [await engine.connect() for _ in range(connections)]
    for connection in held:
        await connection.close()


def autocommit_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, with connections in autocommit mode: for read-only units of work."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")
