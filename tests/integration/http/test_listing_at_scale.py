"""The listing parameters of the second stage over HTTP: filters, cursor pages, their errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in

TASKS = "/api/v1/tasks"


async def _titles(client: httpx.AsyncClient, headers: dict[str, str], query: str) -> list[str]:
    response = await client.get(f"{TASKS}?{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()["items"]]


async def test_repeatable_tags_with_a_mode(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    work = (await client.post("/api/v1/tags", headers=ann, json={"name": "work"})).json()["id"]
    home = (await client.post("/api/v1/tags", headers=ann, json={"name": "home"})).json()["id"]
    for title, tag_ids in [("both", [work, home]), ("work", [work]), ("none", [])]:
        await client.post(TASKS, headers=ann, json={"title": title, "tag_ids": tag_ids})
    assert set(await _titles(client, ann, "tag=work&tag=home")) == {"both", "work"}
    assert await _titles(client, ann, f"tag=work&tag={home}&tag_mode=all") == ["both"]
    assert_error(
        await client.get(f"{TASKS}?tag=work&tag_mode=every", headers=ann),
        400,
        "INVALID_TAG_MODE",
        "tag_mode",
    )


async def test_due_filters(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    now = datetime.now(UTC)
    for title, due, done in [
        ("late", now - timedelta(days=1), False),
        ("late, done", now - timedelta(days=1), True),
        ("soon", now + timedelta(days=1), False),
        ("far", now + timedelta(days=30), False),
    ]:
        body = {"title": title, "due_date": due.isoformat(), "completed": done}
        assert (await client.post(TASKS, headers=ann, json=body)).status_code == 201
    assert await _titles(client, ann, "overdue=true") == ["late"]
    assert await _titles(client, ann, "due_within=2") == ["soon"]
    tomorrow = (now + timedelta(days=2)).date().isoformat()
    assert set(await _titles(client, ann, f"due_before={tomorrow}")) == {
        "late",
        "late, done",
        "soon",
    }
    assert await _titles(client, ann, f"due_after={tomorrow}") == ["far"]
    assert await _titles(client, ann, "sort=updated_at&limit=1") == ["late"]


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("due_before=yesterday", "INVALID_DATE", "due_before"),
        ("due_after=2026-13-01", "INVALID_DATE", "due_after"),
        ("updated_after=", "INVALID_DATE", "updated_after"),
        ("overdue=yes", "INVALID_FILTER", "overdue"),
        ("due_within=-1", "INVALID_FILTER", "due_within"),
        ("due_within=99999", "INVALID_FILTER", "due_within"),
        ("sort=relevance", "INVALID_SORT_FIELD", "sort"),
        ("sort=-relevance&q=x", "INVALID_SORT_FIELD", "sort"),
        ("cursor=abc", "INVALID_CURSOR", "cursor"),
        ("cursor=&page=2", "INVALID_PAGINATION", "page"),
        ("paginate=offset", "INVALID_PAGINATION", "paginate"),
    ],
)
async def test_malformed_listing_parameters_are_named(
    client: httpx.AsyncClient, query: str, code: str, field: str
) -> None:
    ann = await signed_in(client)
    assert_error(await client.get(f"{TASKS}?{query}", headers=ann), 400, code, field)


async def test_cursor_pages_walk_everything_once_without_a_total(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client)
    for n in range(7):
        await client.post(TASKS, headers=ann, json={"title": f"task {n}", "priority": "high"})
    for start in ("cursor=", "paginate=cursor"):
        seen: list[str] = []
        response = await client.get(f"{TASKS}?{start}&limit=3&sort=title", headers=ann)
        while True:
            body = response.json()
            assert set(body) == {"items", "next_cursor"}, body
            seen += [task["title"] for task in body["items"]]
            if body["next_cursor"] is None:
                break
            response = await client.get(
                TASKS,
                params={"limit": 3, "sort": "title", "cursor": body["next_cursor"]},
                headers=ann,
            )
        assert seen == [f"task {n}" for n in range(7)]


async def test_a_cursor_is_bound_to_its_sort_filters_and_user(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    for n in range(3):
        await client.post(TASKS, headers=ann, json={"title": f"task {n}"})
    first = (await client.get(f"{TASKS}?cursor=&limit=1", headers=ann)).json()
    cursor = first["next_cursor"]
    for other in ({"sort": "title"}, {"status": "pending"}, {"q": "task"}):
        response = await client.get(TASKS, params={**other, "cursor": cursor}, headers=ann)
        assert_error(response, 400, "INVALID_CURSOR", "cursor")
    bob = await signed_in(client, "bob@example.com")
    # Bob's cursor walk shows only Bob's tasks, whatever position Ann's cursor names.
    response = await client.get(TASKS, params={"cursor": cursor}, headers=bob)
    assert response.status_code == 200 and response.json()["items"] == []
