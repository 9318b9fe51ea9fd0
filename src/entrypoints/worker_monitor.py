"""The worker's liveness and metrics: `todo-api worker --port N` serves GET /health and
GET /metrics (Prometheus text) on 127.0.0.1:N by default, for an orchestrator's probe and a
scraper.

/health answers 200 while the work loop completes a round at least every LIVENESS_ROUNDS poll
intervals (30 s at least), 503 otherwise: a stuck loop is restarted, a busy one is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from todo_api.application.backlog import Backlog

__all__ = ["WorkerMonitor", "serving"]

LIVENESS_ROUNDS = 10


class WorkerMonitor:
    def __init__(self, poll_seconds: float) -> None:
        self.registry = CollectorRegistry()
        self._stale_after = max(LIVENESS_ROUNDS * poll_seconds, 30.0)
        self._last_round = time.monotonic()
        self.deliveries = Counter(
            "todo_worker_deliveries_total",
            "Delivery attempts by kind (webhook, mail) and outcome; reminders fired"
            " (reminder, fired).",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "todo_worker_webhook_latency_seconds",
            "From an event's commit to its receiver's 2xx answer.",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600),
            registry=self.registry,
        )
        self.backlog = Gauge(
            "todo_worker_backlog",
            "What waits: events not fanned out, webhook deliveries and mail due now.",
            ["queue"],
            registry=self.registry,
        )
        self.rounds = Counter(
            "todo_worker_rounds_total", "Completed work rounds.", registry=self.registry
        )

    def round_done(self, backlog: Backlog | None) -> None:
        self._last_round = time.monotonic()
        self.rounds.inc()
        if backlog is not None:
            self.backlog.labels("events").set(backlog.events)
            self.backlog.labels("webhook_deliveries").set(backlog.deliveries)
            self.backlog.labels("mail").set(backlog.mail)
            self.backlog.labels("reminders").set(backlog.reminders)

    @property
    def alive(self) -> bool:
        return time.monotonic() - self._last_round < self._stale_after

    def seconds_since_round(self) -> float:
        return round(time.monotonic() - self._last_round, 3)


@contextlib.asynccontextmanager
async def serving(monitor: WorkerMonitor, host: str, port: int) -> AsyncIterator[None]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readline(), 5)
            path = request.split(b" ")[1] if request.count(b" ") >= 2 else b""
            if path == b"/health":
                status = 200 if monitor.alive else 503
                body = json.dumps(
                    {
                        "status": "ok" if status == 200 else "stuck",
                        "seconds_since_round": monitor.seconds_since_round(),
                    }
                ).encode()
                kind = b"application/json"
            elif path == b"/metrics":
                status, body, kind = (
                    200,
                    generate_latest(monitor.registry),
                    CONTENT_TYPE_LATEST.encode(),
                )
            else:
                status, body, kind = 404, b'{"status":"not found"}', b"application/json"
            reason = {200: b"OK", 404: b"Not Found", 503: b"Service Unavailable"}[status]
            writer.write(
                b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n" % (status, reason, kind, len(body)) + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, host, port)
    try:
        yield
    finally:
        server.close()
        await server.wait_closed()
