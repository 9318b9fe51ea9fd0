"""The stored answer of an idempotent request (application/idempotency.py)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Outcome"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the first attempt answered, as its caller rendered it (an HTTP status and body)."""

    status: int
    body: bytes
