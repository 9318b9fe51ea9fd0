"""Input built to break the service gets the contract's 4xx, never a 500 or a 503 (issue 10,
findings 9 and 10; SPEC 12)."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in

NOT_UTF8 = b'{"title": "caf\xe9"}'


async def test_a_page_far_beyond_any_data_is_refused_not_overflowed(
    client: httpx.AsyncClient,
) -> None:
    headers = await signed_in(client)
    deep = await client.get("/api/v1/tasks", headers=headers, params={"page": "107374184"})
    assert_error(deep, 400, "INVALID_PAGINATION", "page")
    edge = await client.get(
        "/api/v1/tasks", headers=headers, params={"page": "100000", "limit": "100"}
    )
    assert edge.status_code == 200, edge.text
    beyond = await client.get(
        "/api/v1/tasks", headers=headers, params={"page": "100001", "limit": "100"}
    )
    assert_error(beyond, 400, "INVALID_PAGINATION", "page")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/tasks", "application/json"),
        ("/api/v1/tags", "application/json"),
        ("/api/v1/auth/register", "application/json"),
        ("/api/v1/auth/login", "application/json"),
        ("/api/v1/auth/login", "application/x-www-form-urlencoded"),
    ],
)
async def test_a_body_that_is_not_utf8_is_a_validation_error(
    client: httpx.AsyncClient, path: str, content_type: str
) -> None:
    headers = await signed_in(client)
    body = NOT_UTF8 if content_type.endswith("json") else b"username=caf\xe9&password=x"
    response = await client.post(
        path, headers={**headers, "Content-Type": content_type}, content=body
    )
    assert_error(response, 422, "VALIDATION_ERROR")


async def test_a_colour_with_a_trailing_newline_is_refused(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    response = await client.post(
        "/api/v1/tags", headers=headers, json={"name": "n", "color": "#abcdef\n"}
    )
    assert_error(response, 400, "INVALID_COLOR", "color")


@pytest.mark.parametrize("count", [101, 70_000])
async def test_too_many_tag_ids_are_refused_before_any_lookup(
    client: httpx.AsyncClient, count: int
) -> None:
    headers = await signed_in(client)
    response = await client.post(
        "/api/v1/tasks", headers=headers, json={"title": "t", "tag_ids": list(range(1, count + 1))}
    )
    assert_error(response, 400, "TOO_MANY_TAGS", "tag_ids")
    created = await client.post("/api/v1/tasks", headers=headers, json={"title": "t"})
    patched = await client.patch(
        f"/api/v1/tasks/{created.json()['id']}",
        headers=headers,
        json={"tag_ids": list(range(1, count + 1))},
    )
    assert_error(patched, 400, "TOO_MANY_TAGS", "tag_ids")
