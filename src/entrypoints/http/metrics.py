"""Prometheus request metrics, by route template and status."""

from __future__ import annotations

import hmac
import os

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from todo_api.entrypoints.http.dependencies import container_of
from todo_api.entrypoints.http.errors import MetricsRefused

# Litestar appends the charset to text media types itself; prometheus-client's constant already
# carries it, so it would be named twice.
_CONTENT_TYPE = CONTENT_TYPE_LATEST.split("; charset=")[0]

REQUESTS = Counter(
    "todo_api_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "todo_api_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


@get("/metrics", include_in_schema=False, sync_to_thread=False)
def metrics(request: Request, state: State) -> Response[bytes]:
    """Prometheus text; with METRICS_TOKEN set (always in production) only for its Bearer."""
    settings = container_of(state).settings()
    if settings.metrics_token is not None:
        if not _presents(request, settings.metrics_token.get_secret_value()):
            raise MetricsRefused
    elif settings.app_env == "production":
        # Login outcomes and route traffic are not for the public: no token, no metrics.
        raise NotFoundException
    # With several workers (`todo-api serve --workers N` sets PROMETHEUS_MULTIPROC_DIR), each
    # writes its samples to that folder and any worker answers with the sum of all of them.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=_CONTENT_TYPE)
    return Response(generate_latest(), media_type=_CONTENT_TYPE)


def _presents(request: Request, token: str) -> bool:
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip(), token)
