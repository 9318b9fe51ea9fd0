"""Listening to a Postgres notification channel for as long as a task runs, reconnecting with
backoff. Notifications sent while no connection listens are lost: `on_up` runs once a new LISTEN
is in place and has heard itself (re-read state there), `on_down` as soon as the connection is
gone or deaf."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable

import psycopg
import structlog
from sqlalchemy.engine import make_url

__all__ = ["HEARTBEAT_SECONDS", "libpq_url", "listen_forever", "listener_name", "listening"]

log = structlog.get_logger("todo_api.notifications")

# A connection can die without an error (a frozen server, a network partition), or answer
# queries and hear nothing (a pooler in transaction mode keeps the LISTEN on a server connection
# this client no longer has). So a listening connection sends itself a notice this often and must
# hear it within PING_TIMEOUT_SECONDS, before it is first trusted and then all along, or it is
# given up (on_down: the credential cache stops answering, the event bell falls back to polling).
HEARTBEAT_SECONDS = 0.5
PING_TIMEOUT_SECONDS = 0.5
CONNECT_TIMEOUT_SECONDS = 5


def listener_name(channel: str) -> str:
    """The application_name of a connection listening on `channel`."""
    return f"todo-api listen {channel}"


def libpq_url(database_url: str) -> str | None:
    """The libpq form of a Postgres DATABASE_URL; None for another database."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.asynccontextmanager
async def listening(
    conninfo: str,
    channel: str,
    on_notice: Callable[[str], None],
    on_up: Callable[[], None],
    on_down: Callable[[], None],
) -> AsyncIterator[None]:
    """`listen_forever` while the block runs."""
    task = asyncio.create_task(
        listen_forever(conninfo, channel, on_notice, on_up, on_down), name=listener_name(channel)
    )
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def listen_forever(
    conninfo: str,
    channel: str,
    on_notice: Callable[[str], None],
    on_up: Callable[[], None],
    on_down: Callable[[], None],
) -> None:
    backoff = 0.5
    while True:
        try:
            # Autocommit: a LISTEN inside an open transaction would never take effect.
            async with await psycopg.AsyncConnection.connect(
                conninfo,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                # Named in pg_stat_activity: its last query is the heartbeat's, not the LISTEN.
                application_name=listener_name(channel),
            ) as conn:
                # A channel of this connection's own, for the notices it sends itself.
                echo = f"todo_api_echo_{secrets.token_hex(8)}"
                await conn.execute(f"LISTEN {channel}")
                await conn.execute(f"LISTEN {echo}")
                await _hear_itself(conn, echo, on_notice, on_down)
                on_up()
                backoff = 0.5
                while True:
                    async for notice in conn.notifies(timeout=HEARTBEAT_SECONDS):
                        if notice.channel == channel:
                            on_notice(notice.payload)
                    await _hear_itself(conn, echo, on_notice, on_down)
        except (psycopg.Error, OSError, TimeoutError) as error:
            log.warning(
                "listen_down", channel=channel, error=type(error).__name__, retry_in=backoff
            )
        finally:
            on_down()
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, 10.0)


async def _hear_itself(
    conn: psycopg.AsyncConnection[object],
    echo: str,
    on_notice: Callable[[str], None],
    on_down: Callable[[], None],
) -> None:
    """Send a notice to `echo` and hear it back, passing on the channel's notices meanwhile;
    raise TimeoutError if it does not come back in time.

    The round trip runs in a task of its own: cancelled mid-query, psycopg first tries to cancel
    the query on the server for up to ten seconds, and a silent server would hold `on_down` back
    that long.
    """

    async def round_trip() -> None:
        await conn.execute(f"NOTIFY {echo}")
        async for notice in conn.notifies():
            if notice.channel == echo:
                return
            on_notice(notice.payload)

    trip = asyncio.create_task(round_trip())
    try:
        done, _ = await asyncio.wait({trip}, timeout=PING_TIMEOUT_SECONDS)
    except asyncio.CancelledError:
        trip.cancel()  # or closing the connection waits for it to hear something
        raise
    if trip not in done:
        on_down()  # stop trusting what this connection told us now, not after the clean-up
        trip.cancel()
        raise TimeoutError("the listening connection did not hear itself in time")
    trip.result()
