"""Every task endpoint, status and code, on Postgres."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in

TASKS = "/api/v1/tasks"


@pytest.fixture
async def ann(client: httpx.AsyncClient) -> dict[str, str]:
    return await signed_in(client, "ann@example.com")


async def _tag(client: httpx.AsyncClient, headers: dict[str, str], name: str) -> int:
    response = await client.post("/api/v1/tags", headers=headers, json={"name": name})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _create(client: httpx.AsyncClient, headers: dict[str, str], **body: object) -> dict:
    response = await client.post(TASKS, headers=headers, json={"title": "Task", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_creating_a_task_answers_201_with_every_field(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    work = await _tag(client, ann, "work")
    task = await _create(
        client,
        ann,
        title="  Ship it  ",
        description="soon",
        priority="high",
        due_date="2026-12-01T09:00:00",
        recurrence_rule="FREQ=WEEKLY",
        tag_ids=[work],
    )
    assert set(task) == {
        "id",
        "title",
        "description",
        "completed",
        "priority",
        "due_date",
        "recurrence_rule",
        "tags",
        "created_at",
        "updated_at",
        "version",
        "all_day",
        "reminders",
    }
    assert task["title"] == "Ship it"
    assert task["due_date"] == "2026-12-01T09:00:00Z"
    assert task["tags"] == [{"id": work, "name": "work", "color": None, "version": 1}]
    assert task["completed"] is False


async def test_defaults(client: httpx.AsyncClient, ann: dict[str, str]) -> None:
    task = await _create(client, ann)
    assert (
        task["priority"],
        task["completed"],
        task["description"],
        task["due_date"],
        task["recurrence_rule"],
        task["tags"],
    ) == ("medium", False, None, None, None, [])


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"title": "   "}, 400, "INVALID_TITLE", "title"),
        ({"title": "x" * 201}, 400, "INVALID_TITLE", "title"),
        ({"title": "t", "description": "d" * 1001}, 400, "DESCRIPTION_TOO_LONG", "description"),
        ({"title": "t", "priority": "urgent"}, 400, "INVALID_PRIORITY", "priority"),
        ({"title": "t", "due_date": "someday"}, 400, "INVALID_DUE_DATE", "due_date"),
        ({"title": "t", "recurrence_rule": "FREQ=DAILY"}, 400, "INVALID_RRULE", "recurrence_rule"),
        (
            {"title": "t", "due_date": "2026-01-01", "recurrence_rule": "FREQ=NEVER"},
            400,
            "INVALID_RRULE",
            "recurrence_rule",
        ),
        ({"title": "t", "tag_ids": [999999]}, 404, "TAG_NOT_FOUND", "tag_ids"),
        ({"title": "t", "tag_ids": [2**40]}, 422, "VALIDATION_ERROR", None),
        ({"title": "t", "tag_ids": ["one"]}, 422, "VALIDATION_ERROR", None),
        ({"title": "a\u0000b"}, 422, "VALIDATION_ERROR", "title"),
        ({}, 422, "VALIDATION_ERROR", "title"),
        ({"title": 5}, 422, "VALIDATION_ERROR", "title"),
    ],
)
async def test_invalid_tasks_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient,
    ann: dict[str, str],
    body: dict,
    status: int,
    code: str,
    field: str | None,
) -> None:
    assert_error(await client.post(TASKS, headers=ann, json=body), status, code, field)
    assert (await client.get(TASKS, headers=ann)).json()["total"] == 0


async def test_get_put_patch_delete(client: httpx.AsyncClient, ann: dict[str, str]) -> None:
    work = await _tag(client, ann, "work")
    task = await _create(client, ann, description="keep?", tag_ids=[work], priority="high")
    url = f"{TASKS}/{task['id']}"
    assert (await client.get(url, headers=ann)).json() == task

    replaced = (await client.put(url, headers=ann, json={"title": "New"})).json()
    assert (replaced["title"], replaced["description"], replaced["priority"], replaced["tags"]) == (
        "New",
        None,
        "medium",
        [],
    )
    assert replaced["updated_at"] > task["updated_at"]
    assert replaced["created_at"] == task["created_at"]

    patched = (
        await client.patch(url, headers=ann, json={"description": "d", "tag_ids": [work]})
    ).json()
    assert (patched["title"], patched["description"], [t["id"] for t in patched["tags"]]) == (
        "New",
        "d",
        [work],
    )
    cleared = (await client.patch(url, headers=ann, json={"description": None})).json()
    assert cleared["description"] is None and cleared["tags"] == patched["tags"]

    assert (await client.delete(url, headers=ann)).status_code == 204
    assert_error(await client.get(url, headers=ann), 404, "TASK_NOT_FOUND")
    assert_error(await client.delete(url, headers=ann), 404, "TASK_NOT_FOUND")


async def test_patch_null_on_a_required_field_is_a_validation_error(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    task = await _create(client, ann)
    response = await client.patch(f"{TASKS}/{task['id']}", headers=ann, json={"title": None})
    assert_error(response, 422, "VALIDATION_ERROR", "title")


async def test_patch_checks_the_rule_against_the_resulting_due_date(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    task = await _create(client, ann, due_date="2026-01-01", recurrence_rule="FREQ=DAILY")
    response = await client.patch(f"{TASKS}/{task['id']}", headers=ann, json={"due_date": None})
    assert_error(response, 400, "INVALID_RRULE", "recurrence_rule")


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", str(2**31), "99999999999999999999"])
async def test_malformed_or_out_of_range_ids_are_422(
    client: httpx.AsyncClient, ann: dict[str, str], bad: str
) -> None:
    assert_error(
        await client.get(f"{TASKS}/{bad}", headers=ann), 422, "VALIDATION_ERROR", "task_id"
    )


async def test_completing_a_recurring_task_creates_the_next_one(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    work = await _tag(client, ann, "work")
    task = await _create(
        client,
        ann,
        title="Standup",
        due_date="2030-01-05T09:00:00Z",
        recurrence_rule="FREQ=DAILY;COUNT=2",
        tag_ids=[work],
    )
    await client.patch(f"{TASKS}/{task['id']}", headers=ann, json={"completed": True})
    pending = (await client.get(f"{TASKS}?status=pending", headers=ann)).json()["items"]
    assert len(pending) == 1
    following = pending[0]
    assert (following["title"], following["due_date"], following["tags"][0]["id"]) == (
        "Standup",
        "2030-01-06T09:00:00Z",
        work,
    )
    await client.patch(f"{TASKS}/{following['id']}", headers=ann, json={"completed": True})
    assert (await client.get(f"{TASKS}?status=pending", headers=ann)).json()["total"] == 0


async def test_linking_and_unlinking_tags(client: httpx.AsyncClient, ann: dict[str, str]) -> None:
    work = await _tag(client, ann, "work")
    task = await _create(client, ann)
    url = f"{TASKS}/{task['id']}/tags/{work}"
    first = await client.post(url, headers=ann)
    assert first.status_code == 201
    assert [t["id"] for t in first.json()["tags"]] == [work]
    assert (await client.post(url, headers=ann)).status_code == 200
    assert (await client.delete(url, headers=ann)).status_code == 204
    assert (await client.delete(url, headers=ann)).status_code == 204
    assert (await client.get(f"{TASKS}/{task['id']}", headers=ann)).json()["tags"] == []
    assert_error(
        await client.post(f"{TASKS}/{task['id']}/tags/9999", headers=ann), 404, "TAG_NOT_FOUND"
    )
    assert_error(await client.post(f"{TASKS}/9999/tags/{work}", headers=ann), 404, "TASK_NOT_FOUND")
    assert_error(
        await client.delete(f"{TASKS}/9999/tags/{work}", headers=ann), 404, "TASK_NOT_FOUND"
    )
    assert_error(
        await client.delete(f"{TASKS}/{task['id']}/tags/9999", headers=ann), 404, "TAG_NOT_FOUND"
    )


async def test_listing_pages_filters_and_validates(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    work = await _tag(client, ann, "Work")
    for n in range(5):
        await _create(client, ann, title=f"task {n}", tag_ids=[work] if n % 2 else [])
    page = (await client.get(f"{TASKS}?limit=2&page=2&sort=title", headers=ann)).json()
    assert ([t["title"] for t in page["items"]], page["total"], page["pages"]) == (
        ["task 2", "task 3"],
        5,
        3,
    )
    by_name = (await client.get(f"{TASKS}?tag=work", headers=ann)).json()
    by_id = (await client.get(f"{TASKS}?tag={work}", headers=ann)).json()
    assert by_name == by_id and by_name["total"] == 2
    assert (await client.get(f"{TASKS}?tag=nope", headers=ann)).json()["total"] == 0
    empty = (await client.get(f"{TASKS}?q=zzz", headers=ann)).json()
    assert (empty["total"], empty["pages"], empty["items"]) == (0, 0, [])
    assert (await client.get(f"{TASKS}?limit=1000", headers=ann)).json()["limit"] == 100
    for query, code in [
        ("page=0", "INVALID_PAGINATION"),
        ("limit=0", "INVALID_PAGINATION"),
        ("page=x", "INVALID_PAGINATION"),
        ("status=done", "INVALID_STATUS"),
        ("priority=urgent", "INVALID_PRIORITY"),
        ("sort=owner", "INVALID_SORT_FIELD"),
    ]:
        assert_error(await client.get(f"{TASKS}?{query}", headers=ann), 400, code)


async def test_tasks_need_a_token(client: httpx.AsyncClient) -> None:
    assert_error(await client.get(TASKS), 401, "MISSING_TOKEN")
    assert_error(await client.post(TASKS, json={"title": "t"}), 401, "MISSING_TOKEN")
