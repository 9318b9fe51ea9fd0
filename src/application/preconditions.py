"""Optimistic concurrency: a write that names the version it was based on.

`IfMatch` is what an HTTP `If-Match` header or a library caller asks for: any current version
(`*`), or one of some versions. A write that asks nothing wins over concurrent writes, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.errors import PreconditionFailed

__all__ = ["IfMatch"]


@dataclass(frozen=True, slots=True)
class IfMatch:
    """The versions a write may apply to; None means any (`If-Match: *`)."""

    versions: frozenset[int] | None

    @classmethod
    def version(cls, version: int) -> IfMatch:
        return cls(frozenset({version}))

    @classmethod
    def any(cls) -> IfMatch:
        return cls(None)

    def check(self, current: int) -> int | None:
        """The version the store must still find when it writes (None: any), or raise
        PreconditionFailed with the current version."""
        if self.versions is None:
            return None
        if current not in self.versions:
            raise PreconditionFailed(current)
        return current
