"""A ring that comes while a waiter is busy (between reading the events and waiting) is not
lost: the wait that follows returns at once instead of sleeping through the event."""

from __future__ import annotations

import asyncio
import time
import uuid

from todo_api.domain.ids import UserId
from todo_api.entrypoints.event_bell import EventBell

ANN = UserId(uuid.uuid4())


async def test_a_ring_between_the_mark_and_the_wait_ends_the_wait_at_once() -> None:
    bell = EventBell()
    bell.listening = True
    mark = bell.rings
    bell.ring(ANN)  # an event commits while the stream reads, or the worker works
    started = time.monotonic()
    await bell.wait(ANN, at_most=5, since=mark)
    await bell.wait_for_anyone(at_most=5, since=mark)
    assert time.monotonic() - started < 1


async def test_without_a_ring_since_the_mark_a_wait_lasts_until_one() -> None:
    bell = EventBell()
    bell.listening = True
    mark = bell.rings
    waiter = asyncio.create_task(bell.wait_for_anyone(at_most=5, since=mark))
    await asyncio.sleep(0.2)
    assert not waiter.done()
    bell.ring(ANN)
    await asyncio.wait_for(waiter, 1)
