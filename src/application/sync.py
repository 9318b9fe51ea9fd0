"""Delta sync for offline clients: every task created, changed or deleted since a token.

Each stored change of a task (its fields, its tag links) and each deletion gets a change number
from the store, and the store says up to which number everything is final (the horizon): every
write numbered below it has committed or rolled back, and every later write will get a higher
number. A page walks changes in (number, task id) order and never past the horizon, so a change
committed while a client syncs is never skipped (ADR 0015).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from todo_api.application.changes import SyncPosition
from todo_api.application.errors import InvalidSyncToken, SyncTokenExpired
from todo_api.application.listing import DEFAULT_LIMIT, MAX_LIMIT
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.application.signed import Signer
from todo_api.domain.ids import TaskId, UserId
from todo_api.domain.task import Task

__all__ = ["SyncPage", "SyncTasks", "SyncTokens"]

_VERSION = 1


@dataclass(frozen=True, slots=True)
class SyncPage:
    changes: list[Task]
    deleted: list[TaskId]
    next_since: str


@dataclass(frozen=True, slots=True)
class _Token:
    position: SyncPosition
    # Deletions numbered below this are older than the walk: a first sync skips them.
    deletions_from: int
    # When the walk last caught up; a token older than the tombstones kept has lost deletions.
    caught_up_at: datetime


class SyncTokens:
    """Sync tokens: opaque, signed, and dated."""

    def __init__(self, secret: bytes) -> None:
        self._signer = Signer(secret, "sync")

    def encode(self, token: _Token) -> str:
        return self._signer.dumps(
            [
                _VERSION,
                token.position.number,
                token.position.task_id,
                token.deletions_from,
                token.caught_up_at.isoformat(),
            ]
        )

    def decode(self, raw: str) -> _Token:
        try:
            version, number, task_id, deletions_from, caught_up_at = self._signer.loads(raw)
            if version != _VERSION or not all(
                type(n) is int for n in (number, task_id, deletions_from)
            ):
                raise ValueError("another version")
            return _Token(
                SyncPosition(number, task_id),  # type: ignore[arg-type]
                deletions_from,  # type: ignore[arg-type]
                datetime.fromisoformat(str(caught_up_at)),
            )
        except (ValueError, TypeError):
            raise InvalidSyncToken from None


class SyncTasks:
    """One page of the caller's changes since `since` ("" for a first, full sync)."""

    def __init__(
        self, uow: UnitOfWork, clock: Clock, tokens: SyncTokens, tombstone_days: int
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._tokens = tokens
        self._kept = timedelta(days=tombstone_days)

    async def execute(
        self, user_id: UserId, since: str = "", limit: int = DEFAULT_LIMIT
    ) -> SyncPage:
        """Raises:
        InvalidSyncToken: `since` was altered or is not a sync token.
        SyncTokenExpired: `since` is older than the deletions kept; sync again from "".
        """
        now = self._clock.now()
        limit = max(1, min(limit, MAX_LIMIT))
        token = self._tokens.decode(since) if since else None
        if token is not None and token.caught_up_at < now - self._kept:
            raise SyncTokenExpired
        async with self._uow as uow:
            start = token.position if token else SyncPosition(0, 0)
            batch = await uow.tasks.changes(
                user_id, start, limit, deletions_from=token.deletions_from if token else None
            )
            await uow.commit()
        deletions_from = token.deletions_from if token else batch.horizon
        entries = sorted(
            [(position, task) for task, position in batch.changed]
            + [(position, task_id) for task_id, position in batch.deleted],
            key=lambda entry: entry[0],
        )
        shown = entries[:limit]
        if len(entries) > limit:
            # More below the horizon: continue after the last change shown, still catching up.
            following = _Token(shown[-1][0], deletions_from, token.caught_up_at if token else now)
        else:
            following = _Token(SyncPosition(batch.horizon, 0), deletions_from, now)
        return SyncPage(
            changes=[item for _, item in shown if isinstance(item, Task)],
            deleted=[TaskId(item) for _, item in shown if not isinstance(item, Task)],
            next_since=self._tokens.encode(following),
        )


class ForgetOldDeletions:
    """Drop every user's deletion records older than SYNC_TOMBSTONE_DAYS: the worker's periodic
    job, off the sync read path (a token that old is refused anyway)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, tombstone_days: int) -> None:
        self._uow = uow
        self._clock = clock
        self._kept = timedelta(days=tombstone_days)

    async def execute(self) -> None:
        async with self._uow as uow:
            await uow.tasks.forget_deletions(None, before=self._clock.now() - self._kept)
            await uow.commit()
