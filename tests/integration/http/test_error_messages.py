"""Error messages that tell a client what to do (issue 11, finding 8)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in

JSON = {"Content-Type": "application/json"}


async def test_an_empty_body_is_named_as_missing(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/register", content=b"", headers=JSON)
    assert_error(response, 422, "VALIDATION_ERROR")
    assert response.json()["detail"] == "The request body is missing: send a JSON object."


async def test_malformed_json_says_where(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/register", content=b'{"email": }', headers=JSON)
    assert_error(response, 422, "VALIDATION_ERROR")
    detail = response.json()["detail"]
    assert detail.startswith("The body is not valid JSON") and "byte" in detail


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/register", {"email": "c@example.com", "password": "x" * 12, "nme": "C"}),
        ("/api/v1/tasks", {"title": "t", "priorty": "high"}),
        ("/api/v1/tags", {"name": "n", "colour": "#FFFFFF"}),
    ],
)
async def test_an_unknown_field_is_refused_and_named(
    client: httpx.AsyncClient, path: str, body: dict[str, object]
) -> None:
    headers = await signed_in(client)
    response = await client.post(path, headers=headers, json=body)
    (unknown,) = set(body) - {"email", "password", "title", "name"}
    assert_error(response, 422, "VALIDATION_ERROR", unknown)
    assert f"`{unknown}`" in response.json()["detail"]


async def test_a_csrf_refusal_says_how_to_allow_the_origin(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login",
        data={"username": "a@example.com", "password": "x"},
        headers={"Origin": "https://unlisted.example"},
    )
    assert_error(response, 403, "CSRF_REJECTED")
    assert "CORS_ORIGINS" in response.json()["detail"]


async def test_browser_code_may_read_retry_after_and_the_request_id(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/health", headers={"Origin": "https://app.example.com"})
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"retry-after", "x-request-id"} <= exposed


@pytest.mark.parametrize("as_sent", [str, float, lambda _: True])
async def test_a_tag_id_that_is_not_a_json_integer_is_a_type_error(
    client: httpx.AsyncClient, as_sent: Callable[[int], object]
) -> None:
    headers = await signed_in(client)
    tag = (await client.post("/api/v1/tags", headers=headers, json={"name": "home"})).json()
    response = await client.post(
        "/api/v1/tasks", headers=headers, json={"title": "t", "tag_ids": [as_sent(tag["id"])]}
    )
    assert_error(response, 422, "VALIDATION_ERROR", "tag_ids")
    assert "integer" in response.json()["detail"]
    listed = await client.get("/api/v1/tasks", headers=headers)
    assert listed.json()["total"] == 0
