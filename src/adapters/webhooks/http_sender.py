"""Webhook deliveries over HTTP with httpx, guarded against server-side request forgery.

The host is resolved here, every address it resolves to must be public (not private, loopback,
link-local such as the cloud metadata address, shared, multicast or reserved), and the
connection goes to the address that was checked: the URL's host is replaced by it, with the
original name kept for the Host header, TLS SNI and certificate checks. So a DNS answer that
changes between the check and the connection (DNS rebinding) cannot redirect the request.
Redirects are not followed; the response body is read only up to RESPONSE_EXCERPT bytes.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from urllib.parse import urlsplit, urlunsplit

import httpx

from todo_api.application.errors import InvalidWebhookUrl
from todo_api.application.ports import WebhookSender
from todo_api.application.webhooks.model import RESPONSE_EXCERPT, SendResult

__all__ = ["HttpWebhookSender"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class HttpWebhookSender(WebhookSender):
    def __init__(self, *, allow_private: bool = False, timeout: float = 10.0) -> None:
        # allow_private: WEBHOOK_ALLOW_PRIVATE, for tests and development (never production).
        self._allow_private = allow_private
        # One client for every delivery: its TLS context is built once and its connections
        # (keyed by the pinned address) are reused.
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)), follow_redirects=False
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def check(self, url: str) -> None:
        parts = urlsplit(url)
        await self._address(parts.hostname or "", parts.port or _default_port(parts.scheme))

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        started = time.perf_counter()
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            address = await self._address(host, parts.port or _default_port(parts.scheme))
        except InvalidWebhookUrl as refused:
            return SendResult(status=None, duration_ms=_since(started), error=refused.detail)
        pinned = urlunsplit(parts._replace(netloc=_netloc(address, parts.port)))
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        try:
            async with self._client.stream(
                "POST",
                pinned,
                content=body,
                headers={**headers, "host": parts.netloc.rsplit("@", 1)[-1]},
                extensions=extensions,
            ) as response:
                excerpt = await _excerpt(response)
        except httpx.HTTPError as error:
            return SendResult(
                status=None,
                duration_ms=_since(started),
                error=f"{type(error).__name__}: {error}"[:500],
            )
        failed = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return SendResult(
            status=response.status_code,
            duration_ms=_since(started),
            error=failed,
            response=excerpt,
        )

    async def _address(self, host: str, port: int) -> Address:
        """The first address the host resolves to, once every one of them is allowed."""
        if not host:
            raise InvalidWebhookUrl
        try:
            found = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, port, type=socket.SOCK_STREAM
                )
            except OSError:
                raise InvalidWebhookUrl(f"The webhook's host {host} does not resolve.") from None
            found = [ipaddress.ip_address(info[4][0]) for info in infos]
        refused = [a for a in found if not self._allow_private and not _public(a)]
        if not found or refused:
            raise InvalidWebhookUrl(
                f"The webhook's host {host} resolves to a private, loopback or link-local"
                " address: webhooks go to public addresses only."
            )
        return found[0]


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _netloc(address: Address, port: int | None) -> str:
    host = f"[{address}]" if address.version == 6 else str(address)
    return f"{host}:{port}" if port else host


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


async def _excerpt(response: httpx.Response) -> str | None:
    read = b""
    async for chunk in response.aiter_bytes():
        read += chunk
        if len(read) >= RESPONSE_EXCERPT:
            break
    # Postgres text refuses NUL; the log is for reading, not for replaying.
    text = read[:RESPONSE_EXCERPT].decode("utf-8", "replace").replace("\x00", "")
    return text or None


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
