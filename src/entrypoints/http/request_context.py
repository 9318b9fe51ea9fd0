"""The outermost layer: request id, security headers, deadline, access log and metrics.

It wraps the whole Litestar handler, so unknown routes and framework errors are logged and
counted like every other request.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid

import structlog
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from todo_api.entrypoints.http.errors import RETRY_AFTER_UNAVAILABLE, unavailable_body
from todo_api.entrypoints.http.metrics import observe_request

log = structlog.get_logger("todo_api.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, request_timeout: float) -> None:
        self._app = app
        self._timeout = request_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        method: str = scope["method"]
        started = time.perf_counter()
        request_id = _request_id(scope)
        status = 500
        response_started = False
        answered_by_deadline = False
        handler = asyncio.current_task()
        assert handler is not None

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if answered_by_deadline:
                return  # the deadline already answered; the late handler's reply is dropped
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        def on_deadline() -> None:
            # A watchdog rather than asyncio.timeout around the handler: a cancelled psycopg
            # query first tries to cancel server-side, which against a frozen server takes as
            # long as it likes. The 503 goes out now; the handler is cancelled and unwinds on
            # its own time, its late reply dropped.
            nonlocal answered_by_deadline, status
            if response_started or answered_by_deadline:
                return
            answered_by_deadline = True
            status = 503
            sender = asyncio.ensure_future(_send_unavailable(send, request_id))
            sender.add_done_callback(_retrieve_outcome)
            handler.cancel()

        structlog.contextvars.bind_contextvars(request_id=request_id)
        watchdog = asyncio.get_running_loop().call_later(self._timeout, on_deadline)
        try:
            await self._app(scope, receive, send_with_headers)
        except asyncio.CancelledError:
            if not answered_by_deadline:
                raise
            handler.uncancel()
        finally:
            watchdog.cancel()
            duration = time.perf_counter() - started
            route = scope.get("path_template") or "<unmatched>"
            observe_request(method, route, status, duration)
            state = scope.get("state", {})
            log.info(
                "request",
                method=method,
                route=route,
                status=status,
                duration_ms=round(duration * 1000, 2),
                user_id=state.get("user_id"),
            )
            structlog.contextvars.unbind_contextvars("request_id")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _REQUEST_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


def _retrieve_outcome(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("deadline_reply_failed", error_type=type(task.exception()).__name__)


async def _send_unavailable(send: Send, request_id: str) -> None:
    body = unavailable_body()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 503,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(RETRY_AFTER_UNAVAILABLE).encode()),
            (b"x-request-id", request_id.encode()),
            (b"x-content-type-options", b"nosniff"),
        ],
    }
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(end)
