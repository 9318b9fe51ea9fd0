"""Two server processes sharing one Postgres and one Redis behave as one service."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.conftest import create_database
from tests.support.processes import base_env, run_cli, running_redis, running_server

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: str
) -> Iterator[tuple[str, str]]:
    if shutil.which("redis-server") is None and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed here; .ci/run installs it in CI")
    workdir = Path(tmp_path_factory.mktemp("scale-out"))
    with ExitStack() as stack:
        redis_url = stack.enter_context(running_redis(workdir))
        env = base_env(
            APP_ENV="production",
            DATABASE_URL=create_database(postgres_server, "todo_scale_out"),
            JWT_SECRET_KEY=secrets.token_hex(32),
            REDIS_URL=redis_url,
            BCRYPT_ROUNDS="4",
        )
        run_cli("db", "upgrade", cwd=workdir, env=env)
        first = stack.enter_context(running_server(workdir, env))
        second = stack.enter_context(running_server(workdir, env))
        yield first, second


def client_from(address: str) -> httpx.Client:
    """A client whose requests come from another loopback address: another client IP."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10)


def test_the_login_budget_is_shared_not_per_process(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    form = {"username": "nobody@example.com", "password": "wrong password"}
    with client_from("127.0.0.2") as client:
        statuses = [
            client.post(f"{(first, second)[n % 2]}/api/v1/auth/login", data=form).status_code
            for n in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        assert client.post(f"{first}/api/v1/auth/login", data=form).status_code == 429
    with client_from("127.0.0.3") as other_client:
        assert other_client.post(f"{first}/api/v1/auth/login", data=form).status_code == 401


def test_logout_on_one_process_ends_the_session_on_the_other(
    two_servers: tuple[str, str],
) -> None:
    first, second = two_servers
    with client_from("127.0.0.4") as client:
        registered = client.post(
            f"{first}/api/v1/auth/register",
            json={"email": "ann@example.com", "password": PASSWORD},
        )
        assert registered.status_code == 201
        login = client.post(
            f"{second}/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD}
        )
    assert login.status_code == 200, login.text
    access = login.json()["access_token"]
    cookie = {"Cookie": f"refresh_token={login.cookies['refresh_token']}"}
    bearer = {"Authorization": f"Bearer {access}"}
    assert httpx.get(f"{second}/api/v1/auth/me", headers=bearer).status_code == 200

    assert httpx.post(f"{first}/api/v1/auth/logout", headers=cookie).status_code == 200

    assert httpx.get(f"{second}/api/v1/auth/me", headers=bearer).json()["code"] == (
        "SESSION_REVOKED"
    )
    assert httpx.post(f"{second}/api/v1/auth/refresh", headers=cookie).json()["code"] == (
        "REFRESH_TOKEN_REVOKED"
    )


def test_metrics_of_several_workers_are_summed(tmp_path: Path, postgres_server: str) -> None:
    env = base_env(APP_ENV="test", DATABASE_URL=create_database(postgres_server, "todo_metrics"))
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env, "--workers", "2") as url, httpx.Client() as client:
        for _ in range(40):
            # New connections, so both workers answer some of them.
            client.get(f"{url}/health", headers={"Connection": "close"})
        text = client.get(f"{url}/metrics").text
    line = next(
        row
        for row in text.splitlines()
        if row.startswith("todo_api_requests_total{") and 'route="/health"' in row
    )
    # 40 requests plus the readiness probe of running_server; with per-worker registries each
    # worker would report only the share it served.
    assert float(line.rsplit(" ", 1)[1]) == 41.0
