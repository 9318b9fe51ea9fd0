"""Two server processes sharing one Postgres and one Redis behave as one service."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import psycopg
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


_REVOKE = (
    "UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = %s)"
)


def _refused_within(url: str, headers: dict[str, str], seconds: float = 2.0) -> float:
    """How long after the call `url` went on accepting the credential: the start, from now, of
    the last request it accepted (0 if it refused the first). Polled until it refuses.

    Starts, not answers: a request's own time on a loaded machine is not the revocation's delay.
    """
    started = time.monotonic()
    accepted_until = 0.0
    with httpx.Client(timeout=5) as client:
        while time.monotonic() - started < seconds:
            sent = time.monotonic() - started
            if client.get(url, headers=headers).status_code == 401:
                return accepted_until
            accepted_until = sent
    raise AssertionError(f"{url} still accepted the credential after {seconds} s")


def _session(first: str, email: str, address: str) -> tuple[dict[str, str], dict[str, str]]:
    """Register and log in on `first` from `address` (each its own login budget); the bearer
    header and the refresh cookie header."""
    with client_from(address) as client:
        client.post(f"{first}/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        login = client.post(
            f"{first}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        )
    assert login.status_code == 200, login.text
    bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
    return bearer, {"Cookie": f"refresh_token={login.cookies['refresh_token']}"}


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
    # The other process may have the session cached: the revocation reaches it within 100 ms.
    assert _refused_within(f"{second}/api/v1/auth/me", bearer) < 0.1
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


def test_a_cached_credential_is_dropped_by_its_notice_or_not_trusted_without_them(
    two_servers: tuple[str, str], postgres_server: str
) -> None:
    first, second = two_servers
    database = postgres_server.rsplit("/", 1)[0] + "/todo_scale_out"
    me = f"{second}/api/v1/auth/me"

    # Cached: with the notice switched off, a revocation written straight into the table is
    # not seen by the process that has the session cached.
    bearer, _ = _session(first, "cached@example.com", "127.0.0.20")
    for _ in range(3):  # the first read may overlap the login's own notices, and not be kept
        assert httpx.get(me, headers=bearer).status_code == 200
    with psycopg.connect(database, autocommit=True) as db:
        db.execute("ALTER TABLE sessions DISABLE TRIGGER sessions_credential_notice")
        try:
            db.execute(_REVOKE, ("cached@example.com",))
            assert httpx.get(me, headers=bearer).status_code == 200
        finally:
            db.execute("ALTER TABLE sessions ENABLE TRIGGER sessions_credential_notice")
        # A change of the user drops it; the database then says revoked.
        db.execute("UPDATE users SET name = 'Cached' WHERE email = 'cached@example.com'")
    assert _refused_within(me, bearer) < 0.1

    # Logged out on one process, refused by the other within 100 ms, five times over.
    for n in range(5):
        bearer, cookie = _session(first, f"often{n}@example.com", f"127.0.0.{21 + n}")
        for _ in range(3):
            assert httpx.get(me, headers=bearer).status_code == 200
        assert httpx.post(f"{first}/api/v1/auth/logout", headers=cookie).status_code == 200
        assert _refused_within(me, bearer) < 0.1

    # Fail closed: once the listening connections are killed, nothing cached is trusted, so a
    # revocation no notice announces is seen at once.
    bearer, _ = _session(first, "unheard@example.com", "127.0.0.30")
    for _ in range(3):
        assert httpx.get(me, headers=bearer).status_code == 200
    with psycopg.connect(database, autocommit=True) as db:
        db.execute("ALTER TABLE sessions DISABLE TRIGGER sessions_credential_notice")
        try:
            killed = db.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'todo-api listen todo_credentials'"
            ).fetchone()
            assert killed is not None and killed[0] >= 2  # one per server process
            db.execute(_REVOKE, ("unheard@example.com",))
            assert _refused_within(me, bearer) < 0.5
        finally:
            db.execute("ALTER TABLE sessions ENABLE TRIGGER sessions_credential_notice")
