"""One structured access-log line per request: method, route, status, duration, user."""

from __future__ import annotations

import time

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from todo_api.entrypoints.http.middleware.status import StatusRecorder

log = structlog.get_logger("todo_api.access")


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        recorder = StatusRecorder(send)
        try:
            await self._app(scope, receive, recorder)
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
            )
