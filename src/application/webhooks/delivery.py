"""Delivering events to webhooks: fan out, claim, send, settle (SPEC 15, ADR 0018).

At least once per subscriber: a delivery is claimed for ATTEMPT_LEASE before it is sent, so a
worker that dies mid-attempt leaves it to another once the lease ends; every attempt carries the
event's id as webhook-id. Failures back off exponentially with jitter; a webhook whose deliveries
have failed for FAILURE_WINDOW is switched off and its pending deliveries given up, which its
delivery log shows.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from todo_api.application.ports import Clock, UnitOfWork, WebhookSender
from todo_api.application.webhooks.model import DeliveryJob
from todo_api.application.webhooks.signing import payload, signed_headers

__all__ = ["ATTEMPT_LEASE", "FAILURE_WINDOW", "DeliverWebhooks", "DeliveryRound", "retry_delay"]

ATTEMPT_LEASE = timedelta(seconds=60)
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
        for job in jobs:
            ended = await self._attempt(job)
            outcome[ended] += 1
            if ended == "delivered":
                outcome.latencies.append(
                    (self._clock.now() - job.event.occurred_at).total_seconds()
                )
        return outcome

    async def _attempt(self, job: DeliveryJob) -> str:
        body = payload(job.event)
        headers = signed_headers(job.webhook.secret, job.event.id, body, self._clock.now())
        result = await self._sender.send(job.webhook.url, headers, body)
        now = self._clock.now()
        async with self._uow as uow:
            webhook = await uow.webhooks.get(job.webhook.user_id, job.webhook.id)
            if webhook is None:  # deleted meanwhile: its deliveries went with it
                return "failed"
            if result.delivered:
                await uow.webhook_queue.settle(job.id, result, now, retry_at=None)
                webhook.failing_since = None
                await uow.webhooks.update(webhook)
                await uow.commit()
                return "delivered"
            webhook.failing_since = webhook.failing_since or now
            if now - webhook.failing_since >= FAILURE_WINDOW:
                await uow.webhook_queue.settle(job.id, result, now, retry_at=None)
                await uow.webhook_queue.fail_pending(webhook.id, DISABLED)
                webhook.enabled = False
                webhook.disabled_at = now
                webhook.disabled_reason = DISABLED
                await uow.webhooks.update(webhook)
                await uow.commit()
                return "failed"
            retry_at = now + retry_delay(job.attempts)
            await uow.webhook_queue.settle(job.id, result, now, retry_at=retry_at)
            await uow.webhooks.update(webhook)
            await uow.commit()
        return "retrying"
