"""Webhooks and their delivery queue over the in-memory tables."""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime

from todo_api.adapters.memory.repositories import InMemoryTables, StoredDelivery
from todo_api.application.events import EventType
from todo_api.application.ports import WebhookQueue, WebhookRepository
from todo_api.application.webhooks.delivery import ATTEMPT_LEASE
from todo_api.application.webhooks.model import (
    DeliveryAttempt,
    DeliveryJob,
    DeliveryStatus,
    NewWebhook,
    SendResult,
    Webhook,
)
from todo_api.domain.ids import UserId

__all__ = ["InMemoryWebhookQueue", "InMemoryWebhookRepository"]


class InMemoryWebhookRepository(WebhookRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, webhook: NewWebhook) -> Webhook:
        saved = Webhook(
            id=next(self._tables.webhook_ids),
            enabled=True,
            **{f.name: getattr(webhook, f.name) for f in dataclasses.fields(webhook)},
        )
        self._tables.webhooks[saved.id] = copy.copy(saved)
        return saved

    async def get(self, user_id: UserId, webhook_id: int) -> Webhook | None:
        found = self._tables.webhooks.get(webhook_id)
        return copy.copy(found) if found and found.user_id == user_id else None

    async def owned_by(self, user_id: UserId) -> list[Webhook]:
        return [
            copy.copy(w) for _, w in sorted(self._tables.webhooks.items()) if w.user_id == user_id
        ]

    async def update(self, webhook: Webhook) -> None:
        if webhook.id in self._tables.webhooks:
            self._tables.webhooks[webhook.id] = copy.copy(webhook)

    async def delete(self, user_id: UserId, webhook_id: int) -> bool:
        if await self.get(user_id, webhook_id) is None:
            return False
        del self._tables.webhooks[webhook_id]
        self._tables.deliveries = {
            k: d for k, d in self._tables.deliveries.items() if d.webhook_id != webhook_id
        }
        return True

    async def deliveries(self, webhook_id: int, limit: int) -> list[DeliveryAttempt]:
        mine = sorted(
            ((k, d) for k, d in self._tables.deliveries.items() if d.webhook_id == webhook_id),
            reverse=True,
            key=lambda item: item[0],
        )[:limit]
        return [self._attempt(k, d) for k, d in mine]

    def _attempt(self, delivery_id: int, stored: StoredDelivery) -> DeliveryAttempt:
        event = self._tables.events[stored.event_number]
        result = stored.result
        return DeliveryAttempt(
            id=delivery_id,
            event_id=event.id,
            event_type=event.type,
            status=stored.status,
            attempts=stored.attempts,
            created_at=stored.created_at,
            last_attempt_at=stored.last_attempt_at,
            next_attempt_at=stored.next_attempt_at,
            response_status=result.status if result else None,
            duration_ms=result.duration_ms if result else None,
            error=result.error if result else None,
            response=result.response if result else None,
        )


class InMemoryWebhookQueue(WebhookQueue):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def fan_out(self, now: datetime, limit: int) -> int:
        tables = self._tables
        taken = sorted(n for n in tables.events if n not in tables.dispatched)[:limit]
        for number in taken:
            event = tables.events[number]
            for hook_id, hook in sorted(tables.webhooks.items()):
                if hook.user_id == event.user_id and hook.enabled and event.type in hook.events:
                    self._queue(hook_id, number, now)
            tables.dispatched.add(number)
        return len(taken)

    async def enqueue(self, webhook_id: int, event_id: str, now: datetime) -> None:
        number = next(n for n, e in self._tables.events.items() if e.id == event_id)
        self._queue(webhook_id, number, now)

    async def claim(self, now: datetime, limit: int) -> list[DeliveryJob]:
        tables = self._tables
        due = sorted(
            (d.next_attempt_at, k)
            for k, d in tables.deliveries.items()
            if d.status is DeliveryStatus.PENDING
            and d.next_attempt_at is not None
            and d.next_attempt_at <= now
            and (
                tables.webhooks[d.webhook_id].enabled
                or tables.events[d.event_number].type is EventType.WEBHOOK_TEST
            )
        )[:limit]
        jobs = []
        for _, delivery_id in due:
            stored = tables.deliveries[delivery_id]
            stored.attempts += 1
            stored.next_attempt_at = now + ATTEMPT_LEASE
            jobs.append(
                DeliveryJob(
                    id=delivery_id,
                    webhook=copy.copy(tables.webhooks[stored.webhook_id]),
                    event=tables.events[stored.event_number],
                    attempts=stored.attempts,
                )
            )
        return jobs

    async def settle(
        self, delivery_id: int, result: SendResult, now: datetime, retry_at: datetime | None
    ) -> None:
        stored = self._tables.deliveries.get(delivery_id)
        if stored is None:
            return
        if result.delivered:
            stored.status = DeliveryStatus.DELIVERED
        else:
            stored.status = DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED
        stored.next_attempt_at = retry_at if stored.status is DeliveryStatus.PENDING else None
        stored.last_attempt_at = now
        stored.result = result

    async def backlog(self, now: datetime) -> tuple[int, int]:
        undispatched = sum(1 for n in self._tables.events if n not in self._tables.dispatched)
        due = sum(
            1
            for d in self._tables.deliveries.values()
            if d.status is DeliveryStatus.PENDING
            and d.next_attempt_at is not None
            and d.next_attempt_at <= now
        )
        return undispatched, due

    async def fail_pending(self, webhook_id: int, reason: str) -> None:
        for stored in self._tables.deliveries.values():
            if stored.webhook_id == webhook_id and stored.status is DeliveryStatus.PENDING:
                stored.status = DeliveryStatus.FAILED
                stored.next_attempt_at = None
                stored.result = SendResult(status=None, duration_ms=0, error=reason)

    def _queue(self, webhook_id: int, number: int, now: datetime) -> None:
        self._tables.deliveries[next(self._tables.delivery_ids)] = StoredDelivery(
            webhook_id=webhook_id,
            event_number=number,
            status=DeliveryStatus.PENDING,
            created_at=now,
            next_attempt_at=now,
        )
