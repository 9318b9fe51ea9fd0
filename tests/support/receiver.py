"""A real HTTP endpoint for webhook tests: records each POST and answers as told."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    # time.monotonic() when it arrived (benchmarks measure delivery latency with it).
    at: float = field(default_factory=time.monotonic)


@dataclass
class Receiver:
    port: int
    requests: list[Received] = field(default_factory=list)
    # Status codes to answer with, in turn; the last one repeats.
    statuses: list[int] = field(default_factory=lambda: [204])
    # Sent with each answer (to show it is truncated in the delivery log).
    answer: bytes = b""
    location: str | None = None
    # Seconds to wait before answering each request, in turn (then none).
    delays: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def wait_for(self, count: int) -> list[Received]:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if len(self.requests) >= count:
                return self.requests[:count]
            await asyncio.sleep(0.05)
        raise AssertionError(f"{len(self.requests)} requests arrived, not {count}")


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 drops the connections of a burst of concurrent deliveries
    # (each dropped SYN costs its sender a second).
    request_queue_size = 128


@contextmanager
def receiver() -> Iterator[Receiver]:
    state = Receiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as real receivers do: HTTP/1.0 meant a new connection per delivery.
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            state.requests.append(
                Received(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            turn = len(state.requests) - 1
            if turn < len(state.delays):
                time.sleep(state.delays[turn])
            status = state.statuses[min(turn, len(state.statuses) - 1)]
            self.send_response(status)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Length", str(len(state.answer)))
            self.end_headers()
            self.wfile.write(state.answer)

        def log_message(self, *_: object) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    server.block_on_close = False  # a handler still waiting out a delay is not waited for
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
