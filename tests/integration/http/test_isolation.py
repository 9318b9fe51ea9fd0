"""User B sees user A's tasks and tags exactly as if they did not exist."""

from __future__ import annotations

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.http.conftest import assert_error, signed_in
from todo_api.adapters.persistence.tables import tags, tasks, users


async def test_every_operation_on_another_users_task_or_tag_is_404(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client, "ann@example.com")
    bob = await signed_in(client, "bob@example.com")
    tag = (await client.post("/api/v1/tags", headers=ann, json={"name": "work"})).json()["id"]
    task = (
        await client.post("/api/v1/tasks", headers=ann, json={"title": "secret", "tag_ids": [tag]})
    ).json()["id"]
    bob_task = (await client.post("/api/v1/tasks", headers=bob, json={"title": "b"})).json()["id"]
    bob_tag = (await client.post("/api/v1/tags", headers=bob, json={"name": "b"})).json()["id"]

    t, g = f"/api/v1/tasks/{task}", f"/api/v1/tags/{tag}"
    for method, url, body, code in [
        ("GET", t, None, "TASK_NOT_FOUND"),
        ("PUT", t, {"title": "mine now"}, "TASK_NOT_FOUND"),
        ("PATCH", t, {"title": "mine now"}, "TASK_NOT_FOUND"),
        ("DELETE", t, None, "TASK_NOT_FOUND"),
        ("POST", f"{t}/tags/{bob_tag}", None, "TASK_NOT_FOUND"),
        ("DELETE", f"{t}/tags/{bob_tag}", None, "TASK_NOT_FOUND"),
        ("POST", f"/api/v1/tasks/{bob_task}/tags/{tag}", None, "TAG_NOT_FOUND"),
        ("DELETE", f"/api/v1/tasks/{bob_task}/tags/{tag}", None, "TAG_NOT_FOUND"),
        ("PUT", g, {"name": "mine"}, "TAG_NOT_FOUND"),
        ("PATCH", g, {"name": "mine"}, "TAG_NOT_FOUND"),
        ("DELETE", g, None, "TAG_NOT_FOUND"),
        ("POST", "/api/v1/tasks", {"title": "x", "tag_ids": [tag]}, "TAG_NOT_FOUND"),
        ("PATCH", f"/api/v1/tasks/{bob_task}", {"tag_ids": [tag]}, "TAG_NOT_FOUND"),
    ]:
        response = await client.request(method, url, headers=bob, json=body)
        assert_error(response, 404, code)

    listed = (await client.get("/api/v1/tasks", headers=bob)).json()
    assert [i["id"] for i in listed["items"]] == [bob_task]
    assert (await client.get(f"/api/v1/tasks?tag={tag}", headers=bob)).json()["total"] == 0
    assert [x["id"] for x in (await client.get("/api/v1/tags", headers=bob)).json()] == [bob_tag]
    still = (await client.get(t, headers=ann)).json()
    assert still["title"] == "secret" and still["tags"][0]["id"] == tag


async def test_a_user_id_in_the_body_is_refused_and_has_no_effect(
    client: httpx.AsyncClient, pg_engine: AsyncEngine
) -> None:
    ann = await signed_in(client, "ann@example.com")
    bob = await signed_in(client, "bob@example.com")
    bob_id = (await client.get("/api/v1/auth/me", headers=bob)).json()["id"]
    forced = await client.post("/api/v1/tasks", headers=ann, json={"title": "t", "user_id": bob_id})
    assert_error(forced, 422, "VALIDATION_ERROR", "user_id")
    task = (await client.post("/api/v1/tasks", headers=ann, json={"title": "t"})).json()
    patched = await client.patch(
        f"/api/v1/tasks/{task['id']}", headers=ann, json={"user_id": bob_id}
    )
    assert_error(patched, 422, "VALIDATION_ERROR", "user_id")
    tagged = await client.post("/api/v1/tags", headers=ann, json={"name": "n", "user_id": bob_id})
    assert_error(tagged, 422, "VALIDATION_ERROR", "user_id")
    async with pg_engine.connect() as connection:
        owners = set(
            await connection.scalars(
                sa.select(users.c.email)
                .join(tasks, tasks.c.user_id == users.c.id)
                .union(sa.select(users.c.email).join(tags, tags.c.user_id == users.c.id))
            )
        )
    assert owners == {"ann@example.com"}
    assert (await client.get("/api/v1/tasks", headers=bob)).json()["total"] == 0


async def test_deleting_a_user_removes_their_tasks_tags_and_links(
    client: httpx.AsyncClient, pg_engine: AsyncEngine
) -> None:
    ann = await signed_in(client, "ann@example.com")
    tag = (await client.post("/api/v1/tags", headers=ann, json={"name": "w"})).json()["id"]
    await client.post("/api/v1/tasks", headers=ann, json={"title": "t", "tag_ids": [tag]})
    async with pg_engine.begin() as connection:
        await connection.execute(users.delete())
    async with pg_engine.connect() as connection:
        for table in ("tasks", "tags", "task_tag_link", "sessions"):
            count = await connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            assert count == 0, table
