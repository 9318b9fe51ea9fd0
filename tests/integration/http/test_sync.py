"""Delta sync over HTTP: GET /tasks/changes (issue 12, SPEC 13)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.http.conftest import assert_error, signed_in

CHANGES = "/api/v1/tasks/changes"


async def _sync(
    client: httpx.AsyncClient, headers: dict[str, str], since: str, limit: int = 100
) -> dict[str, Any]:
    response = await client.get(CHANGES, params={"since": since, "limit": limit}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"changes", "deleted", "next_since"}
    return body


async def test_a_client_follows_creations_changes_tag_links_and_deletions(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client)
    first = await client.post("/api/v1/tasks", headers=ann, json={"title": "one"})
    second = await client.post("/api/v1/tasks", headers=ann, json={"title": "two"})
    one, two = first.json()["id"], second.json()["id"]
    initial = await _sync(client, ann, "")
    assert [t["title"] for t in initial["changes"]] == ["one", "two"]
    assert initial["deleted"] == []

    nothing = await _sync(client, ann, initial["next_since"])
    assert (nothing["changes"], nothing["deleted"]) == ([], [])

    tag = (await client.post("/api/v1/tags", headers=ann, json={"name": "work"})).json()
    await client.post(f"/api/v1/tasks/{two}/tags/{tag['id']}", headers=ann)
    await client.delete(f"/api/v1/tasks/{one}", headers=ann)
    later = await _sync(client, ann, nothing["next_since"])
    assert [(t["id"], [g["name"] for g in t["tags"]]) for t in later["changes"]] == [
        (two, ["work"])
    ]
    assert later["deleted"] == [one]

    # Deleting the tag changes the task that carried it.
    await client.delete(f"/api/v1/tags/{tag['id']}", headers=ann)
    after_tag = await _sync(client, ann, later["next_since"])
    assert [(t["id"], t["tags"]) for t in after_tag["changes"]] == [(two, [])]


async def test_pages_of_a_sync_follow_each_other(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    for n in range(5):
        await client.post("/api/v1/tasks", headers=ann, json={"title": f"t{n}"})
    seen: list[str] = []
    since = ""
    while True:
        page = await _sync(client, ann, since, limit=2)
        seen += [t["title"] for t in page["changes"]]
        since = page["next_since"]
        if not page["changes"]:
            break
    assert seen == [f"t{n}" for n in range(5)]


async def test_another_users_changes_never_appear(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    bob = await signed_in(client, "bob@example.com")
    task = (await client.post("/api/v1/tasks", headers=bob, json={"title": "bob's"})).json()
    await client.delete(f"/api/v1/tasks/{task['id']}", headers=bob)
    start = await _sync(client, ann, "")
    await client.post("/api/v1/tasks", headers=bob, json={"title": "bob's again"})
    assert (await _sync(client, ann, start["next_since"]))["changes"] == []
    assert start["changes"] == [] and start["deleted"] == []


async def test_a_tampered_token_is_refused(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    token = (await _sync(client, ann, ""))["next_since"]
    # A character inside the payload: every one of its bits is data.
    altered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    response = await client.get(CHANGES, params={"since": altered}, headers=ann)
    assert_error(response, 400, "INVALID_SYNC_TOKEN", "since")
    assert_error(
        await client.get(CHANGES, params={"since": "x"}, headers=ann), 400, "INVALID_SYNC_TOKEN"
    )
