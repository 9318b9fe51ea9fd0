"""Rate limits as values: how many events a period allows."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

__all__ = ["Rate", "RateDecision"]

_PERIODS = {"second": 1, "minute": 60, "hour": 3600}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour)\s*$")


@dataclass(frozen=True, slots=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Parse `N/second`, `N/minute` or `N/hour`."""
        match = _RATE.match(text)
        if match is None or int(match.group(1)) < 1:
            raise ValueError(f"expected N/second, N/minute or N/hour with N >= 1, got {text!r}")
        return cls(int(match.group(1)), _PERIODS[match.group(2)])

    def __str__(self) -> str:
        unit = next(name for name, seconds in _PERIODS.items() if seconds == self.seconds)
        return f"{self.limit}/{unit}"


def limiter_key(budget: str, subject: str) -> str:
    """The key a budget counts `subject` under: fixed-size whatever the subject's length.

    Subjects come from clients (an email typed at login, an address); a raw one would let a
    client store a megabyte per failed attempt in the limiter for the whole window.
    """
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{budget}:{digest}"


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    remaining: int
    retry_after: int

    @classmethod
    def after(cls, count: int, rate: Rate, seconds_left: float) -> RateDecision:
        """The decision once `count` events fall in a window with `seconds_left` to run."""
        return cls(
            allowed=count <= rate.limit,
            remaining=max(0, rate.limit - count),
            retry_after=max(1, math.ceil(seconds_left)),
        )
