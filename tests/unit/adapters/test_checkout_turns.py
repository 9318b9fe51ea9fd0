"""Connections go to units of work in arrival order, and a wait is bounded."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from todo_api.adapters.persistence.checkout_turns import CheckoutTurns
from todo_api.adapters.persistence.engine import build_engine
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.errors import StorageUnavailable


async def test_a_freed_turn_goes_to_the_longest_waiter_not_to_a_newcomer() -> None:
    turns = CheckoutTurns(1, timeout=5)
    served: list[str] = []

    async def unit(name: str) -> None:
        await turns.take()
        served.append(name)
        await asyncio.sleep(0)
        turns.give_back()

    await turns.take()
    first = asyncio.create_task(unit("waited first"))
    second = asyncio.create_task(unit("waited second"))
    await asyncio.sleep(0)  # both are waiting now
    # The newcomer's first step is scheduled before the release wakes the first waiter, so it
    # runs first and finds the turn free: it must still queue behind both.
    newcomer = asyncio.create_task(unit("newcomer"))
    turns.give_back()
    await asyncio.gather(first, second, newcomer)
    assert served == ["waited first", "waited second", "newcomer"]


async def test_a_wait_longer_than_the_timeout_is_storage_unavailable() -> None:
    turns = CheckoutTurns(1, timeout=0.05)
    await turns.take()
    with pytest.raises(StorageUnavailable):
        await turns.take()
    turns.give_back()
    await asyncio.wait_for(turns.take(), 1)  # the timed-out wait took nothing


async def test_each_event_loop_has_its_own_turns() -> None:
    turns = CheckoutTurns(1, timeout=1)
    await turns.take()

    def elsewhere() -> None:
        async def take_and_give() -> None:
            await turns.take()
            turns.give_back()

        asyncio.run(take_and_give())

    await asyncio.to_thread(elsewhere)
    turns.give_back()


async def test_a_unit_of_work_that_cannot_connect_gives_its_turn_back(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'db.sqlite'}")
    turns = CheckoutTurns(1, timeout=1)
    with pytest.raises(StorageUnavailable):
        async with SqlAlchemyUnitOfWork(engine, turns=turns):
            pass
    await asyncio.wait_for(turns.take(), 1)
    await engine.dispose()
