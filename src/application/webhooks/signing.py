"""Standard Webhooks (standardwebhooks.com): the body and the three headers of a delivery."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime

from todo_api.application.events import Event

__all__ = ["payload", "signed_headers"]


def payload(event: Event) -> bytes:
    """`{"type", "timestamp", "data"}`: the event type, when it happened, the resource."""
    return json.dumps(event.body(), separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(secret: str, event_id: str, body: bytes, now: datetime) -> dict[str, str]:
    """webhook-id (the same on every attempt: receivers drop duplicates by it),
    webhook-timestamp (this attempt, in seconds) and webhook-signature (v1: HMAC-SHA256 of
    `id.timestamp.body` with the secret's bytes, base64)."""
    timestamp = str(int(now.timestamp()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{event_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": event_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": f"v1,{signature}",
        "content-type": "application/json",
    }
