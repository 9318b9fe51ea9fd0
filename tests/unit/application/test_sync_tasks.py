"""The sync use case on the in-memory store: tokens, paging, expiry (issue 12)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.unit.application.conftest import Harness
from todo_api.application.errors import InvalidSyncToken, SyncTokenExpired
from todo_api.application.sync import SyncTasks, SyncTokens
from todo_api.application.tasks.create import CreateTask
from todo_api.application.tasks.input import TaskInput
from todo_api.application.tasks.update import DeleteTask
from todo_api.domain.ids import UserId

ANN = UserId(uuid.UUID(int=1))


def _sync(harness: Harness, days: int = 30) -> SyncTasks:
    return SyncTasks(harness.uow(), harness.clock, SyncTokens(b"unit secret"), days)


async def test_a_first_sync_skips_old_deletions_and_later_ones_bring_them(
    harness: Harness,
) -> None:
    create = CreateTask(harness.uow(), harness.clock)
    old = await create.execute(ANN, TaskInput(title="old"))
    await DeleteTask(harness.uow(), harness.clock).execute(ANN, old.id)
    kept = await create.execute(ANN, TaskInput(title="kept"))
    first = await _sync(harness).execute(ANN, "")
    assert ([t.title for t in first.changes], first.deleted) == (["kept"], [])
    await DeleteTask(harness.uow(), harness.clock).execute(ANN, kept.id)
    later = await _sync(harness).execute(ANN, first.next_since)
    assert (later.changes, later.deleted) == ([], [kept.id])


async def test_a_walk_in_pages_keeps_its_place(harness: Harness) -> None:
    create = CreateTask(harness.uow(), harness.clock)
    for n in range(5):
        await create.execute(ANN, TaskInput(title=f"t{n}"))
    seen: list[str] = []
    since = ""
    for _ in range(3):
        page = await _sync(harness).execute(ANN, since, limit=2)
        seen += [t.title for t in page.changes]
        since = page.next_since
    assert seen == [f"t{n}" for n in range(5)]


async def test_a_token_older_than_the_deletions_kept_is_expired(harness: Harness) -> None:
    token = (await _sync(harness, days=30).execute(ANN, "")).next_since
    harness.clock.advance(timedelta(days=29))
    fresher = (await _sync(harness, days=30).execute(ANN, token)).next_since
    harness.clock.advance(timedelta(days=2))
    with pytest.raises(SyncTokenExpired):
        await _sync(harness, days=30).execute(ANN, token)
    # A client that syncs regularly keeps a fresh token.
    await _sync(harness, days=30).execute(ANN, fresher)


@pytest.mark.parametrize("token", ["x", "a.b", "e30.AAAA"])
async def test_anything_but_a_token_is_refused(harness: Harness, token: str) -> None:
    with pytest.raises(InvalidSyncToken):
        await _sync(harness).execute(ANN, token)
    with pytest.raises(InvalidSyncToken):
        other = SyncTasks(harness.uow(), harness.clock, SyncTokens(b"another secret"), 30)
        await other.execute(ANN, (await _sync(harness).execute(ANN, "")).next_since)
