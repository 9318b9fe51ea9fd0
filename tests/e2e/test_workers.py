"""`todo-api worker` processes on Postgres (SPEC 15): two share the deliveries with none twice,
fire each reminder once with its mail, stop cleanly on SIGTERM, and a worker killed
mid-delivery leaves it to another."""

from __future__ import annotations

import json
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from standardwebhooks import Webhook as Verifier

from tests.conftest import create_database
from tests.support.postgres import free_port
from tests.support.processes import TODO_API, base_env, run_cli, running_server
from tests.support.receiver import receiver
from tests.support.smtp import link_token, smtp_server

PASSWORD = "correct horse battery"


def _env(postgres_server: str, name: str) -> tuple[str, dict[str, str]]:
    database_url = create_database(postgres_server, name)
    env = base_env(
        APP_ENV="test",
        DATABASE_URL=database_url,
        JWT_SECRET_KEY=secrets.token_hex(32),
        BCRYPT_ROUNDS="4",
        RATE_LIMIT_ENABLED="false",
        IN_PROCESS_WORKER="false",
        WEBHOOK_ALLOW_PRIVATE="true",
        WORKER_POLL_SECONDS="0.1",
        LOG_FORMAT="json",
    )
    return database_url, env


@contextmanager
def _worker(
    cwd: Path, env: dict[str, str], log: Path, *extra: str
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(TODO_API), "worker", *extra],
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)


def _subscribe(url: str, target: str) -> tuple[dict[str, str], str, int]:
    with httpx.Client(base_url=url, timeout=10) as client:
        client.post(
            "/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
        )
        token = client.post(
            "/api/v1/auth/login", data={"username": "ann@example.com", "password": PASSWORD}
        ).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        hook = client.post(
            "/api/v1/webhooks", headers=bearer, json={"url": target, "events": ["task.created"]}
        ).json()
    return bearer, hook["secret"], hook["id"]


