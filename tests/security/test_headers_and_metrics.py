"""Caching, framing and the metrics endpoint (issue 10, finding 12; SPEC 12)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.http.conftest import BASE_URL, assert_error, signed_in
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.http.app import create_app
from todo_api.entrypoints.settings import Settings

METRICS_TOKEN = "m" * 12 + "3tr1cs-t0ken"


async def test_authenticated_responses_are_not_stored(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    for path in ("/api/v1/auth/me", "/api/v1/auth/sessions", "/api/v1/tasks", "/api/v1/tags"):
        response = await client.get(path, headers=headers)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store", path


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_docs_pages_carry_a_csp_and_refuse_framing(
    client: httpx.AsyncClient, page: str
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"


@pytest.fixture
async def production_client(
    make_settings: Callable[..., Settings], pg_engine: AsyncEngine
) -> AsyncIterator[Callable[..., AsyncTestClient]]:
    opened: list[AsyncTestClient] = []

    async def open_with(**overrides: str) -> AsyncTestClient:
        settings = make_settings(
            app_env="production", jwt_secret_key="ab12cd34ef56" * 6, **overrides
        )
        client = AsyncTestClient(app=create_app(build_container(settings)), base_url=BASE_URL)
        await client.__aenter__()
        opened.append(client)
        return client

    yield open_with
    for client in opened:
        await client.__aexit__(None, None, None)


async def test_production_metrics_need_the_metrics_token(production_client: Callable) -> None:
    client = await production_client(metrics_token=METRICS_TOKEN)
    assert_error(await client.get("/metrics"), 401, "MISSING_TOKEN")
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert_error(wrong, 401, "MISSING_TOKEN")
    right = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert right.status_code == 200 and "todo_api_requests_total" in right.text


async def test_production_without_a_metrics_token_has_no_public_metrics(
    production_client: Callable,
) -> None:
    client = await production_client()
    assert_error(await client.get("/metrics"), 404, "NOT_FOUND")
