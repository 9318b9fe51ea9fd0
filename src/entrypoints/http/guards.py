"""Route guards: per-IP rate limits and the login-CSRF origin check."""

from __future__ import annotations

import ipaddress

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from todo_api.application.errors import RateLimitExceeded
from todo_api.application.rates import limiter_key
from todo_api.entrypoints.http.dependencies import container_of
from todo_api.entrypoints.http.errors import CsrfRejected


def rate_limited(name: str) -> Guard:
    """Count the request against the client IP's budget for `name` (login, refresh)."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        await spend_ip_budget(connection, name)

    return guard


async def spend_ip_budget(connection: ASGIConnection, name: str) -> None:
    """Count one request against the client IP's budget for `name`; 429 once it is spent.

    Registration calls this itself once its body has been read, so a body the client must fix
    (malformed JSON, a missing or unknown field) costs nothing.
    """
    container = container_of(connection.app.state)
    settings = container.settings()
    if not settings.rate_limit_enabled:
        return
    # The client IP is the socket peer, or X-Forwarded-For when the server trusts the peer
    # as a proxy (uvicorn applies FORWARDED_ALLOW_IPS before the request reaches us).
    host = connection.client.host if connection.client else "unknown"
    decision = await container.rate_limiter().hit(
        limiter_key(f"ip:{name}", client_network(host)), getattr(settings, f"rate_limit_{name}")
    )
    if not decision.allowed:
        raise RateLimitExceeded(decision.retry_after)


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


def client_network(host: str) -> str:
    """What a per-IP budget counts: the address, or its /64 for IPv6.

    One IPv6 subscriber routinely holds a whole /64 and can pick a new address per request.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _own_origin(connection: ASGIConnection) -> str:
    # The service's own pages (Swagger UI's Authorize at /docs) post from its own origin, which
    # browsers always name in Origin on a POST.
    base = connection.base_url
    return f"{base.scheme}://{base.netloc}"
