"""The MCP tool server through the SDK's own client (SPEC 16): `todo-api mcp` over stdio and
/mcp over streamable HTTP on a real server, both on Postgres, each completing a task workflow
with a scoped token: add, tag, list overdue, complete a recurring task and see the next
occurrence; scope refusals, another user's task invisible, a token deleted mid-session refused."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.conftest import create_database
from tests.support.processes import TODO_API, base_env, run_cli, running_server

PASSWORD = "correct horse battery"
TOOLS = {
    "add_task",
    "list_tasks",
    "get_task",
    "update_task",
    "complete_task",
    "delete_task",
    "search_tasks",
    "get_overdue_tasks",
    "get_upcoming_tasks",
    "list_tags",
    "create_tag",
    "tag_task",
    "untag_task",
}
WORK = ["tasks:read", "tasks:write", "tags:read", "tags:write"]


class Api:
    """The HTTP API, to sign up and make tokens as a user would."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=10)

    def session(self, email: str) -> dict[str, str]:
        self.client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        login = {"username": email, "password": PASSWORD}
        token = self.client.post("/api/v1/auth/login", data=login).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}

    def token(self, session: dict[str, str], *scopes: str) -> tuple[str, int]:
        body = {"name": "agent", "scopes": list(scopes)}
        made = self.client.post("/api/v1/auth/tokens", headers=session, json=body).json()
        return made["token"], made["id"]

    def revoke(self, session: dict[str, str], token_id: int) -> None:
        response = self.client.delete(f"/api/v1/auth/tokens/{token_id}", headers=session)
        assert response.status_code == 204


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: str
) -> Iterator[tuple[Api, dict[str, str]]]:
    # One server for the module (each test signs up users of its own): start-up is most of
    # the cost.
    tmp_path = tmp_path_factory.mktemp("mcp")
    env = base_env(
        APP_ENV="test",
        DATABASE_URL=create_database(postgres_server, "todo_mcp"),
        JWT_SECRET_KEY=secrets.token_hex(32),
        BCRYPT_ROUNDS="4",
        RATE_LIMIT_ENABLED="false",
        IN_PROCESS_WORKER="false",
    )
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env) as url:
        yield Api(url), env


def _stdio(env: dict[str, str], token: str, log: Path) -> AbstractAsyncContextManager[Any]:
    parameters = StdioServerParameters(
        command=str(TODO_API), args=["mcp"], env={**env, "TODO_API_TOKEN": token}
    )
    return stdio_client(parameters, errlog=log.open("w"))


@asynccontextmanager
async def _http(url: str, token: str) -> AsyncIterator[Any]:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as client,
        streamable_http_client(f"{url}/mcp", http_client=client) as streams,
    ):
        yield streams


@asynccontextmanager
async def _session(transport: AbstractAsyncContextManager[Any]) -> AsyncIterator[ClientSession]:
    async with transport as streams, ClientSession(streams[0], streams[1]) as session:
        await session.initialize()
        yield session


async def _call(session: ClientSession, tool: str, **arguments: Any) -> Any:
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, result.content
    return result.structured_content


