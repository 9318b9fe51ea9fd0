"""Clocks: the system's, and a fixed one for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from todo_api.application.ports import Clock

__all__ = ["FixedClock", "ManualTicker", "SystemClock"]


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class ManualTicker:
    """A monotonic clock (seconds, as `time.monotonic`) that only moves when told to.

    For the rate limiters, which measure windows on a monotonic clock rather than wall time.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now
