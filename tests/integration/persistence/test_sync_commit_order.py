"""A change committed while a client syncs is never skipped, whatever order writers commit in
(issue 12: a number given at write time is seen out of commit order).

A transaction that began writing first but commits last is the case a number assigned at write
time gets wrong: a reader that moved past the later, already committed change would never see
the earlier one. On Postgres the feed stops at the snapshot's xmin until it has committed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.persistence.test_task_repository_contract import _task, _user
from todo_api.adapters.clock import FixedClock
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.sync import SyncTasks, SyncTokens


async def test_a_transaction_that_commits_last_is_delivered_after_it_commits(
    pg_engine: AsyncEngine,
) -> None:
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(pg_engine)

    ann = await _user(uow)
    sync = SyncTasks(uow(), FixedClock(datetime.now(UTC)), SyncTokens(b"secret"), 30)
    start = await sync.execute(ann, "")
    async with pg_engine.connect() as slow:
        await slow.begin()
        await slow.execute(
            sa.text(
                "INSERT INTO tasks (user_id, title, created_at, updated_at)"
                " VALUES (:user_id, 'slow', now(), now())"
            ),
            {"user_id": ann},
        )
        await _task(uow, ann, "fast")  # commits while 'slow' is still open
        while_open = await sync.execute(ann, start.next_since)
        assert [t.title for t in while_open.changes] == []  # held back, not passed over
        await slow.commit()
    after = await sync.execute(ann, while_open.next_since)
    assert sorted(t.title for t in after.changes) == ["fast", "slow"]
