"""Request and response bodies of the webhook endpoints."""

from __future__ import annotations

from datetime import datetime

import msgspec
from msgspec import UNSET, UnsetType

from todo_api.application.webhooks.manage import WebhookInput, WebhookPatch
from todo_api.application.webhooks.model import DeliveryAttempt, Webhook
from todo_api.entrypoints.http.schemas.tasks import sent


class WebhookWrite(msgspec.Struct, forbid_unknown_fields=True):
    url: str
    events: list[str]
    description: str | None = None

    def to_input(self) -> WebhookInput:
        return WebhookInput(url=self.url, events=self.events, description=self.description)


class WebhookPatchBody(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; `enabled: true` switches a disabled webhook back on."""

    url: str | UnsetType = UNSET
    events: list[str] | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    enabled: bool | UnsetType = UNSET

    def to_patch(self) -> WebhookPatch:
        return WebhookPatch(
            url=sent(self.url),
            events=sent(self.events),
            description=sent(self.description),
            enabled=sent(self.enabled),
        )


class WebhookRead(msgspec.Struct):
    id: int
    url: str
    events: list[str]
    description: str | None
    enabled: bool
    created_at: datetime
    # Since when deliveries fail (null while they succeed); why and when it was switched off.
    failing_since: datetime | None
    disabled_at: datetime | None
    disabled_reason: str | None

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookRead:
        return cls(
            id=webhook.id,
            url=webhook.url,
            events=sorted(webhook.events),
            description=webhook.description,
            enabled=webhook.enabled,
            created_at=webhook.created_at,
            failing_since=webhook.failing_since,
            disabled_at=webhook.disabled_at,
            disabled_reason=webhook.disabled_reason,
        )


class WebhookCreated(WebhookRead):
    """The new webhook and its signing secret, shown this once."""

    secret: str

    @classmethod
    def created(cls, webhook: Webhook) -> WebhookCreated:
        read = WebhookRead.of(webhook)
        return cls(**msgspec.structs.asdict(read), secret=webhook.secret)


class DeliveryRead(msgspec.Struct):
    id: int
    event_id: str
    event_type: str
    status: str
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    response_status: int | None
    duration_ms: int | None
    error: str | None
    # The start of the response body (at most 1 KiB).
    response: str | None

    @classmethod
    def of(cls, attempt: DeliveryAttempt) -> DeliveryRead:
        return cls(
            id=attempt.id,
            event_id=attempt.event_id,
            event_type=attempt.event_type.value,
            status=attempt.status.value,
            attempts=attempt.attempts,
            created_at=attempt.created_at,
            last_attempt_at=attempt.last_attempt_at,
            next_attempt_at=attempt.next_attempt_at,
            response_status=attempt.response_status,
            duration_ms=attempt.duration_ms,
            error=attempt.error,
            response=attempt.response,
        )


class TestQueued(msgspec.Struct):
    """The test event, queued to this webhook: its delivery shows in the delivery log."""

    event_id: str
