"""The real app on a real Postgres, through Litestar's async test client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.clock import ManualTicker
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.entrypoints.container import Container, build_container
from todo_api.entrypoints.http.app import create_app
from todo_api.entrypoints.settings import Settings, load_settings

PASSWORD = "correct horse battery"
# What a user reads as: never the password hash, nor the TOTP secret.
USER_FIELDS = {"id", "email", "name", "timezone", "created_at", "email_verified", "mfa_enabled"}
# httpx keeps Secure cookies but only sends them over https, as browsers do off localhost.
BASE_URL = "https://testserver.local"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """For tests that build their own app on each database (the others run on Postgres)."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    request.getfixturevalue("pg_engine")  # emptied after the test
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def ticker() -> ManualTicker:
    return ManualTicker()


@pytest.fixture
def make_settings(pg_url: str) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "app_env": "test",
            "database_url": pg_url,
            "bcrypt_rounds": 4,
            "rate_limit_login": "100/minute",
            "rate_limit_register": "100/minute",
            "rate_limit_refresh": "100/minute",
            "cors_origins": "https://app.example.com,http://localhost:3000",
            "log_level": "WARNING",
            # No background worker beside these requests (query counts would include its
            # rounds); the mail and webhook tests build apps with one.
            "in_process_worker": False,
        }
        values.update(overrides)
        return load_settings(None, **values)

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def container(settings: Settings, ticker: ManualTicker) -> Container:
    container = build_container(settings)
    container.rate_limiter.override(InMemoryRateLimiter(monotonic=ticker))
    return container


@pytest.fixture
async def client(container: Container, pg_engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(app=create_app(container), base_url=BASE_URL) as test_client:
        yield test_client


async def register(
    client: httpx.AsyncClient,
    email: str = "ann@example.com",
    password: str = PASSWORD,
    **extra: Any,
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, **extra}
    )


async def login(
    client: httpx.AsyncClient, email: str = "ann@example.com", password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/api/v1/auth/login", data={"username": email, "password": password})


async def signed_in(client: httpx.AsyncClient, email: str = "ann@example.com") -> dict[str, str]:
    """Register and log in; return the Authorization header."""
    assert (await register(client, email)).status_code == 201
    response = await login(client, email)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def assert_error(
    response: httpx.Response, status: int, code: str, field: str | None = None
) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert body["field"] == field, body
    assert set(body) <= {"detail", "code", "field"}
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
