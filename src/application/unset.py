"""A marker for fields a partial update leaves alone."""

from __future__ import annotations

from typing import Final, TypeVar

__all__ = ["UNSET", "Unset", "pick"]

T = TypeVar("T")


class Unset:
    """Distinct from None, which clears a nullable field."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()


def pick(sent: T | Unset, current: T) -> T:
    """The sent value, or the current one when nothing was sent."""
    return current if isinstance(sent, Unset) else sent
