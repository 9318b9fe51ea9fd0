"""Versions, ETag and If-Match on tasks and tags; GET /tags/{id} (issue 12, SPEC 13 and 4)."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in


async def test_get_tag_by_id(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    created = await client.post("/api/v1/tags", headers=ann, json={"name": "work"})
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    tag_id = created.json()["id"]
    shown = await client.get(f"/api/v1/tags/{tag_id}", headers=ann)
    assert shown.status_code == 200
    assert shown.json() == {"id": tag_id, "name": "work", "color": None, "version": 1}
    assert shown.headers["etag"] == '"1"'
    bob = await signed_in(client, "bob@example.com")
    assert_error(await client.get(f"/api/v1/tags/{tag_id}", headers=bob), 404, "TAG_NOT_FOUND")
    assert_error(await client.get("/api/v1/tags/x", headers=ann), 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("kind", ["tasks", "tags"])
async def test_every_write_bumps_the_version_and_the_etag(
    client: httpx.AsyncClient, kind: str
) -> None:
    ann = await signed_in(client)
    url = f"/api/v1/{kind}"
    body = {"title": "t"} if kind == "tasks" else {"name": "n"}
    change = {"title": "u"} if kind == "tasks" else {"name": "m"}
    item = (await client.post(url, headers=ann, json=body)).json()
    assert item["version"] == 1
    patched = await client.patch(f"{url}/{item['id']}", headers=ann, json=change)
    assert patched.json()["version"] == 2 and patched.headers["etag"] == '"2"'
    replaced = await client.put(f"{url}/{item['id']}", headers=ann, json=body)
    assert replaced.json()["version"] == 3
    shown = await client.get(f"{url}/{item['id']}", headers=ann)
    assert shown.headers["etag"] == '"3"'


@pytest.mark.parametrize("kind", ["tasks", "tags"])
async def test_if_match_refuses_a_stale_write_and_names_the_current_version(
    client: httpx.AsyncClient, kind: str
) -> None:
    ann = await signed_in(client)
    url = f"/api/v1/{kind}"
    body = {"title": "t"} if kind == "tasks" else {"name": "n"}
    item_url = f"{url}/{(await client.post(url, headers=ann, json=body)).json()['id']}"
    etag = (await client.get(item_url, headers=ann)).headers["etag"]
    # Another device changes it first.
    other = {"title": "phone"} if kind == "tasks" else {"name": "phone"}
    assert (await client.patch(item_url, headers=ann, json=other)).status_code == 200
    for send in (
        client.patch(item_url, headers={**ann, "If-Match": etag}, json=body),
        client.put(item_url, headers={**ann, "If-Match": etag}, json=body),
        client.delete(item_url, headers={**ann, "If-Match": etag}),
        client.delete(item_url, headers={**ann, "If-Match": 'W/"2"'}),
    ):
        refused = await send
        assert refused.status_code == 412, refused.text
        assert refused.json()["code"] == "PRECONDITION_FAILED"
        assert refused.json()["version"] == 2 and refused.headers["etag"] == '"2"'
    # Nothing was lost: the phone's change stands.
    shown = (await client.get(item_url, headers=ann)).json()
    assert shown["version"] == 2 and (shown.get("title") or shown.get("name")) == "phone"
    fresh = await client.patch(item_url, headers={**ann, "If-Match": '"1", "2"'}, json=body)
    assert fresh.status_code == 200 and fresh.json()["version"] == 3
    assert (await client.delete(item_url, headers={**ann, "If-Match": "*"})).status_code == 204
    assert_error(
        await client.delete(item_url, headers={**ann, "If-Match": "*"}),
        404,
        "TASK_NOT_FOUND" if kind == "tasks" else "TAG_NOT_FOUND",
    )


async def test_without_if_match_the_last_write_wins(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    task = (await client.post("/api/v1/tasks", headers=ann, json={"title": "t"})).json()
    for title in ("a", "b"):
        response = await client.patch(
            f"/api/v1/tasks/{task['id']}", headers=ann, json={"title": title}
        )
        assert response.status_code == 200
    assert (await client.get(f"/api/v1/tasks/{task['id']}", headers=ann)).json()["title"] == "b"


async def test_linking_a_tag_is_a_change_of_the_task(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    task = (await client.post("/api/v1/tasks", headers=ann, json={"title": "t"})).json()
    tag = (await client.post("/api/v1/tags", headers=ann, json={"name": "n"})).json()
    linked = await client.post(f"/api/v1/tasks/{task['id']}/tags/{tag['id']}", headers=ann)
    assert linked.json()["version"] == 2


async def test_renaming_a_tag_gives_its_tasks_a_new_etag(client: httpx.AsyncClient) -> None:
    """A strong ETag names one representation: the task shows its tag's name, so a rename is a
    new version of the task, and an If-Match with the version read before it is refused."""
    ann = await signed_in(client)
    task = (await client.post("/api/v1/tasks", headers=ann, json={"title": "t"})).json()
    tag = (await client.post("/api/v1/tags", headers=ann, json={"name": "old"})).json()
    await client.post(f"/api/v1/tasks/{task['id']}/tags/{tag['id']}", headers=ann)
    before = await client.get(f"/api/v1/tasks/{task['id']}", headers=ann)
    await client.patch(f"/api/v1/tags/{tag['id']}", headers=ann, json={"name": "new"})
    after = await client.get(f"/api/v1/tasks/{task['id']}", headers=ann)
    assert [g["name"] for g in after.json()["tags"]] == ["new"]
    assert after.headers["etag"] != before.headers["etag"]
    stale = await client.patch(
        f"/api/v1/tasks/{task['id']}",
        headers={**ann, "If-Match": before.headers["etag"]},
        json={"title": "u"},
    )
    assert stale.status_code == 412 and stale.json()["code"] == "PRECONDITION_FAILED"
    assert stale.headers["etag"] == after.headers["etag"]