def _wait(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_two_workers_share_the_deliveries_and_stop_on_sigterm(
    tmp_path: Path, postgres_server: str
) -> None:
    _, env = _env(postgres_server, "todo_workers")
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    monitor = free_port()
    with (
        receiver() as endpoint,
        running_server(tmp_path, env) as url,
        _worker(tmp_path, env, tmp_path / "w1.log", "--port", str(monitor)) as first,
        _worker(tmp_path, env, tmp_path / "w2.log") as second,
    ):
        bearer, secret, _ = _subscribe(url, endpoint.url)
        with httpx.Client(base_url=url, timeout=10) as client:
            titles = [f"task {n}" for n in range(24)]
            for title in titles:
                client.post("/api/v1/tasks", headers=bearer, json={"title": title})
        _wait(lambda: len(endpoint.requests) >= len(titles))
        time.sleep(0.5)  # room for a duplicate to show up, if there were one
        verifier = Verifier(secret)
        events = [verifier.verify(r.body, r.headers) for r in endpoint.requests]
        ids = [r.headers["webhook-id"] for r in endpoint.requests]
        assert len(ids) == len(set(ids)) == len(titles)
        assert sorted(e["data"]["title"] for e in events) == sorted(titles)
        health = httpx.get(f"http://127.0.0.1:{monitor}/health", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        metrics = httpx.get(f"http://127.0.0.1:{monitor}/metrics", timeout=5).text
        rounds = re.search(r"^todo_worker_rounds_total (\S+)$", metrics, re.MULTILINE)
        assert rounds and float(rounds.group(1)) > 0
        # Its share of the deliveries, which may be none of them: the other worker's is the rest.
        assert "# TYPE todo_worker_deliveries_total counter" in metrics
        assert 'todo_worker_backlog{queue="webhook_deliveries"} 0.0' in metrics
        assert "# TYPE todo_worker_webhook_latency_seconds histogram" in metrics
        for worker in (first, second):
            worker.send_signal(signal.SIGTERM)
        assert (first.wait(15), second.wait(15)) == (0, 0)
    logs = [
        json.loads(line)
        for name in ("w1", "w2")
        for line in (tmp_path / f"{name}.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert [entry["event"] for entry in logs].count("worker_stopped") == 2


def test_a_worker_killed_mid_delivery_leaves_it_to_another(
    tmp_path: Path, postgres_server: str
) -> None:
    database_url, env = _env(postgres_server, "todo_worker_kill")
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with receiver() as endpoint, running_server(tmp_path, env) as url:
        endpoint.delays = [15.0]  # the first attempt hangs until its worker is gone
        bearer, secret, hook_id = _subscribe(url, endpoint.url)
        with httpx.Client(base_url=url, timeout=10) as client:
            client.post("/api/v1/tasks", headers=bearer, json={"title": "survives"})
        with _worker(tmp_path, env, tmp_path / "doomed.log") as doomed:
            _wait(lambda: len(endpoint.requests) == 1)
            doomed.kill()
            doomed.wait(10)
        with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
            (status, attempts) = connection.execute(
                "SELECT status, attempts FROM webhook_deliveries"
            ).fetchone() or (None, None)
            assert (status, attempts) == ("pending", 1)  # claimed, leased, not lost
            # As if the 60-second lease had run out.
            connection.execute("UPDATE webhook_deliveries SET next_attempt_at = now()")
        with _worker(tmp_path, env, tmp_path / "heir.log"):
            _wait(lambda: len(endpoint.requests) == 2)
            with httpx.Client(base_url=url, timeout=10) as client:
                _wait(
                    lambda: (
                        client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=bearer).json()[
                            0
                        ]["status"]
                        == "delivered"
                    )
                )
        first, second = endpoint.requests
        assert first.headers["webhook-id"] == second.headers["webhook-id"]
        assert Verifier(secret).verify(second.body, second.headers)["data"]["title"] == "survives"


def test_two_workers_fire_each_reminder_once_with_its_mail(
    tmp_path: Path, postgres_server: str
) -> None:
    _, env = _env(postgres_server, "todo_worker_reminders")
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with smtp_server() as (inbox, smtp_port):
        env["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}?tls=off"
        with (
            receiver() as endpoint,
            running_server(tmp_path, env) as url,
            _worker(tmp_path, env, tmp_path / "w1.log"),
            _worker(tmp_path, env, tmp_path / "w2.log"),
            httpx.Client(base_url=url, timeout=10) as client,
        ):
            client.post(
                "/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
            )
            _wait(lambda: len(inbox.messages) == 1)
            token = link_token(inbox.messages[0], "verify-email")
            assert client.post("/api/v1/auth/verify-email", json={"token": token}).is_success
            login = {"username": "ann@example.com", "password": PASSWORD}
            access = client.post("/api/v1/auth/login", data=login).json()["access_token"]
            bearer = {"Authorization": f"Bearer {access}"}
            hook = client.post(
                "/api/v1/webhooks",
                headers=bearer,
                json={"url": endpoint.url, "events": ["task.reminder"]},
            ).json()
            soon = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
            titles = [f"call {n}" for n in range(20)]
            for title in titles:
                task = {"title": title, "reminders": [{"at": soon}]}
                assert client.post("/api/v1/tasks", headers=bearer, json=task).status_code == 201
            done = {"title": "done already", "reminders": [{"at": soon}], "completed": True}
            assert client.post("/api/v1/tasks", headers=bearer, json=done).status_code == 201
            _wait(lambda: len(endpoint.requests) >= len(titles) and len(inbox.messages) > 20)
            time.sleep(1.0)  # room for a duplicate to show up, if there were one
        verifier = Verifier(hook["secret"])
        events = [verifier.verify(r.body, r.headers) for r in endpoint.requests]
        assert sorted(e["data"]["task"]["title"] for e in events) == sorted(titles)
        assert {e["type"] for e in events} == {"task.reminder"}
        reminder_mail = sorted(str(m["Subject"]) for m in inbox.messages[1:])
        assert reminder_mail == sorted(f"todo-api: Reminder: {t}" for t in titles)
