"""Webhooks and their delivery queue on memory, SQLite and Postgres (SPEC 15)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.persistence.conftest import UowFactory
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.events import Event, EventType
from todo_api.application.webhooks.delivery import ATTEMPT_LEASE
from todo_api.application.webhooks.model import NewWebhook, SendResult, new_secret
from todo_api.domain.email import Email
from todo_api.domain.ids import UserId
from todo_api.domain.user import User

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


async def _user(uow_factory: UowFactory, email: str) -> UserId:
    user = User.register(email=Email.parse(email), password_hash="h", name=None, now=T0)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user.id


async def _hook(uow_factory: UowFactory, user_id: UserId, *types: EventType) -> int:
    async with uow_factory() as uow:
        hook = await uow.webhooks.add(
            NewWebhook(
                user_id=user_id,
                url="https://hooks.example.com/",
                events=frozenset(types),
                description=None,
                secret=new_secret(),
                created_at=T0,
            )
        )
        await uow.commit()
    return hook.id


async def _event(uow_factory: UowFactory, user_id: UserId, kind: EventType) -> Event:
    event = Event.of(kind, user_id, T0, {"id": 1})
    async with uow_factory() as uow:
        await uow.events.record(event)
        await uow.commit()
    return event


async def test_events_fan_out_to_their_users_subscribed_webhooks(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory, "ann@example.com")
    bob = await _user(uow_factory, "bob@example.com")
    created = await _hook(uow_factory, ann, EventType.TASK_CREATED)
    both = await _hook(uow_factory, ann, EventType.TASK_CREATED, EventType.TAG_CREATED)
    await _hook(uow_factory, bob, EventType.TASK_CREATED)
    task_event = await _event(uow_factory, ann, EventType.TASK_CREATED)
    tag_event = await _event(uow_factory, ann, EventType.TAG_CREATED)
    async with uow_factory() as uow:
        assert await uow.webhook_queue.fan_out(T0, 10) == 2
        assert await uow.webhook_queue.fan_out(T0, 10) == 0
        jobs = await uow.webhook_queue.claim(T0, 10)
        await uow.commit()
    assert sorted((job.webhook.id, job.event.id, job.attempts) for job in jobs) == sorted(
        [(created, task_event.id, 1), (both, task_event.id, 1), (both, tag_event.id, 1)]
    )
    assert {job.webhook.user_id for job in jobs} == {ann}


async def test_a_claimed_delivery_is_leased_then_settled(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory, "ann@example.com")
    hook = await _hook(uow_factory, ann, EventType.TASK_CREATED)
    await _event(uow_factory, ann, EventType.TASK_CREATED)
    async with uow_factory() as uow:
        await uow.webhook_queue.fan_out(T0, 10)
        (job,) = await uow.webhook_queue.claim(T0, 10)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.webhook_queue.claim(T0 + ATTEMPT_LEASE - timedelta(seconds=1), 10) == []
        # A worker that died mid-attempt: after the lease, another takes it.
        (again,) = await uow.webhook_queue.claim(T0 + ATTEMPT_LEASE, 10)
        assert (again.id, again.attempts) == (job.id, 2)
        failed = SendResult(status=500, duration_ms=12, error="HTTP 500", response="oops")
        await uow.webhook_queue.settle(job.id, failed, T0, retry_at=T0 + timedelta(hours=1))
        await uow.commit()
    async with uow_factory() as uow:
        (logged,) = await uow.webhooks.deliveries(hook, 10)
        assert (logged.status.value, logged.response_status, logged.response) == (
            "pending",
            500,
            "oops",
        )
        assert await uow.webhook_queue.claim(T0 + timedelta(minutes=59), 10) == []
        (third,) = await uow.webhook_queue.claim(T0 + timedelta(hours=1), 10)
        await uow.webhook_queue.settle(third.id, SendResult(status=204, duration_ms=3), T0, None)
        await uow.commit()
    async with uow_factory() as uow:
        (logged,) = await uow.webhooks.deliveries(hook, 10)
        assert (logged.status.value, logged.attempts) == ("delivered", 3)
        assert await uow.webhook_queue.claim(T0 + timedelta(days=9), 10) == []


async def test_a_switched_off_webhook_gets_nothing_and_its_pending_deliveries_fail(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory, "ann@example.com")
    hook_id = await _hook(uow_factory, ann, EventType.TASK_CREATED)
    await _event(uow_factory, ann, EventType.TASK_CREATED)
    async with uow_factory() as uow:
        await uow.webhook_queue.fan_out(T0, 10)
        hook = await uow.webhooks.get(ann, hook_id)
        assert hook is not None
        hook.enabled = False
        await uow.webhooks.update(hook)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.webhook_queue.claim(T0, 10) == []
        await uow.webhook_queue.fail_pending(hook_id, "switched off")
        await uow.commit()
    async with uow_factory() as uow:
        (logged,) = await uow.webhooks.deliveries(hook_id, 10)
        assert (logged.status.value, logged.error) == ("failed", "switched off")
        assert await uow.webhooks.delete(ann, hook_id)
        assert await uow.webhooks.deliveries(hook_id, 10) == []
        await uow.commit()


async def test_concurrent_workers_share_no_delivery(pg_engine: AsyncEngine) -> None:
    """Postgres: fan-out and claims of two workers at once take disjoint rows."""
    factory = lambda: SqlAlchemyUnitOfWork(pg_engine)  # noqa: E731
    ann = await _user(factory, "ann@example.com")
    await _hook(factory, ann, EventType.TASK_CREATED)
    for _ in range(30):
        await _event(factory, ann, EventType.TASK_CREATED)

    async def fan_out() -> int:
        async with factory() as uow:
            done = await uow.webhook_queue.fan_out(T0, 20)
            await asyncio.sleep(0.2)
            await uow.commit()
        return done

    assert sum(await asyncio.gather(fan_out(), fan_out())) == 30

    async def claim() -> list[int]:
        async with factory() as uow:
            jobs = await uow.webhook_queue.claim(T0, 20)
            await asyncio.sleep(0.2)
            await uow.commit()
        return [job.id for job in jobs]

    first, second = await asyncio.gather(claim(), claim())
    assert not set(first) & set(second) and len(first) + len(second) == 30


async def test_old_fanned_out_events_are_purged_with_their_deliveries(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory, "ann@example.com")
    hook = await _hook(uow_factory, ann, EventType.TASK_CREATED)
    await _event(uow_factory, ann, EventType.TASK_CREATED)
    async with uow_factory() as uow:
        await uow.webhook_queue.fan_out(T0, 10)
        await uow.commit()
    waiting = await _event(uow_factory, ann, EventType.TASK_CREATED)  # not fanned out yet
    later = T0 + timedelta(days=8)
    async with uow_factory() as uow:
        assert await uow.events.purge(T0, 10) == 0  # none happened before T0
        assert await uow.events.purge(later, 10) == 1
        await uow.commit()
    async with uow_factory() as uow:
        assert [e.id for _, e in await uow.events.since(ann, 0, 10)] == [waiting.id]
        assert await uow.webhooks.deliveries(hook, 10) == []
