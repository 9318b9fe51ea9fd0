"""Per-IP rate limits, the login-CSRF check and CORS."""

from collections.abc import Callable

import httpx
import pytest
from litestar.testing import AsyncTestClient

from tests.integration.http.conftest import BASE_URL, PASSWORD, assert_error, register
from todo_api.adapters.clock import ManualTicker
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.http.app import create_app
from todo_api.entrypoints.settings import Settings


@pytest.fixture
async def limited(
    make_settings: Callable[..., Settings], ticker: ManualTicker, pg_engine
) -> httpx.AsyncClient:
    settings = make_settings(
        rate_limit_login="5/minute", rate_limit_register="5/minute", rate_limit_refresh="10/minute"
    )
    container = build_container(settings)
    container.rate_limiter.override(InMemoryRateLimiter(monotonic=ticker))
    async with AsyncTestClient(app=create_app(container), base_url=BASE_URL) as client:
        yield client


async def test_login_allows_five_a_minute_then_429_then_again_after_the_window(
    limited: httpx.AsyncClient, ticker: ManualTicker
) -> None:
    form = {"username": "ann@example.com", "password": "wrong password"}
    for _ in range(5):
        assert (await limited.post("/api/v1/auth/login", data=form)).status_code == 401
    refused = await limited.post("/api/v1/auth/login", data=form)
    assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    ticker.now += 61
    assert (await limited.post("/api/v1/auth/login", data=form)).status_code == 401


async def test_register_allows_five_a_minute(limited: httpx.AsyncClient) -> None:
    for n in range(5):
        assert (await register(limited, f"user{n}@example.com")).status_code == 201
    assert_error(await register(limited, "user9@example.com"), 429, "RATE_LIMIT_EXCEEDED")


async def test_bodies_that_cannot_be_read_do_not_spend_the_register_budget(
    limited: httpx.AsyncClient,
) -> None:
    # A client fixing its typos must not lock itself out of registering for the window.
    malformed = [b"", b'{"email": }', b'{"email": "a@example.com"}', b'{"emial": "a@example.com"}']
    for body in malformed * 2:
        response = await limited.post(
            "/api/v1/auth/register", content=body, headers={"Content-Type": "application/json"}
        )
        assert_error(response, 422, "VALIDATION_ERROR")
    for n in range(5):
        assert (await register(limited, f"user{n}@example.com")).status_code == 201
    assert_error(await register(limited, "user9@example.com"), 429, "RATE_LIMIT_EXCEEDED")


async def test_refresh_allows_ten_a_minute(limited: httpx.AsyncClient) -> None:
    statuses = [(await limited.post("/api/v1/auth/refresh")).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]


async def test_budgets_are_per_route(limited: httpx.AsyncClient) -> None:
    for _ in range(5):
        await limited.post("/api/v1/auth/login", data={"username": "a@b.co", "password": "x" * 8})
    assert (await register(limited)).status_code == 201


async def test_limits_can_be_switched_off(
    make_settings: Callable[..., Settings], pg_engine
) -> None:
    container = build_container(make_settings(rate_limit_enabled=False, rate_limit_login="1/hour"))
    async with AsyncTestClient(app=create_app(container), base_url=BASE_URL) as client:
        form = {"username": "ann@example.com", "password": "wrong password"}
        for _ in range(3):
            assert (await client.post("/api/v1/auth/login", data=form)).status_code == 401


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"]
)
async def test_cross_site_requests_are_refused(client: httpx.AsyncClient, path: str) -> None:
    cross_site = await client.post(path, headers={"Sec-Fetch-Site": "cross-site"})
    assert_error(cross_site, 403, "CSRF_REJECTED")
    foreign = await client.post(path, headers={"Origin": "https://evil.example"})
    assert_error(foreign, 403, "CSRF_REJECTED")


async def test_same_site_and_headerless_logins_pass(client: httpx.AsyncClient) -> None:
    await register(client)
    form = {"username": "ann@example.com", "password": PASSWORD}
    for headers in (
        {},
        {"Origin": "https://app.example.com", "Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "same-origin"},
    ):
        response = await client.post("/api/v1/auth/login", data=form, headers=headers)
        assert response.status_code == 200, headers


async def test_cors_allows_listed_origins_with_credentials(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/api/v1/auth/login",
        headers={
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == "https://app.example.com"
    assert response.headers["access-control-allow-credentials"] == "true"


async def test_cors_ignores_unlisted_origins(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


async def test_the_services_own_origin_may_log_in(client: httpx.AsyncClient) -> None:
    await register(client)
    form = {"username": "ann@example.com", "password": PASSWORD}
    own = await client.post("/api/v1/auth/login", data=form, headers={"Origin": BASE_URL})
    assert own.status_code == 200
    lookalike = await client.post(
        "/api/v1/auth/login", data=form, headers={"Origin": BASE_URL + ".evil.example"}
    )
    assert_error(lookalike, 403, "CSRF_REJECTED")
