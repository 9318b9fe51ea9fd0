"""Listening to a Postgres notification channel for as long as a task runs, reconnecting with
backoff. Notifications sent while no connection listens are lost: `on_up` runs once a new LISTEN
is in place (re-read state there), `on_down` as soon as the connection is gone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg
import structlog
from sqlalchemy.engine import make_url

__all__ = ["libpq_url", "listen_forever"]

log = structlog.get_logger("todo_api.notifications")


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
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                await conn.execute(f"LISTEN {channel}")
                on_up()
                backoff = 0.5
                async for notice in conn.notifies():
                    on_notice(notice.payload)
        except (psycopg.Error, OSError) as error:
            log.warning(
                "listen_down", channel=channel, error=type(error).__name__, retry_in=backoff
            )
        finally:
            on_down()
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, 10.0)
