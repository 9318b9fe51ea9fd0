"""A real server against its own Postgres cluster, which the tests stop, restart and freeze."""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.postgres import LocalCluster
from tests.support.processes import base_env, run_cli, running_server

PASSWORD = "correct horse battery"
REQUEST_TIMEOUT = 2.0


@dataclass
class Stack:
    cluster: LocalCluster
    url: str
    bearer: dict[str, str]
    workdir: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = Path(tmp_path_factory.mktemp("faults"))
    with ExitStack() as exits:
        # Durable settings: an immediate stop must lose nothing that was acknowledged.
        cluster = exits.enter_context(LocalCluster(durable=True))
        env = base_env(
            APP_ENV="production",
            DATABASE_URL=cluster.url.replace("postgresql://", "postgresql+psycopg://"),
            JWT_SECRET_KEY=secrets.token_hex(32),
            BCRYPT_ROUNDS="4",
            RATE_LIMIT_ENABLED="false",
            REQUEST_TIMEOUT=str(REQUEST_TIMEOUT),
            DB_CONNECTION_TIMEOUT="1",
            DB_POOL_TIMEOUT="1",
            DB_STATEMENT_TIMEOUT="1",
        )
        run_cli("db", "upgrade", cwd=workdir, env=env)
        url = exits.enter_context(running_server(workdir, env))
        with httpx.Client(base_url=url) as client:
            client.post(
                "/api/v1/auth/register", json={"email": "a@example.com", "password": PASSWORD}
            )
            token = client.post(
                "/api/v1/auth/login", data={"username": "a@example.com", "password": PASSWORD}
            ).json()["access_token"]
        yield Stack(
            cluster=cluster, url=url, bearer={"Authorization": f"Bearer {token}"}, workdir=workdir
        )


def _requests(stack: Stack) -> list[tuple[str, str, dict]]:
    return [
        (
            "POST",
            "/api/v1/auth/login",
            {"data": {"username": "a@example.com", "password": PASSWORD}},
        ),
        ("GET", "/api/v1/auth/me", {"headers": stack.bearer}),
        ("GET", "/api/v1/tasks", {"headers": stack.bearer}),
        ("POST", "/api/v1/tasks", {"headers": stack.bearer, "json": {"title": "during fault"}}),
    ]


def _all_answer_503_quickly(stack: Stack, within: float) -> None:
    with httpx.Client(base_url=stack.url, timeout=within + 5) as client:
        for method, path, options in _requests(stack):
            started = time.monotonic()
            response = client.request(method, path, **options)
            elapsed = time.monotonic() - started
            assert response.status_code == 503, (path, response.status_code, response.text)
            assert response.json()["code"] == "SERVICE_UNAVAILABLE"
            assert int(response.headers["retry-after"]) > 0
            assert elapsed < within, (path, elapsed)
        assert client.get("/health").status_code == 200
        assert client.get("/health/ready").status_code == 503


def _all_succeed(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        for method, path, options in _requests(stack):
            response = client.request(method, path, **options)
            assert response.status_code in (200, 201), (path, response.status_code, response.text)
        assert client.get("/health/ready").status_code == 200


def _no_500_logged(stack: Stack) -> None:
    """The server's own access log agrees: the faults were 503s, never a 500. Checked by each
    fault test, not a test of its own: xdist may run that one on another worker's stack."""
    statuses = [
        line.split('"status":', 1)[1].split(",", 1)[0]
        for log in stack.workdir.glob("server-*.log")
        for line in log.read_text().splitlines()
        if '"event":"request"' in line
    ]
    assert "503" in statuses, "the access log recorded no 503"
    assert "500" not in statuses


def test_a_stopped_database_gives_503_fast_and_service_resumes_after_restart(stack: Stack) -> None:
    _all_succeed(stack)
    stack.cluster.stop()
    try:
        _all_answer_503_quickly(stack, within=2.0)
    finally:
        stack.cluster.start()
    # No restart of ours: the very next requests succeed.
    _all_succeed(stack)
    _no_500_logged(stack)


def test_a_frozen_database_gives_503_within_the_deadline_and_recovers(stack: Stack) -> None:
    _all_succeed(stack)
    # Every server worker has the credential cached: a frozen server sends no notice and no
    # error, and the cache must stop answering anyway (the listening connection's heartbeat).
    with httpx.Client(base_url=stack.url, timeout=10) as client:
        for _ in range(10):
            assert client.get("/api/v1/auth/me", headers=stack.bearer).status_code == 200
    pids = stack.cluster.pids()
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        _all_answer_503_quickly(stack, within=REQUEST_TIMEOUT + 1.5)
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
    deadline = time.monotonic() + 10
    while True:
        try:
            _all_succeed(stack)
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    _no_500_logged(stack)
