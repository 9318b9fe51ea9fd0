"""Webhooks over HTTP to a real endpoint (SPEC 15), on SQLite and Postgres: the app's background
worker fans events out and posts them, signed as Standard Webhooks says."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from standardwebhooks import Webhook as Verifier

from tests.integration.http.conftest import BASE_URL, login, register
from tests.support.receiver import Receiver, receiver
from todo_api.adapters.clock import ManualTicker
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.http.app import create_app
from todo_api.entrypoints.settings import load_settings


@pytest.fixture
def endpoint() -> AsyncIterator[Receiver]:
    with receiver() as served:
        yield served


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings: dict[str, Any] = {
        "app_env": "test",
        "database_url": database_url,
        "bcrypt_rounds": 4,
        "log_level": "WARNING",
        "worker_poll_seconds": 0.05,
        "webhook_allow_private": True,
    }
    container = build_container(load_settings(None, **settings))
    container.rate_limiter.override(InMemoryRateLimiter(monotonic=ManualTicker()))
    async with AsyncTestClient(app=create_app(container), base_url=BASE_URL) as test_client:
        yield test_client


async def _bearer(client: httpx.AsyncClient) -> dict[str, str]:
    await register(client)
    return {"Authorization": f"Bearer {(await login(client)).json()['access_token']}"}


async def test_a_task_change_reaches_the_endpoint_signed(
    client: httpx.AsyncClient, endpoint: Receiver
) -> None:
    headers = await _bearer(client)
    created = await client.post(
        "/api/v1/webhooks",
        headers=headers,
        json={"url": endpoint.url, "events": ["task.created", "task.completed"]},
    )
    assert created.status_code == 201
    hook = created.json()
    assert hook["secret"].startswith("whsec_") and hook["enabled"] is True
    listed = await client.get("/api/v1/webhooks", headers=headers)
    assert "secret" not in listed.json()[0]
    task = (await client.post("/api/v1/tasks", headers=headers, json={"title": "plan"})).json()
    await client.patch(f"/api/v1/tasks/{task['id']}", headers=headers, json={"completed": True})
    verifier = Verifier(hook["secret"])
    # Deliveries are not ordered (sent concurrently): each is found by its type.
    received = {
        event["type"]: event
        for event in (verifier.verify(r.body, r.headers) for r in await endpoint.wait_for(2))
    }
    assert set(received) == {"task.created", "task.completed"}
    created_event, completed_event = received["task.created"], received["task.completed"]
    assert created_event["data"] == task
    current = (await client.get(f"/api/v1/tasks/{task['id']}", headers=headers)).json()
    assert completed_event["data"] == current
    log = (await client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=headers)).json()
    assert [(d["event_type"], d["status"], d["response_status"]) for d in log] == [
        ("task.completed", "delivered", 204),
        ("task.created", "delivered", 204),
    ]


async def test_the_test_event_and_a_failing_endpoint_show_in_the_log(
    client: httpx.AsyncClient, endpoint: Receiver
) -> None:
    headers = await _bearer(client)
    endpoint.statuses = [503]
    endpoint.answer = b"busy " * 400
    hook = (
        await client.post(
            "/api/v1/webhooks",
            headers=headers,
            json={"url": endpoint.url, "events": ["tag.created"], "description": "ci"},
        )
    ).json()
    queued = await client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=headers)
    assert queued.status_code == 202
    (request,) = await endpoint.wait_for(1)
    assert json.loads(request.body)["type"] == "webhook.test"
    assert request.headers["webhook-id"] == queued.json()["event_id"]
    for _ in range(100):
        log = (
            await client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=headers)
        ).json()
        if log and log[0]["last_attempt_at"]:
            break
        await asyncio.sleep(0.05)
    (delivery,) = log
    assert (delivery["status"], delivery["response_status"], delivery["attempts"]) == (
        "pending",
        503,
        1,
    )
    assert delivery["error"] == "HTTP 503" and len(delivery["response"]) == 1024
    assert delivery["next_attempt_at"] is not None
    shown = (await client.get(f"/api/v1/webhooks/{hook['id']}", headers=headers)).json()
    assert shown["failing_since"] is not None


async def test_webhook_input_is_checked(client: httpx.AsyncClient) -> None:
    headers = await _bearer(client)
    bad_type = await client.post(
        "/api/v1/webhooks", headers=headers, json={"url": "https://x.example/", "events": ["x"]}
    )
    assert (bad_type.status_code, bad_type.json()["code"]) == (400, "INVALID_EVENT_TYPE")
    bad_url = await client.post(
        "/api/v1/webhooks",
        headers=headers,
        json={"url": "ftp://x.example/", "events": ["tag.created"]},
    )
    assert (bad_url.status_code, bad_url.json()["code"]) == (400, "INVALID_WEBHOOK_URL")
    missing = await client.get("/api/v1/webhooks/999", headers=headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "WEBHOOK_NOT_FOUND")
