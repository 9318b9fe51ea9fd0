"""One structured access-log line per request: method, route, status, duration, user."""

from __future__ import annotations

import time

import structlog
from litestar.types import HTTPScope, Receive, Send

from todo_api.entrypoints.http.middleware.base import HttpMiddleware
from todo_api.entrypoints.http.middleware.status import StatusRecorder

log = structlog.get_logger("todo_api.access")


class AccessLogMiddleware(HttpMiddleware):
    async def handle(self, scope: HTTPScope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        client = scope.get("client")
        recorder = StatusRecorder(send)
        try:
            await self.app(scope, receive, recorder)
        finally:
            # The route template, never the path: paths carry ids, and the log must stay free
            # of what a client typed.
            log.info(
                "request",
                method=scope["method"],
                route=scope.get("path_template") or "<unmatched>",
                status=recorder.status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                user_id=scope.get("state", {}).get("user_id"),
                client=client[0] if client else None,
            )
