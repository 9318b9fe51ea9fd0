"""Listening to a Postgres notification channel for as long as a task runs, reconnecting with
backoff. Notifications sent while no connection listens are lost: `on_up` runs once a new LISTEN
is in place (re-read state there), `on_down` as soon as the connection is gone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg
import structlog
from sqlalchemy.engine import make_url

__all__ = ["HEARTBEAT_SECONDS", "libpq_url", "listen_forever", "listener_name"]

log = structlog.get_logger("todo_api.notifications")

# A connection can die without an error: a frozen server, a network partition. A quiet listening
# connection proves it is alive this often, within PING_TIMEOUT_SECONDS, or is given up (on_down:
# the credential cache stops answering, the event bell falls back to polling) within about a
# second of going silent.
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
                await conn.execute(f"LISTEN {channel}")
                on_up()
                backoff = 0.5
                while True:
                    # Notices that arrive during the ping wait in psycopg's backlog for the
                    # next round.
                    async for notice in conn.notifies(timeout=HEARTBEAT_SECONDS):
                        on_notice(notice.payload)
                    await _ping(conn, on_down)
        except (psycopg.Error, OSError, TimeoutError) as error:
            log.warning(
                "listen_down", channel=channel, error=type(error).__name__, retry_in=backoff
            )
        finally:
            on_down()
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, 10.0)


async def _ping(conn: psycopg.AsyncConnection[object], on_down: Callable[[], None]) -> None:
    """Raise TimeoutError if the connection does not answer a query in time.

    The query runs in a task of its own: cancelled, psycopg first tries to cancel it on the
    server for up to ten seconds, and a silent server would hold `on_down` back that long.
    """
    ping = asyncio.create_task(conn.execute("SELECT 1"))
    done, _ = await asyncio.wait({ping}, timeout=PING_TIMEOUT_SECONDS)
    if ping not in done:
        on_down()  # stop trusting what this connection told us now, not after the clean-up
        ping.cancel()
        raise TimeoutError("the listening connection did not answer its ping")
    ping.result()
