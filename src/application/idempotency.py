"""Idempotency keys: a retried create answers as the first attempt did, without acting twice.

The key is claimed inside the create's own transaction and its outcome stored there too, so
the record and the effect commit (or vanish) together. A concurrent duplicate's claim waits on
the first one's row (a unique key in the database) and then finds its outcome: it replays, it
never acts. Keys are the caller's (per user) and last 24 hours.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from todo_api.application.errors import (
    ApplicationError,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
)
from todo_api.application.outcome import Outcome
from todo_api.application.ports import UnitOfWork
from todo_api.domain.ids import UserId

__all__ = ["KEY_LIFETIME", "Once", "Outcome", "Replay", "begin_once", "finish_once"]

T = TypeVar("T")

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Once(Generic[T]):
    """A request made at most once per key: `request` describes it (a retry must describe it
    the same way), `render` turns its result into the outcome a retry gets back."""

    key: str
    request: bytes
    render: Callable[[T], Outcome] = field(repr=False)

    def __post_init__(self) -> None:
        if not 1 <= len(self.key) <= MAX_KEY_LENGTH or not all("!" <= c <= "~" for c in self.key):
            raise InvalidIdempotencyKey

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.request).hexdigest()


class Replay(ApplicationError):
    """Not an error: the request was made before with this key; answer with `outcome`."""

    code = "IDEMPOTENT_REPLAY"
    default_detail = "Replayed."

    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.outcome = outcome


async def begin_once(uow: UnitOfWork, user_id: UserId, once: Once[T] | None, now: datetime) -> None:
    """Claim the key in this transaction, or raise Replay (same request) or
    IdempotencyKeyReused (another request)."""
    if once is None:
        return
    stored = await uow.idempotency.claim(
        user_id, once.key, once.fingerprint, now, expired_before=now - KEY_LIFETIME
    )
    if stored is None:
        return
    fingerprint, outcome = stored
    if fingerprint != once.fingerprint:
        raise IdempotencyKeyReused
    raise Replay(outcome)


async def finish_once(uow: UnitOfWork, user_id: UserId, once: Once[T] | None, result: T) -> None:
    """Store the outcome with the effect, before the transaction commits."""
    if once is not None:
        await uow.idempotency.record(user_id, once.key, once.render(result))
