"""Webhook deliveries over HTTP with aiohttp, guarded against server-side request forgery.

Every address a webhook's host resolves to must be public (not private, loopback, link-local
such as the cloud metadata address, shared, multicast or reserved). The check is the client's
own resolver, so the connection goes to an address that was checked, under the URL's own name
(Host header, TLS SNI and certificate checks): a DNS answer that changes between a check and the
connection (DNS rebinding) cannot redirect the request. A URL naming an address rather than a
host is checked before sending, since the client does not resolve those. Redirects are not
followed; the response body is read only up to RESPONSE_EXCERPT bytes.

aiohttp rather than httpx: measured on a 2-core machine against the same local receiver,
httpx's client spent 1.2 ms of CPU per request alone and 2 to 3 ms with 8 to 32 requests in
flight (its pool scans every connection for each request); aiohttp 0.22 ms.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from todo_api.application.errors import InvalidWebhookUrl
from todo_api.application.ports import WebhookSender
from todo_api.application.webhooks.model import RESPONSE_EXCERPT, SendResult

__all__ = ["HttpWebhookSender"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class HttpWebhookSender(WebhookSender):
    def __init__(self, *, allow_private: bool = False, timeout: float = 10.0) -> None:
        # allow_private: WEBHOOK_ALLOW_PRIVATE, for tests and development (never production).
        self._allow_private = allow_private
        self._timeout = aiohttp.ClientTimeout(total=timeout, connect=min(timeout, 5.0))
        # One session for every delivery (its connections are reused), opened in the event loop
        # that first sends.
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def check(self, url: str) -> None:
        parts = urlsplit(url)
        await self._address(parts.hostname or "", parts.port or _default_port(parts.scheme))

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        started = time.perf_counter()
        parts = urlsplit(url)
        try:
            if _is_address(parts.hostname or ""):
                await self.check(url)
            async with self._client().post(
                url, data=body, headers=headers, allow_redirects=False
            ) as response:
                excerpt = await _excerpt(response)
        except InvalidWebhookUrl as refused:
            return SendResult(status=None, duration_ms=_since(started), error=refused.detail)
        except (aiohttp.ClientError, TimeoutError) as error:
            return SendResult(status=None, duration_ms=_since(started), error=_failure(error))
        failed = None if 200 <= response.status < 300 else f"HTTP {response.status}"
        return SendResult(
            status=response.status,
            duration_ms=_since(started),
            error=failed,
            response=excerpt,
        )

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            connector = aiohttp.TCPConnector(resolver=_CheckedResolver(self), use_dns_cache=False)
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=self._timeout, auto_decompress=False
            )
            self._session_loop = loop
        return self._session

    async def _addresses(self, host: str, port: int) -> list[Address]:
        """Every address the host resolves to, once each of them is allowed."""
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
            found = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        refused = [a for a in found if not self._allow_private and not _public(a)]
        if not found or refused:
            raise InvalidWebhookUrl(
                f"The webhook's host {host} resolves to a private, loopback or link-local"
                " address: webhooks go to public addresses only."
            )
        return found

    async def _address(self, host: str, port: int) -> Address:
        return (await self._addresses(host, port))[0]


class _CheckedResolver(AbstractResolver):
    """The connector's resolver: only checked addresses reach it (see the module's doc)."""

    def __init__(self, sender: HttpWebhookSender) -> None:
        self._sender = sender

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host=str(address),
                port=port,
                family=socket.AF_INET6 if address.version == 6 else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in await self._sender._addresses(host, port)
        ]

    async def close(self) -> None:
        return None


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def _excerpt(response: aiohttp.ClientResponse) -> str | None:
    read = b""
    while len(read) < RESPONSE_EXCERPT:
        chunk = await response.content.read(RESPONSE_EXCERPT - len(read))
        if not chunk:
            break
        read += chunk
    # Postgres text refuses NUL; the log is for reading, not for replaying.
    text = read.decode("utf-8", "replace").replace("\x00", "")
    return text or None


def _failure(error: Exception) -> str:
    """What the delivery log says about an attempt that got no answer."""
    if isinstance(error, TimeoutError | aiohttp.ServerTimeoutError):
        return "Timeout: no answer in time"
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"ConnectError: could not connect ({error.os_error})"[:500]
    return f"{type(error).__name__}: {error}"[:500]


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
