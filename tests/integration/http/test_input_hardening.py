"""Hostile input gets the contract's 4xx, never a 500, and leaves the database unchanged."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.http.conftest import signed_in
from todo_api.adapters.persistence.tables import metadata


async def _row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {
            table.name: int(
                await connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            )
            for table in metadata.sorted_tables
        }


HOSTILE_BODIES: list[tuple[str, str, bytes, str]] = [
    ("POST", "/api/v1/tasks", b'{"title": "a\\u0000b"}', "application/json"),
    ("POST", "/api/v1/tasks", b'{"title": "ok", "description": "\\u0000"}', "application/json"),
    ("POST", "/api/v1/tasks", b'{"title": "\\ud800"}', "application/json"),
    ("POST", "/api/v1/tasks", b'{"title": "' + b"x" * 10_000 + b'"}', "application/json"),
    (
        "POST",
        "/api/v1/tasks",
        b'{"title": "t", "description": "' + b"d" * 10_000 + b'"}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/tasks",
        b'{"title": "t", "tag_ids": [99999999999999999999]}',
        "application/json",
    ),
    ("POST", "/api/v1/tasks", b'{"title": "t", "tag_ids": [-1]}', "application/json"),
    (
        "POST",
        "/api/v1/tasks",
        b'{"title": "t", "due_date": "9999-12-31T23:59:59-12:00"}',
        "application/json",
    ),
    ("POST", "/api/v1/tasks", b'{"title": "t", "completed": "yes"}', "application/json"),
    ("POST", "/api/v1/tasks", b'{"title": {"nested": [1, 2, {"x": null}]}}', "application/json"),
    ("POST", "/api/v1/tasks", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("POST", "/api/v1/tasks", b'{"title": "t", "title": 5}', "application/json"),
    ("POST", "/api/v1/tasks", b"title=t", "application/x-www-form-urlencoded"),
    ("POST", "/api/v1/tasks", b"\xff\xfe\x00", "application/json"),
    ("POST", "/api/v1/tags", b'{"name": "\\u0000"}', "application/json"),
    ("POST", "/api/v1/tags", b'{"name": "' + b"n" * 10_000 + b'"}', "application/json"),
    ("POST", "/api/v1/tags", b'{"name": "ok", "color": "#12345\\u0000"}', "application/json"),
    ("PATCH", "/api/v1/auth/me", b'{"name": "\\u0000"}', "application/json"),
    ("PATCH", "/api/v1/auth/me", b'{"name": "' + b"n" * 10_000 + b'"}', "application/json"),
    (
        "POST",
        "/api/v1/auth/register",
        b'{"email": "a\\u0000@x.io", "password": "long enough!"}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/auth/register",
        b'{"email": "z@example.com", "password": "' + b"p" * 10_000 + b'"}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/auth/register",
        b'{"email": "z@example.com", "password": "\\ud800\\udfff"}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/auth/login",
        b"username=\x00&password=\x00",
        "application/x-www-form-urlencoded",
    ),
    ("POST", "/api/v1/auth/login", b'{"email": 1e309, "password": []}', "application/json"),
]


@pytest.mark.parametrize(("method", "path", "body", "content_type"), HOSTILE_BODIES)
async def test_hostile_bodies_are_refused_cleanly_and_store_nothing(
    client: httpx.AsyncClient,
    pg_engine: AsyncEngine,
    method: str,
    path: str,
    body: bytes,
    content_type: str,
) -> None:
    headers = await signed_in(client)
    before = await _row_counts(pg_engine)
    response = await client.request(
        method, path, content=body, headers={**headers, "content-type": content_type}
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert set(response.json()) == {"detail", "code", "field"}
    after = await _row_counts(pg_engine)
    # Refused logins may count a failure in the rate limiter, never a row.
    assert after == before


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999",
        "limit=-5",
        "q=%00",
        "q=" + "%25" * 5000,
        "tag=%00",
        "sort=" + "x" * 5000,
        "page=1&page=2",
        "priority=%FF",
    ],
)
async def test_hostile_query_strings_are_4xx_or_empty(
    client: httpx.AsyncClient, query: str
) -> None:
    headers = await signed_in(client)
    response = await client.get(f"/api/v1/tasks?{query}", headers=headers)
    assert response.status_code in (200, 400, 422), response.text[:300]
    if response.status_code != 200:
        assert set(response.json()) == {"detail", "code", "field"}
