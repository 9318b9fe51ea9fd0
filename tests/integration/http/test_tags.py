"""Every tag endpoint, status and code, on Postgres."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in

TAGS = "/api/v1/tags"


@pytest.fixture
async def ann(client: httpx.AsyncClient) -> dict[str, str]:
    return await signed_in(client, "ann@example.com")


async def test_create_list_update_delete(client: httpx.AsyncClient, ann: dict[str, str]) -> None:
    created = await client.post(TAGS, headers=ann, json={"name": "  work ", "color": "#00ff00"})
    assert created.status_code == 201
    tag = created.json()
    assert tag == {"id": tag["id"], "name": "work", "color": "#00FF00", "version": 1}
    await client.post(TAGS, headers=ann, json={"name": "Alpha"})
    assert [t["name"] for t in (await client.get(TAGS, headers=ann)).json()] == ["Alpha", "work"]

    url = f"{TAGS}/{tag['id']}"
    patched = (await client.patch(url, headers=ann, json={"color": None})).json()
    assert (patched["name"], patched["color"]) == ("work", None)
    replaced = (await client.put(url, headers=ann, json={"name": "Job", "color": "#123456"})).json()
    assert (replaced["name"], replaced["color"]) == ("Job", "#123456")
    cleared = (await client.put(url, headers=ann, json={"name": "Job"})).json()
    assert cleared["color"] is None

    assert (await client.delete(url, headers=ann)).status_code == 204
    assert_error(await client.delete(url, headers=ann), 404, "TAG_NOT_FOUND")
    assert_error(await client.patch(url, headers=ann, json={"name": "x"}), 404, "TAG_NOT_FOUND")


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"name": ""}, 400, "INVALID_TAG_NAME", "name"),
        ({"name": "n" * 51}, 400, "INVALID_TAG_NAME", "name"),
        ({"name": "ok", "color": "red"}, 400, "INVALID_COLOR", "color"),
        ({}, 422, "VALIDATION_ERROR", "name"),
    ],
)
async def test_invalid_tags_are_refused(
    client: httpx.AsyncClient, ann: dict[str, str], body: dict, status: int, code: str, field: str
) -> None:
    assert_error(await client.post(TAGS, headers=ann, json=body), status, code, field)


async def test_a_name_taken_in_any_case_is_refused(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    await client.post(TAGS, headers=ann, json={"name": "Work"})
    assert_error(
        await client.post(TAGS, headers=ann, json={"name": "WORK"}),
        400,
        "TAG_ALREADY_EXISTS",
        "name",
    )
    other = (await client.post(TAGS, headers=ann, json={"name": "Home"})).json()
    renamed = await client.patch(f"{TAGS}/{other['id']}", headers=ann, json={"name": "work"})
    assert_error(renamed, 400, "TAG_ALREADY_EXISTS", "name")


async def test_twelve_simultaneous_creations_of_one_name_give_one_tag(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    responses = await asyncio.gather(
        *(client.post(TAGS, headers=ann, json={"name": "Race"}) for _ in range(12))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [400] * 11
    for response in responses:
        if response.status_code == 400:
            assert response.json()["code"] == "TAG_ALREADY_EXISTS"
    assert len((await client.get(TAGS, headers=ann)).json()) == 1


async def test_deleting_a_tag_keeps_its_tasks(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    tag = (await client.post(TAGS, headers=ann, json={"name": "work"})).json()
    task = (
        await client.post("/api/v1/tasks", headers=ann, json={"title": "t", "tag_ids": [tag["id"]]})
    ).json()
    await client.delete(f"{TAGS}/{tag['id']}", headers=ann)
    kept = await client.get(f"/api/v1/tasks/{task['id']}", headers=ann)
    assert kept.status_code == 200 and kept.json()["tags"] == []
