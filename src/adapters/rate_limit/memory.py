"""Fixed-window rate limiting inside one process."""

from __future__ import annotations

import time
from collections.abc import Callable

from todo_api.application.ports import RateLimiter
from todo_api.application.rates import Rate, RateDecision


class InMemoryRateLimiter(RateLimiter):
    """Counts per key in fixed windows; each process has its own budget.

    Windows are cleaned up lazily, on a sweep every `sweep_every` hits, so memory stays bounded by
    the keys seen within one window.
    """

    def __init__(
        self, monotonic: Callable[[], float] = time.monotonic, sweep_every: int = 1024
    ) -> None:
        self._monotonic = monotonic
        self._windows: dict[str, tuple[float, int]] = {}
        self._sweep_every = sweep_every
        self._hits = 0

    async def hit(self, key: str, rate: Rate) -> RateDecision:
        now = self._monotonic()
        self._sweep(now)
        ends, count = self._window(key, rate, now)
        count += 1
        self._windows[key] = (ends, count)
        return RateDecision.after(count, rate, ends - now)

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    def _window(self, key: str, rate: Rate, now: float) -> tuple[float, int]:
        window = self._windows.get(key)
        if window is None or window[0] <= now:
            return now + rate.seconds, 0
        return window

    def _sweep(self, now: float) -> None:
        self._hits += 1
        if self._hits % self._sweep_every == 0:
            self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
