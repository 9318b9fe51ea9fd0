"""Building the async engine with the pool, timeouts and per-dialect settings."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from todo_api.adapters.persistence.versioning import DEFAULT_SCHEMA, search_path


@dataclass(frozen=True, slots=True)
class EngineOptions:
    pool_min: int = 2
    pool_max: int = 5
    pool_recycle: int = 3600
    connect_timeout: int = 30
    statement_timeout_ms: int = 5000
    pool_timeout: float = 5.0
    ping_after_idle: float = 1.0
    schema: str = DEFAULT_SCHEMA


def build_engine(url: str, options: EngineOptions | None = None) -> AsyncEngine:
    """Create the engine; nothing connects until the first query."""
    options = options or EngineOptions()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    engine = create_async_engine(
        url,
        # QueuePool closes "overflow" connections as soon as they are returned, so under load an
        # overflow above a small pool_size means a new Postgres connection per request. Keep up to
        # pool_max open instead; pool_min of them are opened at start-up (warm_up).
        pool_size=options.pool_max,
        max_overflow=0,
        pool_recycle=options.pool_recycle,
        pool_timeout=options.pool_timeout,
        hide_parameters=True,
        connect_args={
            "connect_timeout": options.connect_timeout,
            "options": (
                f"-c statement_timeout={options.statement_timeout_ms}"
                f" -c search_path={search_path(options.schema)}"
            ),
            "application_name": "todo-api",
        },
    )
    _ping_idle_connections(engine, options.ping_after_idle)
    return engine


def _ping_idle_connections(engine: AsyncEngine, idle_seconds: float) -> None:
    """Pre-ping a pooled connection on checkout, but only when it has sat idle.

    A restarted or failed-over server leaves dead connections in the pool; pinging them before
    use replaces them transparently. Pinging on every checkout (pool_pre_ping) costs a round trip
    per request; a connection used moments ago is alive or, if the server died since, its error
    invalidates the whole pool, so the next checkouts connect afresh.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < idle_seconds:
            return
        try:
            engine.sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool answers DisconnectionError by discarding this one and trying another.
            raise DisconnectionError("pooled connection failed its ping") from error


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


# The service talks to databases through async drivers; migrations and the database commands use
# the same database through the synchronous driver, so they run from any context.
_SYNC_DRIVERS = {"sqlite+aiosqlite": "sqlite", "postgresql+asyncpg": "postgresql+psycopg"}


def sync_url(url: str) -> str:
    """The same database through its synchronous driver."""
    parsed = make_url(url)
    driver = _SYNC_DRIVERS.get(parsed.drivername, parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False)
