"""The HTTP edge's middleware, one concern each, outermost first:

request id → security headers → access log → metrics → preflight errors → deadline → Litestar.

They wrap the whole Litestar handler, so unknown routes, framework errors and the deadline's
own 503 are identified, logged and counted like every other request.
"""

from __future__ import annotations

from litestar.types import ASGIApp

from todo_api.entrypoints.http.middleware.access_log import AccessLogMiddleware
from todo_api.entrypoints.http.middleware.deadline import DeadlineMiddleware
from todo_api.entrypoints.http.middleware.metrics import MetricsMiddleware
from todo_api.entrypoints.http.middleware.preflight_errors import PreflightErrorMiddleware
from todo_api.entrypoints.http.middleware.request_id import RequestIdMiddleware
from todo_api.entrypoints.http.middleware.security_headers import SecurityHeadersMiddleware

__all__ = ["wrap"]


def wrap(app: ASGIApp, *, request_timeout: float) -> ASGIApp:
    """The Litestar app inside the edge's middleware."""
    inner = PreflightErrorMiddleware(DeadlineMiddleware(app, request_timeout))
    return RequestIdMiddleware(
        SecurityHeadersMiddleware(AccessLogMiddleware(MetricsMiddleware(inner)))
    )
