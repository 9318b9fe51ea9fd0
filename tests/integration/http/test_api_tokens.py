"""Personal API tokens over HTTP (SPEC 16): made by a session, accepted as Bearer within their
scopes (403 INSUFFICIENT_SCOPE naming the scope), never for credentials or the account,
refused at once when deleted, limited per token; every authenticated route declares its scope."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar, get

from tests.integration.http.conftest import assert_error, signed_in
from todo_api.entrypoints.container import Container
from todo_api.entrypoints.http.app import create_app
from todo_api.entrypoints.http.dependencies import AUTHENTICATED
from todo_api.entrypoints.http.scopes import undeclared_routes

TOKENS = "/api/v1/auth/tokens"


@pytest.fixture
async def ann(client: httpx.AsyncClient) -> dict[str, str]:
    return await signed_in(client)


async def _token(
    client: httpx.AsyncClient, session: dict[str, str], *scopes: str, name: str = "script"
) -> tuple[dict[str, str], dict]:
    response = await client.post(TOKENS, headers=session, json={"name": name, "scopes": scopes})
    assert response.status_code == 201, response.text
    body = response.json()
    return {"Authorization": f"Bearer {body['token']}"}, body


async def test_a_token_is_made_listed_and_shown_once(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    _, made = await _token(client, ann, "tasks:read", "tags:read")
    assert made["token"].startswith("todo_pat_")
    assert made["prefix"] == made["token"][: len("todo_pat_") + 8]
    assert made["scopes"] == ["tags:read", "tasks:read"]
    assert made["last_used_at"] is None
    listed = (await client.get(TOKENS, headers=ann)).json()
    assert [t["id"] for t in listed] == [made["id"]]
    assert "token" not in listed[0] and made["token"] not in str(listed)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": "x", "scopes": ["tasks:delete"]}, 400, "INVALID_SCOPE"),
        ({"name": "x", "scopes": []}, 400, "INVALID_SCOPE"),
        ({"name": " ", "scopes": ["tasks:read"]}, 400, "INVALID_TOKEN_NAME"),
        (
            {"name": "x", "scopes": ["tasks:read"], "expires_in_days": 0},
            400,
            "INVALID_TOKEN_EXPIRY",
        ),
        ({"name": "x"}, 422, "VALIDATION_ERROR"),
        ({"name": "x", "scopes": "tasks:read"}, 422, "VALIDATION_ERROR"),
    ],
)
async def test_invalid_tokens_are_refused(
    client: httpx.AsyncClient, ann: dict[str, str], body: dict, status: int, code: str
) -> None:
    assert_error(await client.post(TOKENS, headers=ann, json=body), status, code)
    assert (await client.get(TOKENS, headers=ann)).json() == []


async def test_a_token_acts_only_within_its_scopes(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    reader, _ = await _token(client, ann, "tasks:read")
    writer, _ = await _token(client, ann, "tasks:write", "tags:write", name="writer")
    created = await client.post("/api/v1/tasks", headers=writer, json={"title": "by a script"})
    assert created.status_code == 201, created.text
    task_url = f"/api/v1/tasks/{created.json()['id']}"
    assert (await client.get(task_url, headers=reader)).json()["title"] == "by a script"
    assert (await client.get("/api/v1/tasks", headers=reader)).status_code == 200
    assert (
        await client.post("/api/v1/tags", headers=writer, json={"name": "t"})
    ).status_code == 201

    refused = await client.patch(task_url, headers=reader, json={"completed": True})
    assert_error(refused, 403, "INSUFFICIENT_SCOPE")
    assert "tasks:write" in refused.json()["detail"]
    assert_error(await client.get(task_url, headers=writer), 403, "INSUFFICIENT_SCOPE")
    assert_error(await client.get("/api/v1/tags", headers=writer), 403, "INSUFFICIENT_SCOPE")
    assert_error(await client.get("/api/v1/auth/me", headers=reader), 403, "INSUFFICIENT_SCOPE")
    assert_error(await client.get("/api/v1/webhooks", headers=writer), 403, "INSUFFICIENT_SCOPE")
    events = await client.get("/api/v1/events/stream", headers=writer)
    assert_error(events, 403, "INSUFFICIENT_SCOPE")


async def test_a_token_never_manages_credentials_or_the_account(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    every = (
        "tasks:read",
        "tasks:write",
        "tags:read",
        "tags:write",
        "account:read",
        "webhooks:write",
    )
    token, _ = await _token(client, ann, *every)
    assert (await client.get("/api/v1/auth/me", headers=token)).json()["email"] == "ann@example.com"
    for method, url, body in [
        ("POST", TOKENS, {"name": "child", "scopes": ["tasks:read"]}),
        ("GET", TOKENS, None),
        ("GET", "/api/v1/auth/sessions", None),
        ("POST", "/api/v1/auth/logout-all", None),
        ("PATCH", "/api/v1/auth/me", {"name": "Mallory"}),
        ("POST", "/api/v1/auth/me/password", {"current_password": "x", "new_password": "y"}),
        ("POST", "/api/v1/auth/mfa/setup", None),
        ("GET", "/api/v1/auth/me/export", None),
        ("DELETE", "/api/v1/auth/me", {"password": "x"}),
    ]:
        response = await client.request(method, url, headers=token, json=body)
        assert_error(response, 403, "INSUFFICIENT_SCOPE")
        assert "session" in response.json()["detail"], url
    assert (await client.get("/api/v1/auth/me", headers=ann)).json()["name"] is None


async def test_a_deleted_token_is_refused_at_once_and_use_is_recorded(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    token, made = await _token(client, ann, "tasks:read")
    assert (await client.get("/api/v1/tasks", headers=token)).status_code == 200
    (listed,) = (await client.get(TOKENS, headers=ann)).json()
    assert listed["last_used_at"] is not None
    bob = await signed_in(client, "bob@example.com")
    assert_error(await client.delete(f"{TOKENS}/{made['id']}", headers=bob), 404, "TOKEN_NOT_FOUND")
    assert (await client.delete(f"{TOKENS}/{made['id']}", headers=ann)).status_code == 204
    assert_error(await client.get("/api/v1/tasks", headers=token), 401, "INVALID_TOKEN")
    assert_error(await client.delete(f"{TOKENS}/{made['id']}", headers=ann), 404, "TOKEN_NOT_FOUND")


async def test_each_token_has_its_own_rate_limit(
    client: httpx.AsyncClient, container: Container, ann: dict[str, str]
) -> None:
    settings = container.settings()
    settings.rate_limit_enabled = True
    settings.rate_limit_api_token = settings.rate_limit_api_token.__class__(2, 60)
    token, _ = await _token(client, ann, "tasks:read")
    other, _ = await _token(client, ann, "tasks:read", name="other")
    for _ in range(2):
        assert (await client.get("/api/v1/tasks", headers=token)).status_code == 200
    limited = await client.get("/api/v1/tasks", headers=token)
    assert_error(limited, 429, "RATE_LIMIT_EXCEEDED")
    assert int(limited.headers["retry-after"]) >= 1
    assert (await client.get("/api/v1/tasks", headers=other)).status_code == 200
    assert (await client.get("/api/v1/tasks", headers=ann)).status_code == 200


def test_every_authenticated_route_declares_its_scope(container: Container) -> None:
    assert undeclared_routes(create_app(container)) == []

    @get("/forgetful", dependencies=AUTHENTICATED)
    async def forgetful() -> None:
        return None

    assert undeclared_routes(Litestar([forgetful])) == ["GET /forgetful"]
