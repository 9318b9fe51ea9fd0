"""Two server processes on one Postgres, clients racing through both (issue 12, SPEC 13): a
client that syncs in a loop while others write ends with exactly the server's state, and
duplicates of one idempotent create sent at once act once."""

from __future__ import annotations

import asyncio
import random
import secrets
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import create_database
from tests.support.processes import base_env, run_cli, running_server

PASSWORD = "correct horse battery"
WRITERS = 4
OPERATIONS = 40


@pytest.fixture(scope="module")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: str
) -> Iterator[tuple[str, str]]:
    workdir = Path(tmp_path_factory.mktemp("sync"))
    env = base_env(
        APP_ENV="production",
        DATABASE_URL=create_database(postgres_server, "todo_sync"),
        JWT_SECRET_KEY=secrets.token_hex(32),
        BCRYPT_ROUNDS="4",
    )
    run_cli("db", "upgrade", cwd=workdir, env=env)
    with ExitStack() as stack:
        first = stack.enter_context(running_server(workdir, env))
        second = stack.enter_context(running_server(workdir, env))
        yield first, second


def _state(task: dict[str, Any]) -> tuple[object, ...]:
    return (
        task["title"],
        task["completed"],
        task["version"],
        sorted(t["id"] for t in task["tags"]),
    )


async def _writer(
    client: httpx.AsyncClient, servers: tuple[str, str], tag_ids: list[int], seed: int
) -> None:
    rng = random.Random(seed)
    mine: list[int] = []
    for n in range(OPERATIONS):
        base = f"{servers[n % 2]}/api/v1/tasks"
        action = rng.choice(["create", "create", "patch", "tag", "delete"]) if mine else "create"
        if action == "create":
            body = {"title": f"w{seed}-{n}", "tag_ids": rng.sample(tag_ids, rng.randint(0, 2))}
            response = await client.post(base, json=body)
            assert response.status_code == 201, response.text
            mine.append(response.json()["id"])
        elif action == "patch":
            body = {"title": f"w{seed}-{n}-changed", "completed": rng.random() < 0.5}
            assert (await client.patch(f"{base}/{rng.choice(mine)}", json=body)).status_code == 200
        elif action == "tag":
            url = f"{base}/{rng.choice(mine)}/tags/{rng.choice(tag_ids)}"
            assert (await client.post(url)).status_code in (200, 201)
        else:
            victim = mine.pop(rng.randrange(len(mine)))
            assert (await client.delete(f"{base}/{victim}")).status_code == 204


async def _sync_once(
    client: httpx.AsyncClient, server: str, since: str, local: dict[int, Any]
) -> tuple[str, int]:
    response = await client.get(f"{server}/api/v1/tasks/changes", params={"since": since})
    assert response.status_code == 200, response.text
    page = response.json()
    for task in page["changes"]:
        local[task["id"]] = _state(task)
    for task_id in page["deleted"]:
        local.pop(task_id, None)
    return page["next_since"], len(page["changes"]) + len(page["deleted"])


async def _everything(client: httpx.AsyncClient, server: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    cursor: str | None = ""
    while cursor is not None:
        params = {"cursor": cursor, "limit": 100}
        page = (await client.get(f"{server}/api/v1/tasks", params=params)).json()
        found |= {task["id"]: _state(task) for task in page["items"]}
        cursor = page["next_cursor"]
    return found


async def _sign_in(client: httpx.AsyncClient, servers: tuple[str, str], email: str) -> None:
    """Register through one server, log in through the other, send the token from now on."""
    credentials = {"email": email, "password": PASSWORD}
    await client.post(f"{servers[0]}/api/v1/auth/register", json=credentials)
    login = await client.post(
        f"{servers[1]}/api/v1/auth/login", data={"username": email, "password": PASSWORD}
    )
    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"


async def test_a_syncing_client_ends_with_the_servers_state(
    two_servers: tuple[str, str],
) -> None:
    first, second = two_servers
    async with httpx.AsyncClient(timeout=30) as client:
        await _sign_in(client, two_servers, "sync@example.com")
        tag_ids = [
            (await client.post(f"{first}/api/v1/tags", json={"name": f"tag{n}"})).json()["id"]
            for n in range(3)
        ]
        local: dict[int, Any] = {}
        since = ""
        writers = asyncio.gather(
            *(_writer(client, two_servers, tag_ids, seed) for seed in range(WRITERS))
        )
        syncs = 0
        while not writers.done():
            since, _ = await _sync_once(client, two_servers[syncs % 2], since, local)
            syncs += 1
            await asyncio.sleep(0.01)
        await writers
        # Deleting a tag changes the tasks that carried it.
        assert (await client.delete(f"{second}/api/v1/tags/{tag_ids[0]}")).status_code == 204
        while True:
            since, delivered = await _sync_once(client, first, since, local)
            if delivered == 0:
                break
        assert syncs > 3, "the writers finished before the client could sync alongside them"
        server_state = await _everything(client, second)
        assert server_state and local == server_state


async def test_simultaneous_duplicates_on_two_workers_create_once(
    two_servers: tuple[str, str],
) -> None:
    _, second = two_servers
    async with httpx.AsyncClient(timeout=30) as client:
        await _sign_in(client, two_servers, "twice@example.com")
        for attempt in range(5):
            key = {"Idempotency-Key": f"pay-rent-{attempt}"}
            responses = await asyncio.gather(
                *(
                    client.post(
                        f"{two_servers[n % 2]}/api/v1/tasks", headers=key, json={"title": "rent"}
                    )
                    for n in range(8)
                )
            )
            assert {r.status_code for r in responses} == {201}
            assert len({r.json()["id"] for r in responses}) == 1
            assert sum("idempotent-replayed" not in r.headers for r in responses) == 1
        listed = (await client.get(f"{second}/api/v1/tasks")).json()
        assert listed["total"] == 5
