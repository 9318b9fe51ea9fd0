"""The MCP tools over streamable HTTP, mounted at /mcp in the Litestar app (SPEC 16).

Stateless and answering in JSON: each POST is one self-contained exchange, so any server worker
on any host can answer it and no session lives in one process's memory. A request without a
credential the API accepts is refused with 401 before the SDK sees it; each tool call checks the
credential and the tool's scope again.

The SDK's DNS-rebinding guard (a Host allow-list, meant for servers on localhost that trust the
browser's network position) is off: this endpoint trusts nothing but the Bearer token, which a
rebinding page cannot send.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from litestar import Litestar
from litestar.handlers import asgi
from litestar.types import HTTPResponseStartEvent, Receive, Scope, Send

from todo_api.domain.errors import TodoApiError
from todo_api.entrypoints.container import Container
from todo_api.entrypoints.http.dependencies import bearer_token

if TYPE_CHECKING:
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

__all__ = ["mcp_endpoint", "serving_mcp"]


class _McpSessions:
    """The SDK's session manager, started by the first /mcp request and stopped at shutdown.

    The SDK and its models take about 33 MB per process once imported: most deployments never
    call /mcp, so a server worker loads it only when asked. The manager runs in a task of its
    own (its task group must be entered and left by one task)."""

    def __init__(self, container: Container, version: str) -> None:
        self._container = container
        self._version = version
        self._manager: StreamableHTTPSessionManager | None = None
        self._starting = asyncio.Lock()
        self._stop = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None

    async def manager(self) -> StreamableHTTPSessionManager:
        async with self._starting:
            if self._manager is None:
                ready = asyncio.Event()
                manager = _build_manager(self._container, self._version)
                self._runner = asyncio.create_task(self._run(manager, ready))
                await ready.wait()
                self._manager = manager
        return self._manager

    async def _run(self, manager: StreamableHTTPSessionManager, ready: asyncio.Event) -> None:
        async with manager.run():
            ready.set()
            await self._stop.wait()

    async def stop(self) -> None:
        self._stop.set()
        if self._runner is not None:
            await self._runner


def _build_manager(container: Container, version: str) -> StreamableHTTPSessionManager:
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from mcp.server.transport_security import TransportSecuritySettings

    from todo_api.entrypoints.mcp.server import build_server, from_header
    from todo_api.entrypoints.service import TodoService

    return StreamableHTTPSessionManager(
        app=build_server(TodoService(container), from_header, version),
        stateless=True,
        json_response=True,
        security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )


@contextlib.asynccontextmanager
async def serving_mcp(app: Litestar, container: Container, version: str) -> AsyncIterator[None]:
    """Serve /mcp for the app's lifetime (one session manager per run: the SDK's rule)."""
    sessions = _McpSessions(container, version)
    app.state.mcp_sessions = sessions
    try:
        yield
    finally:
        await sessions.stop()


@asgi("/mcp", is_mount=True, copy_scope=True)
async def mcp_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    app: Any = scope["app"]
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
    try:
        await app.state.container.authenticate().execute(bearer_token(headers.get("authorization")))
    except TodoApiError as error:
        await _refuse(send, error)
        return
    manager = await app.state.mcp_sessions.manager()
    await manager.handle_request(scope, receive, send)


async def _refuse(send: Send, error: TodoApiError) -> None:
    body = json.dumps({"detail": error.detail, "code": error.code, "field": error.field}).encode()
    status = 429 if error.code == "RATE_LIMIT_EXCEEDED" else 401
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"www-authenticate", b"Bearer"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
