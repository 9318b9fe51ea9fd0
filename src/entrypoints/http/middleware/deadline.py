"""The request deadline (REQUEST_TIMEOUT): a 503 on time, whatever the handler is waiting on."""

from __future__ import annotations

import asyncio

import structlog
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    Send,
)

from todo_api.entrypoints.http.errors import RETRY_AFTER_UNAVAILABLE, unavailable_body
from todo_api.entrypoints.http.middleware.base import HttpMiddleware

log = structlog.get_logger("todo_api.deadline")


class DeadlineMiddleware(HttpMiddleware):
    """Answers 503 when the handler has not started its response within the deadline.

    A watchdog rather than `asyncio.timeout` around the handler: a cancelled psycopg query
    first tries to cancel server-side, which against a frozen server takes as long as it likes.
    The 503 goes out now; the handler is cancelled and unwinds on its own time, its late reply
    dropped.
    """

    def __init__(self, app: ASGIApp, timeout: float) -> None:
        super().__init__(app)
        self._timeout = timeout

    async def handle(self, scope: HTTPScope, receive: Receive, send: Send) -> None:
        handler = asyncio.current_task()
        assert handler is not None
        response_started = False
        answered_by_deadline = False

        async def send_unless_answered(message: Message) -> None:
            nonlocal response_started
            if answered_by_deadline:
                return  # the deadline already answered; the late handler's reply is dropped
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        def on_deadline() -> None:
            nonlocal answered_by_deadline
            if response_started or answered_by_deadline:
                return
            answered_by_deadline = True
            sender = asyncio.ensure_future(_send_unavailable(send))
            sender.add_done_callback(_retrieve_outcome)
            handler.cancel()

        watchdog = asyncio.get_running_loop().call_later(self._timeout, on_deadline)
        try:
            await self.app(scope, receive, send_unless_answered)
        except asyncio.CancelledError:
            if not answered_by_deadline:
                raise
            handler.uncancel()
        finally:
            watchdog.cancel()


def _retrieve_outcome(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("deadline_reply_failed", error_type=type(task.exception()).__name__)


async def _send_unavailable(send: Send) -> None:
    body = unavailable_body()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 503,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(RETRY_AFTER_UNAVAILABLE).encode()),
        ],
    }
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(end)
