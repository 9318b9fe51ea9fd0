"""The server is shutting down: long-lived responses (event streams) end now.

uvicorn waits for open responses before the application's shutdown runs (up to its graceful
timeout), so an event stream must learn of a SIGTERM from the server itself: its connection
protocol calls `drain()` when it starts shutting connections down.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["drain", "on_drain"]

_callbacks: list[Callable[[], None]] = []


def on_drain(callback: Callable[[], None]) -> None:
    _callbacks.append(callback)


def drain() -> None:
    while _callbacks:
        _callbacks.pop()()
