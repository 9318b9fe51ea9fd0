"""A listening connection is trusted only while notices really reach it.

A connection can answer queries and still hear nothing: behind a pooler in transaction mode
(PgBouncer) the LISTEN stays on a server connection the client no longer has. The proxy below
plays that part: it forwards everything but the server's notification messages."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator

import psycopg
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from todo_api.adapters.persistence.credential_notices import NotifiedCredentialCache
from todo_api.adapters.persistence.notifications import listening
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.http.app import create_app
from todo_api.entrypoints.settings import load_settings

CHANNEL = "todo_listening_test"
_NOTIFICATION = b"A"  # NotificationResponse in the Postgres wire protocol


class _Listener:
    def __init__(self) -> None:
        self.up = False
        self.heard: list[str] = []

    def on_up(self) -> None:
        self.up = True

    def on_down(self) -> None:
        self.up = False


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()


async def _without_notifications(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Server to client, message by message (a type byte and a length), notifications left out."""
    while True:
        header = await reader.readexactly(5)
        body = await reader.readexactly(int.from_bytes(header[1:], "big") - 4)
        if header[:1] != _NOTIFICATION:
            writer.write(header + body)
            await writer.drain()


async def _until_closed(copying: Coroutine[object, object, None]) -> None:
    # Either side hanging up ends the copy; that is no error of the test.
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
        await copying


@contextlib.contextmanager
def _deaf_proxy(host: str, port: int) -> Iterator[int]:
    """A proxy to host:port, on an event loop of its own thread (the app under test may block
    the test's loop while it starts, and start by querying through the proxy)."""
    loop = asyncio.new_event_loop()
    copies: set[asyncio.Task[None]] = set()

    async def serve(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(host, port)
        for coroutine in (_pipe(client_r, server_w), _without_notifications(server_r, client_w)):
            task = asyncio.create_task(_until_closed(coroutine))
            copies.add(task)
            task.add_done_callback(copies.discard)

    async def stop_copying() -> None:
        for task in list(copies):
            task.cancel()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = asyncio.run_coroutine_threadsafe(
        asyncio.start_server(serve, "127.0.0.1", 0), loop
    ).result()
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        asyncio.run_coroutine_threadsafe(stop_copying(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


async def _notify(conninfo: str, payload: str) -> None:
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute(f"NOTIFY {CHANNEL}, '{payload}'")


async def test_a_connection_that_hears_its_notices_is_trusted_and_stays_so(
    postgres_server: str,
) -> None:
    listener = _Listener()
    async with listening(
        postgres_server, CHANNEL, listener.heard.append, listener.on_up, listener.on_down
    ):
        for _ in range(200):
            if listener.up:
                break
            await asyncio.sleep(0.025)
        assert listener.up
        await _notify(postgres_server, "one")
        await asyncio.sleep(1.5)  # three heartbeats
        assert listener.up
        assert listener.heard == ["one"]


async def test_a_connection_that_answers_queries_but_hears_no_notice_is_never_trusted(
    postgres_server: str,
) -> None:
    url = make_url(postgres_server)
    listener = _Listener()
    ups: list[bool] = []
    with _deaf_proxy(url.host or "127.0.0.1", url.port or 5432) as port:
        # No SSL or GSS negotiation, whose one-byte answers are not typed messages.
        deaf = url.set(port=port, query={"sslmode": "disable", "gssencmode": "disable"})
        conninfo = deaf.render_as_string(hide_password=False)
        async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as probe:
            assert await (await probe.execute("SELECT 1")).fetchone() == (1,)
        async with listening(
            conninfo, CHANNEL, listener.heard.append, listener.on_up, listener.on_down
        ):
            for _ in range(100):  # 2.5 s: several heartbeats and a reconnection
                ups.append(listener.up)
                await asyncio.sleep(0.025)
    assert not any(ups), "trusted a connection that hears nothing"


async def _hearing_within(cache: NotifiedCredentialCache, seconds: float) -> bool:
    for _ in range(int(seconds / 0.025)):
        if cache.hearing:
            return True
        await asyncio.sleep(0.025)
    return False


@pytest.mark.parametrize("direct_listen_url", [False, True])
async def test_behind_a_pooler_that_loses_notices_the_cache_needs_the_listen_url(
    pg_url: str, direct_listen_url: bool
) -> None:
    """DATABASE_URL through the deaf proxy (what PgBouncer in transaction mode does to
    notices): the credential cache never trusts itself, unless DATABASE_LISTEN_URL gives its
    listener a direct connection."""
    url = make_url(pg_url)
    with _deaf_proxy(url.host or "127.0.0.1", url.port or 5432) as port:
        pooled = url.set(port=port, query={"sslmode": "disable", "gssencmode": "disable"})
        settings = load_settings(
            None,
            app_env="test",
            database_url=pooled.render_as_string(hide_password=False),
            database_listen_url=pg_url if direct_listen_url else None,
            in_process_worker=False,
            log_level="WARNING",
        )
        container = build_container(settings)
        async with AsyncTestClient(app=create_app(container)) as client:
            assert (await client.get("/health")).status_code == 200
            cache = container.credential_cache()
            assert isinstance(cache, NotifiedCredentialCache)
            assert await _hearing_within(cache, 5 if direct_listen_url else 2.5) is (
                direct_listen_url
            )
