"""A bounded mixed workload against a real server: no 5xx, no lost write, bounded memory."""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.conftest import create_database
from tests.support.processes import base_env, run_cli, running_server

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "25"))
CLIENTS = 12
PASSWORD = "correct horse battery"
# Growth allowed between the end of warm-up and the end of the soak.
RSS_GROWTH_LIMIT_MB = 40


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


async def _run(
    url: str, phase: str, seconds: float, statuses: Counter[int], created: list[int]
) -> None:
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(_client_loop(url, f"{phase}{n}", deadline, statuses, created) for n in range(CLIENTS))
    )


async def _client_loop(
    url: str, name: str, deadline: float, statuses: Counter[int], created: list[int]
) -> None:
    rng = random.Random(name)
    async with httpx.AsyncClient(base_url=url, timeout=15) as client:
        email = f"{name}@example.com"
        await client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        login = await client.post(
            "/api/v1/auth/login", data={"username": email, "password": PASSWORD}
        )
        bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
        cookie = login.cookies["refresh_token"]
        tag = (await client.post("/api/v1/tags", headers=bearer, json={"name": "soak"})).json()
        mine: list[int] = []
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.35:
                response = await client.post(
                    "/api/v1/tasks",
                    headers=bearer,
                    json={
                        "title": f"soak {len(mine)}",
                        "tag_ids": [tag["id"]] if roll < 0.1 else [],
                    },
                )
                if response.status_code == 201:
                    mine.append(response.json()["id"])
            elif roll < 0.55 and mine:
                response = await client.patch(
                    f"/api/v1/tasks/{rng.choice(mine)}",
                    headers=bearer,
                    json={"priority": rng.choice(["low", "medium", "high"])},
                )
            elif roll < 0.8:
                response = await client.get(
                    f"/api/v1/tasks?limit=20&sort={rng.choice(['title', '-due_date', 'priority'])}",
                    headers=bearer,
                )
            elif roll < 0.95:
                response = await client.get("/api/v1/auth/me", headers=bearer)
            else:
                response = await client.post(
                    "/api/v1/auth/refresh", headers={"Cookie": f"refresh_token={cookie}"}
                )
                if response.status_code == 200:
                    cookie = response.cookies["refresh_token"]
                    bearer = {"Authorization": f"Bearer {response.json()['access_token']}"}
            statuses[response.status_code] += 1
        created.extend(mine)


def test_a_mixed_workload_loses_nothing(tmp_path: Path, postgres_server: str) -> None:
    database_url = create_database(postgres_server, "todo_soak")
    env = base_env(
        APP_ENV="production",
        DATABASE_URL=database_url,
        JWT_SECRET_KEY=secrets.token_hex(32),
        BCRYPT_ROUNDS="4",
        RATE_LIMIT_ENABLED="false",
    )
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    processes: list[subprocess.Popen[bytes]] = []
    with running_server(tmp_path, env, processes=processes) as url:
        pid = processes[0].pid
        warm_created: list[int] = []
        asyncio.run(_run(url, "warm", 5.0, Counter(), warm_created))
        rss_before = _rss_mb(pid)
        statuses: Counter[int] = Counter()
        created: list[int] = []
        started = time.monotonic()
        asyncio.run(_run(url, "soak", SOAK_SECONDS, statuses, created))
        elapsed = time.monotonic() - started
        rss_after = _rss_mb(pid)

    assert sum(statuses.values()) > 1000, statuses
    assert not any(status >= 500 for status in statuses), statuses
    assert set(statuses) <= {200, 201}, statuses
    count = subprocess.run(
        [
            "psql",
            database_url.replace("postgresql+psycopg://", "postgresql://"),
            "-tAc",
            "SELECT count(*) FROM tasks WHERE title LIKE 'soak %'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Every acknowledged create is there (warm-up included), and nothing else.
    assert int(count) == len(created) + len(warm_created)
    assert rss_after - rss_before < RSS_GROWTH_LIMIT_MB, (rss_before, rss_after)
    print(
        f"soak: {sum(statuses.values())} requests in {elapsed:.0f} s, {dict(statuses)}, "
        f"{len(created)} tasks created and all found, RSS {rss_before:.0f} -> {rss_after:.0f} MB"
    )
