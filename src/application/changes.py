"""What a store reports of a user's task changes, for delta sync (application/sync.py)."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.domain.ids import TaskId
from todo_api.domain.task import Task

__all__ = ["ChangeBatch", "SyncPosition"]


@dataclass(frozen=True, slots=True, order=True)
class SyncPosition:
    """Where a walk stands: every change up to (`number`, `task_id`) has been delivered."""

    number: int
    task_id: int


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """What a store found after a position, in change order: changed tasks and deleted ids with
    their positions, and the horizon below which every change is final."""

    changed: list[tuple[Task, SyncPosition]]
    deleted: list[tuple[TaskId, SyncPosition]]
    horizon: int
