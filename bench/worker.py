"""The background worker's webhook throughput and latency (issue 14).

Starts a throwaway Postgres and the real server, subscribes a user's webhook to a local HTTP
receiver, then measures, with `todo-api worker` processes:
1. one worker's delivery rate over 2,000 queued events (inserted straight into the outbox);
2. two workers' rate over 4,000 more;
3. commit-to-delivery latency: 100 tasks created through the API, 50 ms apart, with one idle
   worker (woken by Postgres NOTIFY at each commit; WORKER_POLL_SECONDS 0.1 s otherwise), once
   its /health says its first round is done.
Writes bench/results/worker.json. APP_ENV=test: production refuses a loopback webhook.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.database import migrated_database
from tests.support.postgres import free_port
from tests.support.processes import TODO_API, running_server
from tests.support.receiver import Receiver, receiver

PASSWORD = "bench password 1"
_QUEUE = """
INSERT INTO events (id, user_id, type, occurred_at, data)
SELECT 'msg_' || md5(%(tag)s || n::text), %(user_id)s, 'task.created', now(),
       json_build_object('id', n, 'title', 'queued ' || n)
FROM generate_series(1, %(count)s) AS n
"""


@contextmanager
def _workers(count: int, cwd: Path, env: dict[str, str], *extra: str) -> Any:
    processes = [
        subprocess.Popen(
            [str(TODO_API), "worker", *extra],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)


def _wait_for(endpoint: Receiver, count: int, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while len(endpoint.requests) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(endpoint.requests)} of {count} deliveries arrived")
        time.sleep(0.05)


def _rate(
    endpoint: Receiver,
    database: str,
    user_id: str,
    workers: int,
    count: int,
    cwd: Path,
    env: dict[str, str],
) -> dict[str, float]:
    before = len(endpoint.requests)
    with psycopg.connect(database) as connection:
        connection.execute(_QUEUE, {"user_id": user_id, "count": count, "tag": f"w{workers}"})
    with _workers(workers, cwd, env):
        _wait_for(endpoint, before + count)
    arrivals = [r.at for r in endpoint.requests[before:]]
    seconds = max(arrivals) - min(arrivals)
    ids = [r.headers["webhook-id"] for r in endpoint.requests[before:]]
    return {
        "workers": workers,
        "deliveries": count,
        "duplicates": len(ids) - len(set(ids)),
        "seconds": round(seconds, 2),
        "per_second": round((count - 1) / seconds, 1),
    }


def _wait_until_healthy(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the worker did not become healthy")


def _latency(
    endpoint: Receiver, client: httpx.Client, bearer: dict[str, str], cwd: Path, env: dict[str, str]
) -> dict[str, float]:
    committed: dict[int, float] = {}
    port = free_port()
    with _workers(1, cwd, env, "--port", str(port)):
        # Up and idle: its first round done. (A fixed 3 s sleep was not always enough on this
        # machine: the first tasks then waited for the worker to start, the earlier p95.)
        _wait_until_healthy(port)
        time.sleep(1)
        before = len(endpoint.requests)
        for n in range(100):
            task = client.post("/api/v1/tasks", headers=bearer, json={"title": f"live {n}"})
            committed[task.json()["id"]] = time.monotonic()
            time.sleep(0.05)
        _wait_for(endpoint, before + 100)
    latencies = sorted(
        (r.at - committed[json.loads(r.body)["data"]["id"]]) * 1000
        for r in endpoint.requests[before:]
    )
    return {
        "tasks": 100,
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[94], 1),
        "max_ms": round(latencies[-1], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    options = parser.parse_args()
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        database, env = stack.enter_context(
            migrated_database("todo_worker", out, secrets.token_hex(32), "WARNING")
        )
        env.update(
            APP_ENV="test",
            WEBHOOK_ALLOW_PRIVATE="true",
            IN_PROCESS_WORKER="false",
            WORKER_POLL_SECONDS="0.1",
        )
        url = stack.enter_context(running_server(out, env))
        endpoint = stack.enter_context(receiver())
        client = stack.enter_context(httpx.Client(base_url=url, timeout=30))
        client.post(
            "/api/v1/auth/register", json={"email": "w@bench.example", "password": PASSWORD}
        )
        token = client.post(
            "/api/v1/auth/login", data={"username": "w@bench.example", "password": PASSWORD}
        ).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        user_id = client.get("/api/v1/auth/me", headers=bearer).json()["id"]
        client.post(
            "/api/v1/webhooks",
            headers=bearer,
            json={"url": endpoint.url, "events": ["task.created"]},
        ).raise_for_status()
        results = {
            "method": "todo-api worker processes on this machine, Postgres and a threaded"
            " http.server receiver on loopback; APP_ENV=test, WORKER_POLL_SECONDS=0.1",
            "one_worker": _rate(endpoint, database, user_id, 1, 2000, out, env),
            "two_workers": _rate(endpoint, database, user_id, 2, 4000, out, env),
            "latency": _latency(endpoint, client, bearer, out, env),
        }
    (out / "worker.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