async def _refused(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await session.call_tool(tool, arguments)
    assert result.is_error
    error: dict[str, Any] = json.loads(result.content[0].text)
    return error


async def _workflow(session: ClientSession) -> None:
    listed = await session.list_tools()
    assert {tool.name for tool in listed.tools} == TOOLS
    add = next(tool for tool in listed.tools if tool.name == "add_task")
    assert (
        add.input_schema["required"] == ["title"] and "reminders" in add.input_schema["properties"]
    )
    assert "tasks:write" in (add.description or "")

    yesterday = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    task = await _call(
        session,
        "add_task",
        title="Water the plants",
        due_date=yesterday.isoformat(),
        recurrence_rule="FREQ=DAILY",
        priority="high",
    )
    tag = await _call(session, "create_tag", name="home")
    tagged = await _call(session, "tag_task", task_id=task["id"], tag_id=tag["id"])
    assert [t["name"] for t in tagged["tags"]] == ["home"]
    overdue = await _call(session, "get_overdue_tasks")
    assert [t["id"] for t in overdue["items"]] == [task["id"]]
    assert (await _call(session, "list_tasks", tag=["home"], priority="high"))["total"] == 1
    assert (await _call(session, "search_tasks", q="plants"))["items"][0]["id"] == task["id"]

    done = await _call(session, "complete_task", task_id=task["id"])
    assert done["task"]["completed"] is True
    following = done["next_occurrence"]
    assert following["title"] == "Water the plants" and following["completed"] is False
    assert following["tags"] == tagged["tags"]
    assert datetime.fromisoformat(following["due_date"]) > datetime.fromisoformat(task["due_date"])
    assert (await _call(session, "get_overdue_tasks"))["total"] == 0
    upcoming = await _call(session, "get_upcoming_tasks", due_within=2)
    assert [t["id"] for t in upcoming["items"]] == [following["id"]]
    renamed = await _call(session, "update_task", task_id=following["id"], title="Water ferns")
    assert renamed["title"] == "Water ferns"
    assert (await _call(session, "untag_task", task_id=following["id"], tag_id=tag["id"]))[
        "tags"
    ] == []
    assert (await _call(session, "list_tags"))["tags"][0]["name"] == "home"
    assert (await _call(session, "delete_task", task_id=task["id"])) == {"deleted": task["id"]}

    missing = await _refused(session, "get_task", task_id=task["id"])
    assert missing["code"] == "TASK_NOT_FOUND"
    bad = await _refused(session, "add_task", title="x", priority="urgent")
    assert (bad["code"], bad["field"]) == ("INVALID_PRIORITY", "priority")
    assert (await _refused(session, "get_task", task_id="1"))["code"] == "VALIDATION_ERROR"
    assert (await _refused(session, "list_tasks", sort="sideways"))["code"] == "INVALID_SORT_FIELD"


@pytest.mark.parametrize("transport", ["stdio", "http"])
async def test_an_agent_completes_a_task_workflow_with_a_scoped_token(
    served: tuple[Api, dict[str, str]], transport: str, tmp_path: Path
) -> None:
    api, env = served
    ann = api.session(f"ann-{transport}@example.com")
    bob = api.session(f"bob-{transport}@example.com")
    bobs_task = api.client.post("/api/v1/tasks", headers=bob, json={"title": "bob's"}).json()
    token, token_id = api.token(ann, *WORK)
    reader, _ = api.token(ann, "tasks:read")

    def connect(secret: str) -> AbstractAsyncContextManager[Any]:
        if transport == "stdio":
            return _stdio(env, secret, tmp_path / f"mcp-{secrets.token_hex(4)}.log")
        return _http(str(api.client.base_url).rstrip("/"), secret)

    async with _session(connect(token)) as session:
        await _workflow(session)
        invisible = await _refused(session, "get_task", task_id=bobs_task["id"])
        assert invisible["code"] == "TASK_NOT_FOUND"
        api.revoke(ann, token_id)
        if transport == "stdio":
            revoked = await _refused(session, "list_tasks")
            assert revoked["code"] == "INVALID_TOKEN"
        else:
            # Over HTTP the endpoint answers 401 before any tool runs (the next test reads it).
            with pytest.raises(MCPError):
                await session.call_tool("list_tasks", {})

    async with _session(connect(reader)) as session:
        assert (await _call(session, "list_tasks"))["total"] == 1
        refused = await _refused(session, "add_task", title="not allowed")
        assert refused["code"] == "INSUFFICIENT_SCOPE" and "tasks:write" in refused["detail"]
        assert (await _refused(session, "list_tags"))["code"] == "INSUFFICIENT_SCOPE"


def test_the_http_endpoint_refuses_a_request_without_a_valid_token(
    served: tuple[Api, dict[str, str]],
) -> None:
    api, _ = served
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    headers = {"Accept": "application/json, text/event-stream"}
    for auth in ({}, {"Authorization": "Bearer todo_pat_notarealtokenatall"}):
        response = api.client.post("/mcp", json=body, headers={**headers, **auth})
        assert response.status_code == 401
        assert response.json()["code"] in ("MISSING_TOKEN", "INVALID_TOKEN")
        assert response.headers["www-authenticate"] == "Bearer"
