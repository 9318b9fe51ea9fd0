"""A webhook and the record of its deliveries."""

from __future__ import annotations

import base64
import enum
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from todo_api.application.errors import InvalidEventType, InvalidWebhookUrl
from todo_api.application.events import Event, EventType
from todo_api.domain.ids import UserId

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_URL_LENGTH",
    "RESPONSE_EXCERPT",
    "DeliveryAttempt",
    "DeliveryJob",
    "DeliveryStatus",
    "NewWebhook",
    "SendResult",
    "Webhook",
    "event_types",
    "new_secret",
    "webhook_url",
]

MAX_URL_LENGTH = 2048
MAX_DESCRIPTION = 200
RESPONSE_EXCERPT = 1024
# The events a webhook may subscribe to: every event but the test ping, which goes to the one
# webhook tested.
SUBSCRIBABLE = frozenset(EventType) - {EventType.WEBHOOK_TEST}


def webhook_url(raw: str, *, https_only: bool) -> str:
    """An absolute http(s) URL with a host and no credentials; https only when asked. Where it
    resolves is checked at each delivery (the address may change)."""
    if len(raw) > MAX_URL_LENGTH:
        raise InvalidWebhookUrl(f"A webhook URL has at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise InvalidWebhookUrl from None
    allowed = ("https",) if https_only else ("https", "http")
    if parts.scheme not in allowed or not parts.hostname:
        raise InvalidWebhookUrl(
            "A webhook URL is https://host/path" + ("" if https_only else " (or http://)") + "."
        )
    if parts.username or parts.password:
        raise InvalidWebhookUrl("A webhook URL carries no user name or password.")
    if port == 0:
        raise InvalidWebhookUrl
    return raw


def event_types(raw: list[str]) -> frozenset[EventType]:
    """At least one event type, each one of SPEC 15's."""
    try:
        chosen = frozenset(EventType(name) for name in raw)
    except ValueError:
        names = ", ".join(sorted(t.value for t in SUBSCRIBABLE))
        raise InvalidEventType(f"Event types are among: {names}.") from None
    if not chosen or not chosen <= SUBSCRIBABLE:
        raise InvalidEventType("Name at least one event type to receive.")
    return chosen


def new_secret() -> str:
    """`whsec_` and base64 of 24 random bytes (Standard Webhooks)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@dataclass(frozen=True, slots=True, kw_only=True)
class NewWebhook:
    user_id: UserId
    url: str
    events: frozenset[EventType]
    description: str | None
    secret: str = field(repr=False)
    created_at: datetime


@dataclass(slots=True, kw_only=True)
class Webhook:
    id: int
    user_id: UserId
    url: str
    events: frozenset[EventType]
    description: str | None
    secret: str = field(repr=False)
    enabled: bool
    created_at: datetime
    # When deliveries started failing (None while they succeed), and when it was switched off.
    failing_since: datetime | None = None
    disabled_at: datetime | None = None
    disabled_reason: str | None = None


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryAttempt:
    """A delivery as its log shows it: the event, the latest attempt and where it stands."""

    id: int
    event_id: str
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    response_status: int | None
    duration_ms: int | None
    error: str | None
    response: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryJob:
    """A delivery claimed for one attempt: the event, and the webhook as it is now."""

    id: int
    webhook: Webhook
    event: Event
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SendResult:
    """One attempt: the response status (None when there was none), how long it took, and why
    it failed; a 2xx status is a delivery."""

    status: int | None
    duration_ms: int
    error: str | None = None
    # The start of the response body, for the delivery log (at most RESPONSE_EXCERPT bytes).
    response: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300
