"""Prometheus request counts and latencies, by route template and status."""

from __future__ import annotations

import time

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from todo_api.entrypoints.http.metrics import observe_request
from todo_api.entrypoints.http.middleware.status import StatusRecorder


class MetricsMiddleware:
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
            route = scope.get("path_template") or "<unmatched>"
            observe_request(scope["method"], route, recorder.status, time.perf_counter() - started)
