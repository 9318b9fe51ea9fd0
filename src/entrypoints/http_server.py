"""uvicorn's fast HTTP/1.1 protocol (httptools) with the limits a public server needs.

uvicorn with httptools accepts a header of any size and any number of fields, and never closes
a connection that sends nothing or stops halfway through its headers (ADR 0012). This protocol
adds, per connection:

- request line plus headers at most `max_header_bytes` (16 KiB) and `max_header_fields` (100),
  else 431 and the connection is closed;
- the headers of each request must be complete within `header_timeout` (10 s) of the
  connection opening or of the previous response, else the connection is closed;
- its own parse errors and the connection cap's 503 answer in the contract's JSON error shape.

Idle keep-alive (5 s) and the cap on open connections (MAX_CONNECTIONS) are uvicorn's own
settings. The limits reach worker processes through the environment (`export_limits`).

This subclasses uvicorn internals: uvicorn is pinned to one minor version, and the limits are
tested against a real server (tests/security/test_http_server_limits.py).
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from todo_api.entrypoints.http.draining import drain

__all__ = ["GuardedHttpToolsProtocol", "HttpLimits", "export_limits"]

_ENVIRONMENT_KEY = "TODO_API_HTTP_LIMITS"
_REASONS = {
    400: b"Bad Request",
    431: b"Request Header Fields Too Large",
    503: b"Service Unavailable",
}


@dataclass(frozen=True, slots=True)
class HttpLimits:
    max_header_bytes: int = 16 * 1024
    max_header_fields: int = 100
    header_timeout: float = 10.0


def export_limits(limits: HttpLimits) -> None:
    """Make the limits reach the protocol in this process and in worker processes."""
    os.environ[_ENVIRONMENT_KEY] = json.dumps(asdict(limits))


@cache
def _limits() -> HttpLimits:
    raw = os.environ.get(_ENVIRONMENT_KEY)
    return HttpLimits(**json.loads(raw)) if raw else HttpLimits()


def _error(status: int, code: str, detail: str) -> bytes:
    body = json.dumps({"detail": detail, "code": code, "field": None}).encode()
    return b"".join(
        [
            b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status]),
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
            body,
        ]
    )


class _Refused(Exception):
    """Stops the parser: the request is refused with the status set on the protocol.

    httptools wraps an exception raised in a callback in its parser error, which uvicorn
    answers through `send_400_response` (overridden below).
    """


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = _limits()
        self._reading_headers = True
        self._header_bytes = 0
        self._header_fields = 0
        self._refusal: tuple[int, str, str] | None = None
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        # Event streams never complete on their own: tell them to end (http/draining.py).
        drain()
        super().shutdown()

    def data_received(self, data: bytes) -> None:
        if self._reading_headers:
            self._header_bytes += len(data)
        super().data_received(data)
        # Still inside the headers after this chunk: the client is past the size limit only if
        # the headers so far already are (a body in the same chunk never counts).
        if (
            self._reading_headers
            and self._header_bytes > self.limits.max_header_bytes
            and not self.transport.is_closing()
        ):
            self._refuse(431, "HEADERS_TOO_LARGE", "The request line and headers exceed 16 KiB.")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_fields = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_fields += 1
        if self._header_fields > self.limits.max_header_fields:
            self._refusal = (431, "HEADERS_TOO_LARGE", "A request has at most 100 header fields.")
            raise _Refused
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._reading_headers = False
        self._cancel_header_deadline()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        # Whatever the client sends next is the next request's headers.
        self._reading_headers = True
        self._header_bytes = 0

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._await_headers()

    def send_400_response(self, msg: str) -> None:
        status, code, detail = self._refusal or (400, "MALFORMED_REQUEST", msg)
        self._write_and_close(_error(status, code, detail))

    def _start_asgi_task(self, cycle: Any, app: Any) -> None:
        if getattr(app, "__name__", "") == "service_unavailable":
            # uvicorn's answer when MAX_CONNECTIONS is reached, in the contract's shape.
            self._write_and_close(
                _error(503, "SERVICE_UNAVAILABLE", "Too many open connections; retry shortly.")
            )
            return
        super()._start_asgi_task(cycle, app)

    def _refuse(self, status: int, code: str, detail: str) -> None:
        self._refusal = (status, code, detail)
        self._write_and_close(_error(status, code, detail))

    def _write_and_close(self, response: bytes) -> None:
        if not self.transport.is_closing():
            self.transport.write(response)
            self.transport.close()

    def _await_headers(self) -> None:
        self._cancel_header_deadline()
        self._header_deadline = self.loop.call_later(
            self.limits.header_timeout, self._headers_too_slow
        )

    def _cancel_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        # Slowloris: a connection that has not finished its headers in time is closed.
        if not self.transport.is_closing():
            self.transport.close()
