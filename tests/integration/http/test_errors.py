"""Every error the framework can raise has the contract's shape."""

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in


async def test_an_unknown_route_is_a_json_404(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/nope"), 404, "NOT_FOUND")
    assert_error(await client.post("/api/v1/nope"), 404, "NOT_FOUND")


async def test_a_wrong_method_is_a_json_405(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/v1/auth/login")
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers.get("allow", "")


async def test_malformed_json_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert_error(response, 422, "VALIDATION_ERROR")


async def test_a_body_over_the_cap_is_a_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": "' + b"a" * (1024 * 1024 + 10) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"null",
        b'"text"',
        b"1e999999",
        b'{"email": "a@example.com", "password": 12345678}',
        b"[" * 5000 + b"]" * 5000,
    ],
)
async def test_odd_json_is_a_4xx_never_a_500(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post(
        "/api/v1/auth/register", content=body, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == {"detail", "code", "field"}


async def test_every_response_carries_nosniff_and_a_request_id(client: httpx.AsyncClient) -> None:
    for response in (await client.get("/health"), await client.get("/nope")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-request-id"]


async def test_a_given_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    for hostile in ("x" * 300, "spaces and\ttabs", "<script>"):
        response = await client.get("/health", headers={"X-Request-ID": hostile})
        assert response.headers["x-request-id"] != hostile


async def test_no_error_leaks_a_trace_or_sql(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    for response in (
        await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer x.y.z"}),
        await client.delete("/api/v1/auth/sessions/zzz", headers=headers),
        await client.post(
            "/api/v1/auth/register", content=b"{", headers={"content-type": "application/json"}
        ),
    ):
        text = response.text.lower()
        assert "traceback" not in text and "select" not in text and "sqlalchemy" not in text


async def test_a_non_json_body_to_a_json_endpoint_is_415(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    for content_type, body in (
        ("text/plain", b"hello"),
        ("application/x-www-form-urlencoded", b"title=t"),
    ):
        response = await client.post(
            "/api/v1/tasks", content=body, headers={**headers, "content-type": content_type}
        )
        assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    charset = await client.post(
        "/api/v1/tasks",
        content=b'{"title": "t"}',
        headers={**headers, "content-type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 201
