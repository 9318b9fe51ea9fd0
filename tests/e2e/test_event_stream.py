"""GET /api/v1/events/stream against a real server (SPEC 15): events arrive as they commit
(woken by LISTEN/NOTIFY on Postgres, by polling on SQLite), resume from Last-Event-ID, stay with
their user, include the reminders the server's own worker fires (the single-host mode), and a
SIGTERM ends open streams at once."""

from __future__ import annotations

import json
import queue
import secrets
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import create_database
from tests.support.processes import base_env, run_cli, running_server

PASSWORD = "correct horse battery"


def _bearer(client: httpx.Client, email: str) -> dict[str, str]:
    client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    login = client.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


class Stream:
    """Reads one event stream in a thread; its messages land in a queue."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.messages: queue.Queue[dict[str, str]] = queue.Queue()
        self.opened = threading.Event()
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()
        assert self.opened.wait(10), "the stream did not open"

    def _read(self, url: str, headers: dict[str, str]) -> None:
        message: dict[str, str] = {}
        try:
            with httpx.stream("GET", url, headers=headers, timeout=httpx.Timeout(5, read=60)) as r:
                assert r.status_code == 200 and r.headers["content-type"].startswith(
                    "text/event-stream"
                )
                for line in r.iter_lines():
                    self.opened.set()
                    if not line:
                        if "data" in message:
                            self.messages.put(message)
                        message = {}
                    elif not line.startswith(":"):
                        field, _, value = line.partition(":")
                        message[field] = value.lstrip(" ")
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    def take(self, count: int) -> list[dict[str, str]]:
        return [self.messages.get(timeout=10) for _ in range(count)]


@pytest.mark.parametrize("database", ["postgres", "sqlite"])
def test_events_stream_resume_and_end_on_sigterm(
    tmp_path: Path, postgres_server: str, database: str
) -> None:
    if database == "postgres":
        database_url = create_database(postgres_server, "todo_stream")
    else:
        database_url = f"sqlite+aiosqlite:///{tmp_path / 'stream.db'}"
    env = base_env(
        APP_ENV="test",
        DATABASE_URL=database_url,
        JWT_SECRET_KEY=secrets.token_hex(32),
        BCRYPT_ROUNDS="4",
        RATE_LIMIT_ENABLED="false",
        IN_PROCESS_WORKER="true",
        WORKER_POLL_SECONDS="0.2",
    )
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    processes: list[subprocess.Popen[bytes]] = []
    with (
        running_server(tmp_path, env, processes=processes) as url,
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        ann, bob = _bearer(client, "ann@example.com"), _bearer(client, "bob@example.com")
        stream = Stream(f"{url}/api/v1/events/stream", ann)
        tasks = []
        for title in ("one", "two", "three"):
            client.post("/api/v1/tasks", headers=bob, json={"title": f"bob {title}"})
            tasks.append(client.post("/api/v1/tasks", headers=ann, json={"title": title}).json())
        messages = stream.take(3)
        assert [m["event"] for m in messages] == ["task.created"] * 3
        bodies = [json.loads(m["data"]) for m in messages]
        assert [b["data"] for b in bodies] == tasks  # ann's only, as the API shows them
        ids = [int(m["id"]) for m in messages]
        assert ids == sorted(ids)

        resumed = Stream(f"{url}/api/v1/events/stream", {**ann, "Last-Event-ID": str(ids[0])})
        assert [int(m["id"]) for m in resumed.take(2)] == ids[1:]

        soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
        reminded = {"title": "call", "reminders": [{"at": soon}]}
        client.post("/api/v1/tasks", headers=ann, json=reminded)
        created, fired = [json.loads(m["data"]) for m in stream.take(2)]
        assert (created["type"], fired["type"]) == ("task.created", "task.reminder")
        assert fired["data"]["task"] == created["data"]
        assert fired["data"]["reminder"]["id"] == 1
        resumed.take(2)

        started = time.monotonic()
        processes[0].send_signal(signal.SIGTERM)
        # uvicorn re-raises the SIGTERM it handled once shutdown is complete.
        assert processes[0].wait(10) in (0, -signal.SIGTERM)
        assert stream.ended.wait(5) and resumed.ended.wait(5)
        assert time.monotonic() - started < 8  # not the 30 s graceful timeout
