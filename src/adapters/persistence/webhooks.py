"""Webhooks and their delivery queue in SQL.

Fan-out and claims lock their rows with FOR UPDATE SKIP LOCKED, so any number of workers take
disjoint batches (SQLite ignores the clause; its single writer serialises them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.event_outbox import event_of
from todo_api.adapters.persistence.tables import events, webhook_deliveries, webhooks
from todo_api.application.events import EventType
from todo_api.application.ports import WebhookQueue, WebhookRepository
from todo_api.application.webhooks.delivery import ATTEMPT_LEASE
from todo_api.application.webhooks.model import (
    RESPONSE_EXCERPT,
    DeliveryAttempt,
    DeliveryJob,
    DeliveryStatus,
    NewWebhook,
    SendResult,
    Webhook,
)
from todo_api.domain.ids import UserId

__all__ = ["SqlAlchemyWebhookQueue", "SqlAlchemyWebhookRepository"]


class SqlAlchemyWebhookRepository(WebhookRepository):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, webhook: NewWebhook) -> Webhook:
        webhook_id = (
            await self._connection.execute(
                webhooks.insert()
                .values(
                    user_id=webhook.user_id,
                    url=webhook.url,
                    event_types=sorted(webhook.events),
                    description=webhook.description,
                    secret=webhook.secret,
                    enabled=True,
                    created_at=webhook.created_at,
                )
                .returning(webhooks.c.id)
            )
        ).scalar_one()
        return Webhook(
            id=webhook_id,
            user_id=webhook.user_id,
            url=webhook.url,
            events=webhook.events,
            description=webhook.description,
            secret=webhook.secret,
            enabled=True,
            created_at=webhook.created_at,
        )

    async def get(self, user_id: UserId, webhook_id: int) -> Webhook | None:
        row = (
            await self._connection.execute(
                webhooks.select().where(webhooks.c.id == webhook_id, webhooks.c.user_id == user_id)
            )
        ).one_or_none()
        return webhook_of(row) if row else None

    async def owned_by(self, user_id: UserId) -> list[Webhook]:
        rows = await self._connection.execute(
            webhooks.select().where(webhooks.c.user_id == user_id).order_by(webhooks.c.id)
        )
        return [webhook_of(row) for row in rows]

    async def update(self, webhook: Webhook) -> None:
        await self._connection.execute(
            webhooks.update()
            .where(webhooks.c.id == webhook.id)
            .values(
                url=webhook.url,
                event_types=sorted(webhook.events),
                description=webhook.description,
                enabled=webhook.enabled,
                failing_since=webhook.failing_since,
                disabled_at=webhook.disabled_at,
                disabled_reason=webhook.disabled_reason,
            )
        )

    async def delete(self, user_id: UserId, webhook_id: int) -> bool:
        result = await self._connection.execute(
            webhooks.delete().where(webhooks.c.id == webhook_id, webhooks.c.user_id == user_id)
        )
        return result.rowcount == 1

    async def deliveries(self, webhook_id: int, limit: int) -> list[DeliveryAttempt]:
        rows = await self._connection.execute(
            webhook_deliveries.select()
            .where(webhook_deliveries.c.webhook_id == webhook_id)
            .order_by(webhook_deliveries.c.id.desc())
            .limit(limit)
        )
        return [
            DeliveryAttempt(
                id=row.id,
                event_id=row.event_id,
                event_type=EventType(row.event_type),
                status=DeliveryStatus(row.status),
                attempts=row.attempts,
                created_at=row.created_at,
                last_attempt_at=row.last_attempt_at,
                next_attempt_at=row.next_attempt_at,
                response_status=row.response_status,
                duration_ms=row.duration_ms,
                error=row.error,
                response=row.response,
            )
            for row in rows
        ]


class SqlAlchemyWebhookQueue(WebhookQueue):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def fan_out(self, now: datetime, limit: int) -> int:
        taken = (
            await self._connection.execute(
                sa.select(events.c.seq, events.c.id, events.c.user_id, events.c.type)
                .where(events.c.dispatched_at.is_(None))
                .order_by(events.c.seq)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not taken:
            return 0
        subscribers: dict[UserId, list[Any]] = defaultdict(list)
        for hook in await self._connection.execute(
            sa.select(webhooks.c.id, webhooks.c.user_id, webhooks.c.event_types).where(
                webhooks.c.user_id.in_({event.user_id for event in taken}),
                webhooks.c.enabled.is_(True),
            )
        ):
            subscribers[hook.user_id].append(hook)
        queued = [
            {
                "webhook_id": hook.id,
                "event_id": event.id,
                "event_type": event.type,
                "status": DeliveryStatus.PENDING.value,
                "created_at": now,
                "next_attempt_at": now,
            }
            for event in taken
            for hook in subscribers[event.user_id]
            if event.type in hook.event_types
        ]
        if queued:
            await self._connection.execute(webhook_deliveries.insert(), queued)
        await self._connection.execute(
            events.update()
            .where(events.c.seq.in_([event.seq for event in taken]))
            .values(dispatched_at=now)
        )
        return len(taken)

    async def enqueue(self, webhook_id: int, event_id: str, now: datetime) -> None:
        await self._connection.execute(
            webhook_deliveries.insert().values(
                webhook_id=webhook_id,
                event_id=event_id,
                event_type=(
                    await self._connection.execute(
                        sa.select(events.c.type).where(events.c.id == event_id)
                    )
                ).scalar_one(),
                status=DeliveryStatus.PENDING.value,
                created_at=now,
                next_attempt_at=now,
            )
        )

    async def claim(self, now: datetime, limit: int) -> list[DeliveryJob]:
        delivery = webhook_deliveries
        due = (
            await self._connection.execute(
                sa.select(
                    delivery.c.id, delivery.c.attempts, delivery.c.webhook_id, delivery.c.event_id
                )
                .join(webhooks, webhooks.c.id == delivery.c.webhook_id)
                .where(
                    delivery.c.status == DeliveryStatus.PENDING.value,
                    delivery.c.next_attempt_at <= now,
                    sa.or_(
                        webhooks.c.enabled.is_(True),
                        delivery.c.event_type == EventType.WEBHOOK_TEST.value,
                    ),
                )
                .order_by(delivery.c.next_attempt_at, delivery.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=delivery)
            )
        ).all()
        if not due:
            return []
        await self._connection.execute(
            delivery.update()
            .where(delivery.c.id.in_([row.id for row in due]))
            .values(attempts=delivery.c.attempts + 1, next_attempt_at=now + ATTEMPT_LEASE)
        )
        hooks = {
            row.id: webhook_of(row)
            for row in await self._connection.execute(
                webhooks.select().where(webhooks.c.id.in_({row.webhook_id for row in due}))
            )
        }
        found = {
            row.id: event_of(row)
            for row in await self._connection.execute(
                events.select().where(events.c.id.in_({row.event_id for row in due}))
            )
        }
        return [
            DeliveryJob(
                id=row.id,
                webhook=hooks[row.webhook_id],
                event=found[row.event_id],
                attempts=row.attempts + 1,
            )
            for row in due
        ]

    async def settle(
        self, delivery_id: int, result: SendResult, now: datetime, retry_at: datetime | None
    ) -> None:
        if result.delivered:
            status = DeliveryStatus.DELIVERED
        else:
            status = DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED
        await self._connection.execute(
            webhook_deliveries.update()
            .where(webhook_deliveries.c.id == delivery_id)
            .values(
                status=status.value,
                last_attempt_at=now,
                next_attempt_at=retry_at if status is DeliveryStatus.PENDING else None,
                response_status=result.status,
                duration_ms=result.duration_ms,
                error=result.error[:500] if result.error else None,
                response=result.response[:RESPONSE_EXCERPT] if result.response else None,
            )
        )

    async def backlog(self, now: datetime) -> tuple[int, int]:
        undispatched = await self._connection.scalar(
            sa.select(sa.func.count()).where(events.c.dispatched_at.is_(None))
        )
        due = await self._connection.scalar(
            sa.select(sa.func.count()).where(
                webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
                webhook_deliveries.c.next_attempt_at <= now,
            )
        )
        return int(undispatched or 0), int(due or 0)

    async def fail_pending(self, webhook_id: int, reason: str) -> None:
        await self._connection.execute(
            webhook_deliveries.update()
            .where(
                webhook_deliveries.c.webhook_id == webhook_id,
                webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.FAILED.value, next_attempt_at=None, error=reason)
        )


def webhook_of(row: sa.Row[tuple[object, ...]]) -> Webhook:
    data = row._mapping
    return Webhook(
        id=data["id"],
        user_id=UserId(data["user_id"]),
        url=data["url"],
        events=frozenset(EventType(name) for name in data["event_types"]),
        description=data["description"],
        secret=data["secret"],
        enabled=bool(data["enabled"]),
        created_at=data["created_at"],
        failing_since=data["failing_since"],
        disabled_at=data["disabled_at"],
        disabled_reason=data["disabled_reason"],
    )
