"""Idempotency-Key on the three creates (issue 12, SPEC 13)."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in


async def _count(client: httpx.AsyncClient, headers: dict[str, str], path: str) -> int:
    body = (await client.get(path, headers=headers)).json()
    return body["total"] if isinstance(body, dict) else len(body)


@pytest.mark.parametrize(
    ("path", "body"),
    [("/api/v1/tasks", {"title": "pay rent"}), ("/api/v1/tags", {"name": "bills"})],
)
async def test_a_retry_replays_the_first_answer_and_creates_nothing(
    client: httpx.AsyncClient, path: str, body: dict[str, str]
) -> None:
    ann = await signed_in(client)
    headers = {**ann, "Idempotency-Key": "3f1c-retry-1"}
    first = await client.post(path, headers=headers, json=body)
    # The same JSON spaced differently is the same request.
    retry = await client.post(
        path,
        headers={**headers, "Content-Type": "application/json"},
        content=httpx.Request("POST", "/", json=body).content.replace(b":", b": "),
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    # The first answer again, its ETag included: a client keeps using it for If-Match.
    assert retry.headers["etag"] == first.headers["etag"] == '"1"'
    assert await _count(client, ann, path) == 1
    reused = await client.post(path, headers=headers, json={**body, **{next(iter(body)): "x"}})
    assert_error(reused, 422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key")
    # Keys are the caller's own: another user may use the same one.
    bob = await signed_in(client, "bob@example.com")
    other = await client.post(path, headers={**bob, "Idempotency-Key": "3f1c-retry-1"}, json=body)
    assert other.status_code == 201 and "idempotent-replayed" not in other.headers


async def test_linking_a_tag_replays_its_first_status(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    task = (await client.post("/api/v1/tasks", headers=ann, json={"title": "t"})).json()
    tag = (await client.post("/api/v1/tags", headers=ann, json={"name": "n"})).json()
    url = f"/api/v1/tasks/{task['id']}/tags/{tag['id']}"
    headers = {**ann, "Idempotency-Key": "link-1"}
    first = await client.post(url, headers=headers)
    again = await client.post(url, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.json()["version"] == 2
    assert again.headers["etag"] == first.headers["etag"] == '"2"'
    without_key = await client.post(url, headers=ann)
    assert without_key.status_code == 200


@pytest.mark.parametrize("key", ["", "a" * 256, "has space", "tab\there", "é".encode()])
async def test_a_malformed_key_is_refused(client: httpx.AsyncClient, key: str | bytes) -> None:
    ann = await signed_in(client)
    response = await client.post(
        "/api/v1/tasks", headers={**ann, "Idempotency-Key": key}, json={"title": "t"}
    )
    assert_error(response, 400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key")
    assert await _count(client, ann, "/api/v1/tasks") == 0


async def test_a_failed_first_attempt_leaves_the_key_free(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    headers = {**ann, "Idempotency-Key": "k"}
    refused = await client.post(
        "/api/v1/tasks", headers=headers, json={"title": "t", "tag_ids": [999]}
    )
    assert_error(refused, 404, "TAG_NOT_FOUND")
    created = await client.post("/api/v1/tasks", headers=headers, json={"title": "t"})
    assert created.status_code == 201
