"""Prometheus request counts and latencies, by route template and status."""

from __future__ import annotations

import time

from litestar.types import HTTPScope, Receive, Send

from todo_api.entrypoints.http.metrics import observe_request
from todo_api.entrypoints.http.middleware.base import HttpMiddleware
from todo_api.entrypoints.http.middleware.status import StatusRecorder


class MetricsMiddleware(HttpMiddleware):
    async def handle(self, scope: HTTPScope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        recorder = StatusRecorder(send)
        try:
            await self.app(scope, receive, recorder)
        finally:
            route = scope.get("path_template") or "<unmatched>"
            observe_request(scope["method"], route, recorder.status, time.perf_counter() - started)
