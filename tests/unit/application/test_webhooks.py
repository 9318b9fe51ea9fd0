"""Webhook delivery rules on the in-memory adapters (SPEC 15): who gets what, signed as
Standard Webhooks says, retried with backoff, switched off after 24 hours of failures."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook as Verifier

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.adapters.webhooks.memory import InMemoryWebhookSender
from todo_api.application.errors import InvalidEventType, InvalidWebhookUrl, WebhookNotFound
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.application.webhooks.manage import WebhookInput, WebhookPatch
from todo_api.application.webhooks.model import SendResult, webhook_url
from todo_api.domain.ids import UserId
from todo_api.domain.task import Title

URL = "https://hooks.example.com/todo"
OTHER = "https://other.example.com/todo"


@pytest.fixture
def clock() -> FixedClock:
    # Now: receivers refuse a webhook-timestamp more than five minutes off their clock.
    return FixedClock(datetime.now(UTC))


@pytest.fixture
def todo(clock: FixedClock) -> TodoService:
    return TodoService.in_memory(clock)


def _sender(todo: TodoService) -> InMemoryWebhookSender:
    sender = todo.container.webhook_sender()
    assert isinstance(sender, InMemoryWebhookSender)
    return sender


async def _user(todo: TodoService, email: str = "ann@example.com") -> UserId:
    return (await todo.register(email, "correct horse battery")).id


async def test_subscribers_get_their_event_types_signed(todo: TodoService) -> None:
    ann = await _user(todo)
    bob = await _user(todo, "bob@example.com")
    hook = await todo.create_webhook(ann, WebhookInput(url=URL, events=["task.completed"]))
    await todo.create_webhook(bob, WebhookInput(url=OTHER, events=["task.created"]))
    task = await todo.create_task(ann, TaskInput(title=Title("plan")))
    await todo.update_task(ann, task.id, TaskPatch(completed=True))
    outcome = await todo.deliver_webhooks()
    assert (outcome["fanned_out"], outcome["delivered"]) == (2, 1)
    (sent,) = _sender(todo).sent
    assert sent.url == URL
    body = Verifier(hook.secret).verify(sent.body, sent.headers)
    assert body["type"] == "task.completed" and body["data"]["id"] == task.id
    assert sent.headers["webhook-id"].startswith("msg_")
    (delivery,) = await todo.webhook_deliveries(ann, hook.id)
    assert (delivery.status.value, delivery.attempts, delivery.response_status) == (
        "delivered",
        1,
        204,
    )


async def test_a_failing_endpoint_is_retried_with_the_same_id_then_switched_off(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _user(todo)
    hook = await todo.create_webhook(ann, WebhookInput(url=URL, events=["task.created"]))
    _sender(todo).answers[URL] = 500
    await todo.create_task(ann, TaskInput(title=Title("plan")))
    assert (await todo.deliver_webhooks())["retrying"] == 1
    assert (await todo.deliver_webhooks())["retrying"] == 0  # backing off
    clock.advance(timedelta(seconds=7))  # past 5 s + 25 % jitter
    assert (await todo.deliver_webhooks())["retrying"] == 1
    first, second = _sender(todo).sent
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.headers["webhook-timestamp"] != second.headers["webhook-timestamp"]
    for _ in range(40):  # an hour apart at most, until 24 hours of failure
        clock.advance(timedelta(hours=1, minutes=16))
        await todo.deliver_webhooks()
    (stored,) = await todo.list_webhooks(ann)
    assert not stored.enabled and "24 hours" in (stored.disabled_reason or "")
    (delivery,) = await todo.webhook_deliveries(ann, hook.id)
    assert delivery.status.value == "failed" and delivery.response_status == 500
    sent_before = len(_sender(todo).sent)
    await todo.create_task(ann, TaskInput(title=Title("more")))
    clock.advance(timedelta(hours=2))
    await todo.deliver_webhooks()
    assert len(_sender(todo).sent) == sent_before  # switched off: nothing more is sent
    _sender(todo).answers[URL] = 204
    enabled = await todo.update_webhook(ann, hook.id, WebhookPatch(enabled=True))
    assert enabled.enabled and enabled.failing_since is None and enabled.disabled_at is None


async def test_a_test_event_goes_to_that_webhook_only(todo: TodoService) -> None:
    ann = await _user(todo)
    hook = await todo.create_webhook(ann, WebhookInput(url=URL, events=["task.created"]))
    await todo.create_webhook(ann, WebhookInput(url=OTHER, events=["task.created"]))
    event = await todo.test_webhook(ann, hook.id)
    await todo.deliver_webhooks()
    (sent,) = _sender(todo).sent
    assert sent.url == URL and sent.headers["webhook-id"] == event.id
    assert json.loads(sent.body)["type"] == "webhook.test"


async def test_webhooks_are_checked_and_private_to_their_user(todo: TodoService) -> None:
    ann = await _user(todo)
    bob = await _user(todo, "bob@example.com")
    with pytest.raises(InvalidEventType):
        await todo.create_webhook(ann, WebhookInput(url=URL, events=["task.exploded"]))
    with pytest.raises(InvalidEventType):
        await todo.create_webhook(ann, WebhookInput(url=URL, events=[]))
    for bad in ("ftp://x.example/", "https://user:pw@x.example/", "/relative", "https://"):
        with pytest.raises(InvalidWebhookUrl):
            await todo.create_webhook(ann, WebhookInput(url=bad, events=["task.created"]))
    hook = await todo.create_webhook(ann, WebhookInput(url=URL, events=["tag.created"]))
    with pytest.raises(WebhookNotFound):
        await todo.webhook_deliveries(bob, hook.id)
    with pytest.raises(WebhookNotFound):
        await todo.delete_webhook(bob, hook.id)
    await todo.delete_webhook(ann, hook.id)
    assert await todo.list_webhooks(ann) == []


def test_production_takes_https_urls_only() -> None:
    with pytest.raises(InvalidWebhookUrl, match=r"https://host/path\.$"):
        webhook_url("http://hooks.example.com/", https_only=True)
    assert webhook_url(URL, https_only=True) == URL


class _Gathering(InMemoryWebhookSender):
    """Answers no request until `together` are in flight at once (a receiver that is slow to
    answer: sent one at a time, the round would never end)."""

    def __init__(self, together: int) -> None:
        super().__init__()
        self._together = together
        self.in_flight = 0
        self.most_in_flight = 0
        self._all_there = asyncio.Event()

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        if self.in_flight >= self._together:
            self._all_there.set()
        await self._all_there.wait()
        self.in_flight -= 1
        return await super().send(url, headers, body)


async def test_a_rounds_deliveries_are_sent_together_and_settled_at_once(
    todo: TodoService,
) -> None:
    ann = await _user(todo)
    hook = await todo.create_webhook(ann, WebhookInput(url=URL, events=["task.created"]))
    sender = _Gathering(together=5)
    todo.container.webhook_sender.override(sender)
    for n in range(5):
        await todo.create_task(ann, TaskInput(title=Title(f"task {n}")))
    outcome = await asyncio.wait_for(todo.deliver_webhooks(), 5)
    assert (outcome["fanned_out"], outcome["delivered"]) == (5, 5)
    assert sender.most_in_flight == 5
    deliveries = await todo.webhook_deliveries(ann, hook.id)
    assert {(d.status.value, d.attempts) for d in deliveries} == {("delivered", 1)}
