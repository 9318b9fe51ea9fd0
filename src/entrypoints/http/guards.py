"""Route guards: per-IP rate limits and the login-CSRF origin check."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from todo_api.application.errors import RateLimitExceeded
from todo_api.entrypoints.http.dependencies import container_of
from todo_api.entrypoints.http.errors import CsrfRejected


def rate_limited(name: str) -> Guard:
    """Count the request against the client IP's budget for `name` (login, register, refresh)."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        container = container_of(connection.app.state)
        settings = container.settings()
        if not settings.rate_limit_enabled:
            return
        # The client IP is the socket peer, or X-Forwarded-For when the server trusts the peer
        # as a proxy (uvicorn applies FORWARDED_ALLOW_IPS before the request reaches us).
        ip = connection.client.host if connection.client else "unknown"
        decision = await container.rate_limiter().hit(
            f"ip:{name}:{ip}", getattr(settings, f"rate_limit_{name}")
        )
        if not decision.allowed:
            raise RateLimitExceeded(decision.retry_after)

    return guard


async def same_site_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Refuse cookie-bearing auth requests that a browser marks as coming from another site.

    Requests with neither Sec-Fetch-Site nor Origin (curl, servers) pass: they carry no ambient
    browser credentials to abuse.
    """
    if connection.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfRejected
    origin = connection.headers.get("origin")
    if origin is not None and origin != _own_origin(connection):
        allowed = container_of(connection.app.state).settings().cors_origins
        if origin not in allowed:
            raise CsrfRejected


def _own_origin(connection: ASGIConnection) -> str:
    # The service's own pages (Swagger UI's Authorize at /docs) post from its own origin, which
    # browsers always name in Origin on a POST.
    base = connection.base_url
    return f"{base.scheme}://{base.netloc}"
