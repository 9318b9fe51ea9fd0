"""Webhook deliveries kept in a list: for tests of code that uses todo-api."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.ports import WebhookSender
from todo_api.application.webhooks.model import SendResult

__all__ = ["InMemoryWebhookSender", "SentRequest"]


@dataclass(frozen=True, slots=True)
class SentRequest:
    url: str
    headers: dict[str, str]
    body: bytes


class InMemoryWebhookSender(WebhookSender):
    def __init__(self) -> None:
        self.sent: list[SentRequest] = []
        # The status each endpoint answers (default 204); None answers nothing (a timeout).
        self.answers: dict[str, int | None] = {}

    async def check(self, url: str) -> None:
        return None

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        self.sent.append(SentRequest(url, headers, body))
        status = self.answers.get(url, 204)
        if status is None:
            return SendResult(status=None, duration_ms=0, error="Timeout: no answer in time")
        failed = None if 200 <= status < 300 else f"HTTP {status}"
        return SendResult(status=status, duration_ms=1, error=failed)
