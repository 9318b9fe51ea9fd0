"""Creating, listing, changing, testing and deleting a user's webhooks."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.errors import TooManyWebhooks, WebhookNotFound
from todo_api.application.events import Event, EventType
from todo_api.application.ports import Clock, UnitOfWork, WebhookSender
from todo_api.application.unset import UNSET, Unset
from todo_api.application.webhooks.model import (
    MAX_DESCRIPTION,
    DeliveryAttempt,
    NewWebhook,
    Webhook,
    event_types,
    new_secret,
    webhook_url,
)
from todo_api.domain.ids import UserId
from todo_api.domain.text import storable

__all__ = [
    "MAX_WEBHOOKS",
    "CreateWebhook",
    "DeleteWebhook",
    "GetWebhook",
    "ListDeliveries",
    "ListWebhooks",
    "TestWebhook",
    "UpdateWebhook",
    "WebhookInput",
    "WebhookPatch",
]

MAX_WEBHOOKS = 20
DELIVERY_LOG = 50


@dataclass(frozen=True, slots=True)
class WebhookPolicy:
    """https only (production), and whether private addresses are allowed (never in
    production: WEBHOOK_ALLOW_PRIVATE is for tests and development)."""

    https_only: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookInput:
    url: str
    events: list[str]
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookPatch:
    url: str | Unset = UNSET
    events: list[str] | Unset = UNSET
    description: str | Unset | None = UNSET
    enabled: bool | Unset = UNSET


def _description(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return storable(raw.strip(), "description")[:MAX_DESCRIPTION]


class CreateWebhook:
    """A new webhook, with its signing secret (shown this once)."""

    def __init__(
        self, uow: UnitOfWork, clock: Clock, sender: WebhookSender, policy: WebhookPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sender = sender
        self._policy = policy

    async def execute(self, user_id: UserId, data: WebhookInput) -> Webhook:
        """Raises InvalidWebhookUrl, InvalidEventType or TooManyWebhooks."""
        url = webhook_url(data.url, https_only=self._policy.https_only)
        events = event_types(data.events)
        await self._sender.check(url)
        async with self._uow as uow:
            if len(await uow.webhooks.owned_by(user_id)) >= MAX_WEBHOOKS:
                raise TooManyWebhooks
            webhook = await uow.webhooks.add(
                NewWebhook(
                    user_id=user_id,
                    url=url,
                    events=events,
                    description=_description(data.description),
                    secret=new_secret(),
                    created_at=self._clock.now(),
                )
            )
            await uow.commit()
        return webhook


class ListWebhooks:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId) -> list[Webhook]:
        async with self._uow as uow:
            return await uow.webhooks.owned_by(user_id)


class GetWebhook:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, webhook_id: int) -> Webhook:
        async with self._uow as uow:
            return await _owned(uow, user_id, webhook_id)


class UpdateWebhook:
    """Change what is sent; enabling a switched-off webhook clears its failures."""

    def __init__(self, uow: UnitOfWork, sender: WebhookSender, policy: WebhookPolicy) -> None:
        self._uow = uow
        self._sender = sender
        self._policy = policy

    async def execute(self, user_id: UserId, webhook_id: int, patch: WebhookPatch) -> Webhook:
        """Raises WebhookNotFound, InvalidWebhookUrl or InvalidEventType."""
        url: str | Unset = UNSET
        if not isinstance(patch.url, Unset):
            url = webhook_url(patch.url, https_only=self._policy.https_only)
            await self._sender.check(url)
        events = UNSET if isinstance(patch.events, Unset) else event_types(patch.events)
        async with self._uow as uow:
            webhook = await _owned(uow, user_id, webhook_id)
            if not isinstance(url, Unset):
                webhook.url = url
            if not isinstance(events, Unset):
                webhook.events = events
            if not isinstance(patch.description, Unset):
                webhook.description = _description(patch.description)
            if not isinstance(patch.enabled, Unset) and patch.enabled != webhook.enabled:
                webhook.enabled = patch.enabled
                webhook.failing_since = None
                webhook.disabled_at = webhook.disabled_reason = None
            await uow.webhooks.update(webhook)
            await uow.commit()
        return webhook


class DeleteWebhook:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, webhook_id: int) -> None:
        async with self._uow as uow:
            if not await uow.webhooks.delete(user_id, webhook_id):
                raise WebhookNotFound
            await uow.commit()


class ListDeliveries:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, webhook_id: int) -> list[DeliveryAttempt]:
        """The latest deliveries (50), newest first; raises WebhookNotFound."""
        async with self._uow as uow:
            webhook = await _owned(uow, user_id, webhook_id)
            return await uow.webhooks.deliveries(webhook.id, DELIVERY_LOG)


class TestWebhook:
    """Queue a `webhook.test` event to this webhook alone (also when switched off: it is how
    an owner checks a fixed endpoint before enabling it)."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, user_id: UserId, webhook_id: int) -> Event:
        now = self._clock.now()
        async with self._uow as uow:
            webhook = await _owned(uow, user_id, webhook_id)
            event = Event.of(EventType.WEBHOOK_TEST, user_id, now, {"webhook_id": webhook.id})
            await uow.events.record(event)
            await uow.webhook_queue.enqueue(webhook.id, event.id, now)
            await uow.commit()
        return event


async def _owned(uow: UnitOfWork, user_id: UserId, webhook_id: int) -> Webhook:
    webhook = await uow.webhooks.get(user_id, webhook_id)
    if webhook is None:
        raise WebhookNotFound
    return webhook
