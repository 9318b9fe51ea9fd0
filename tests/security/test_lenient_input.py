"""Input the service used to accept too leniently, or refuse with the wrong message (issue 10,
finding 14; SPEC 12)."""

from __future__ import annotations

import unicodedata

import httpx
import pytest

from tests.integration.http.conftest import assert_error, login, register, signed_in


async def test_a_refused_cors_preflight_answers_in_the_error_shape(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options(
        "/api/v1/tasks",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert_error(response, 403, "CORS_REJECTED")
    allowed = await client.options(
        "/api/v1/tasks",
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"


@pytest.mark.parametrize("value", ["true", 1, "1"])
async def test_booleans_must_be_json_booleans(client: httpx.AsyncClient, value: object) -> None:
    headers = await signed_in(client)
    created = await client.post(
        "/api/v1/tasks", headers=headers, json={"title": "t", "completed": value}
    )
    assert_error(created, 422, "VALIDATION_ERROR", "completed")
    task = await client.post("/api/v1/tasks", headers=headers, json={"title": "t"})
    patched = await client.patch(
        f"/api/v1/tasks/{task.json()['id']}", headers=headers, json={"completed": value}
    )
    assert_error(patched, 422, "VALIDATION_ERROR", "completed")


@pytest.mark.parametrize("invisible", ["\u200b\u200b", "\u200d", "\ufeff \u2060", "\u3164"])
async def test_titles_and_tag_names_of_invisible_characters_are_refused(
    client: httpx.AsyncClient, invisible: str
) -> None:
    headers = await signed_in(client)
    task = await client.post("/api/v1/tasks", headers=headers, json={"title": invisible})
    assert_error(task, 400, "INVALID_TITLE", "title")
    tag = await client.post("/api/v1/tags", headers=headers, json={"name": invisible})
    assert_error(tag, 400, "INVALID_TAG_NAME", "name")


async def test_a_password_is_the_same_whichever_unicode_form_it_arrives_in(
    client: httpx.AsyncClient,
) -> None:
    composed = unicodedata.normalize("NFC", "Crème brûlée à la plage")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert (await register(client, password=composed)).status_code == 201
    assert (await login(client, password=decomposed)).status_code == 200


async def test_a_password_made_of_the_email_is_refused(client: httpx.AsyncClient) -> None:
    response = await register(client, email="ann.lee@example.com", password="ann.lee@example.com")
    assert_error(response, 400, "PASSWORD_TOO_COMMON", "password")


async def test_a_name_with_a_nul_is_refused_for_what_it_is(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    response = await client.patch("/api/v1/auth/me", headers=headers, json={"name": "A\u0000B"})
    assert_error(response, 422, "VALIDATION_ERROR", "name")
    assert "NUL" in response.json()["detail"]
