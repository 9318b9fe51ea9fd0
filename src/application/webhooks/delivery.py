"""Delivering events to webhooks: fan out, claim, send, settle (SPEC 15, ADR 0018).

At least once per subscriber: a delivery is claimed for ATTEMPT_LEASE before it is sent, so a
worker that dies mid-attempt leaves it to another once the lease ends; every attempt carries the
event's id as webhook-id. Failures back off exponentially with jitter; a webhook whose deliveries
have failed for FAILURE_WINDOW is switched off and its pending deliveries given up, which its
delivery log shows.
"""

from __future__ import annotations

import asyncio
import copy
import random
from collections import Counter
from datetime import datetime, timedelta

from todo_api.application.ports import Clock, UnitOfWork, WebhookSender
from todo_api.application.webhooks.model import DeliveryJob, SendResult, Webhook
from todo_api.application.webhooks.signing import payload, signed_headers

__all__ = [
    "ATTEMPT_LEASE",
    "FAILURE_WINDOW",
    "SEND_CONCURRENCY",
    "DeliverWebhooks",
    "DeliveryRound",
    "retry_delay",
]

ATTEMPT_LEASE = timedelta(seconds=60)
# Requests of one round in flight at once, across every receiver.
SEND_CONCURRENCY = 16
FAILURE_WINDOW = timedelta(hours=24)
DISABLED = "Disabled after 24 hours of failed deliveries: fix the endpoint and enable it again."


def retry_delay(attempts: int, rng: random.Random | None = None) -> timedelta:
    """5 s doubling per attempt up to an hour, each spread by ±25 % so that many failing
    deliveries do not retry in step."""
    base = min(5 * 2 ** max(attempts - 1, 0), 3600)
    return timedelta(seconds=base * (rng or random).uniform(0.75, 1.25))


class DeliveryRound(Counter[str]):
    """How a round's attempts ended (`fanned_out`, `delivered`, `retrying`, `failed`), and
    how long each delivered event took from its commit to its receiver's answer (seconds)."""

    def __init__(self) -> None:
        super().__init__()
        self.latencies: list[float] = []


class DeliverWebhooks:
    """One round: fan out, claim, send every claimed delivery at once (at most
    SEND_CONCURRENCY in flight), then settle them all in one transaction.

    Sending one at a time, each settled in its own transaction, held a worker to one receiver's
    round trip plus one durable commit per event (about 90 events/s on the benchmark machine).
    A worker that dies between sending and settling leaves the round's deliveries to be sent
    again once their lease ends: at least once, as before.
    """

    def __init__(self, uow: UnitOfWork, sender: WebhookSender, clock: Clock) -> None:
        self._uow = uow
        self._sender = sender
        self._clock = clock

    async def execute(self, limit: int = 50) -> DeliveryRound:
        """Fan out new events, then attempt up to `limit` due deliveries; count the outcomes
        (`fanned_out`, `delivered`, `retrying`, `failed`)."""
        outcome = DeliveryRound()
        async with self._uow as uow:
            outcome["fanned_out"] = await uow.webhook_queue.fan_out(self._clock.now(), limit)
            await uow.commit()
        async with self._uow as uow:
            jobs = await uow.webhook_queue.claim(self._clock.now(), limit)
            await uow.commit()
        if not jobs:
            return outcome
        in_flight = asyncio.Semaphore(SEND_CONCURRENCY)

        async def attempt(job: DeliveryJob) -> SendResult:
            async with in_flight:
                return await self._send(job)

        results = await asyncio.gather(*(attempt(job) for job in jobs))
        now = self._clock.now()
        async with self._uow as uow:
            settling = _Settling(uow, now)
            for job, result in zip(jobs, results, strict=True):
                ended = await settling.settle(job, result)
                outcome[ended] += 1
                if ended == "delivered":
                    outcome.latencies.append((now - job.event.occurred_at).total_seconds())
            await settling.save_webhooks()
            await uow.commit()
        return outcome

    async def _send(self, job: DeliveryJob) -> SendResult:
        body = payload(job.event)
        headers = signed_headers(job.webhook.secret, job.event.id, body, self._clock.now())
        return await self._sender.send(job.webhook.url, headers, body)


class _Settling:
    """One round's outcomes written in one transaction; each webhook read once and written
    once, if its state changed."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now
        self._webhooks: dict[int, Webhook | None] = {}
        self._before: dict[int, Webhook] = {}

    async def settle(self, job: DeliveryJob, result: SendResult) -> str:
        uow, now = self._uow, self._now
        webhook = await self._webhook(job)
        if webhook is None:  # deleted meanwhile: its deliveries went with it
            return "failed"
        if result.delivered:
            await uow.webhook_queue.settle(job.id, result, now, retry_at=None)
            webhook.failing_since = None
            return "delivered"
        webhook.failing_since = webhook.failing_since or now
        if now - webhook.failing_since >= FAILURE_WINDOW:
            await uow.webhook_queue.settle(job.id, result, now, retry_at=None)
            if webhook.enabled:
                await uow.webhook_queue.fail_pending(webhook.id, DISABLED)
                webhook.enabled = False
                webhook.disabled_at = now
                webhook.disabled_reason = DISABLED
            return "failed"
        retry_at = now + retry_delay(job.attempts)
        await uow.webhook_queue.settle(job.id, result, now, retry_at=retry_at)
        return "retrying"

    async def save_webhooks(self) -> None:
        for webhook_id, webhook in self._webhooks.items():
            if webhook is not None and webhook != self._before[webhook_id]:
                await self._uow.webhooks.update(webhook)

    async def _webhook(self, job: DeliveryJob) -> Webhook | None:
        webhook_id = job.webhook.id
        if webhook_id not in self._webhooks:
            found = await self._uow.webhooks.get(job.webhook.user_id, webhook_id)
            self._webhooks[webhook_id] = found
            if found is not None:
                self._before[webhook_id] = copy.copy(found)
        return self._webhooks[webhook_id]
