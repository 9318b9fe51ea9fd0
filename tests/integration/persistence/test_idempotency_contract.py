"""Idempotency keys in every store (memory, SQLite, Postgres): claimed with the effect, found
again by a retry, free again after a rollback or 24 hours (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.integration.persistence.conftest import UowFactory
from tests.integration.persistence.test_task_repository_contract import _user
from todo_api.application.outcome import Outcome

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
DAY_AGO = NOW - timedelta(hours=24)


async def test_a_key_is_claimed_once_and_then_found_with_its_outcome(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    bob = await _user(uow_factory, "bob@example.com")
    async with uow_factory() as uow:
        assert await uow.idempotency.claim(ann, "k", "f1", NOW, expired_before=DAY_AGO) is None
        await uow.idempotency.record(ann, "k", Outcome(201, b'{"id":1}'))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.idempotency.claim(ann, "k", "f2", NOW, expired_before=DAY_AGO)
        assert found == ("f1", Outcome(201, b'{"id":1}'))
        # Another user's key of the same name is theirs.
        assert await uow.idempotency.claim(bob, "k", "f1", NOW, expired_before=DAY_AGO) is None


async def test_a_rolled_back_claim_leaves_the_key_free(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    async with uow_factory() as uow:
        assert await uow.idempotency.claim(ann, "k", "f", NOW, expired_before=DAY_AGO) is None
        await uow.idempotency.record(ann, "k", Outcome(201, b"x"))
        # no commit
    async with uow_factory() as uow:
        assert await uow.idempotency.claim(ann, "k", "f", NOW, expired_before=DAY_AGO) is None


async def test_a_key_older_than_a_day_is_free_again(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    async with uow_factory() as uow:
        await uow.idempotency.claim(ann, "k", "old", DAY_AGO, expired_before=DAY_AGO)
        await uow.idempotency.record(ann, "k", Outcome(201, b"x"))
        await uow.commit()
    later = NOW + timedelta(seconds=1)
    async with uow_factory() as uow:
        assert (
            await uow.idempotency.claim(
                ann, "k", "new", later, expired_before=DAY_AGO + timedelta(seconds=1)
            )
            is None
        )
