"""Reminders over HTTP (SPEC 15): set with the task, validated, snoozed, kept across writes."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.http.conftest import assert_error, signed_in

TASKS = "/api/v1/tasks"
DUE = "2030-05-01T09:00:00Z"


@pytest.fixture
async def ann(client: httpx.AsyncClient) -> dict[str, str]:
    return await signed_in(client)


async def _create(client: httpx.AsyncClient, headers: dict[str, str], **body: object) -> dict:
    response = await client.post(TASKS, headers=headers, json={"title": "t", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_task_is_created_and_read_with_its_reminders(
    client: httpx.AsyncClient, ann: dict[str, str]
) -> None:
    task = await _create(
        client,
        ann,
        due_date=DUE,
        reminders=[{"before_minutes": 30}, {"at": "2030-04-30T18:00:00+02:00"}],
    )
    assert task["reminders"] == [
        {
            "id": 1,
            "before_minutes": 30,
            "at": None,
            "snoozed_until": None,
            "remind_at": "2030-05-01T08:30:00Z",
        },
        {
            "id": 2,
            "before_minutes": None,
            "at": "2030-04-30T16:00:00Z",
            "snoozed_until": None,
            "remind_at": "2030-04-30T16:00:00Z",
        },
    ]
    url = f"{TASKS}/{task['id']}"
    assert (await client.get(url, headers=ann)).json()["reminders"] == task["reminders"]
    listed = (await client.get(TASKS, headers=ann)).json()["items"]
    assert listed[0]["reminders"] == task["reminders"]

    # PATCH without reminders keeps them; a new due date moves the relative one.
    moved = (await client.patch(url, headers=ann, json={"due_date": "2030-05-02T09:00:00Z"})).json()
    assert [r["remind_at"] for r in moved["reminders"]] == [
        "2030-05-02T08:30:00Z",
        "2030-04-30T16:00:00Z",
    ]
    # Sending them replaces them; an unchanged one keeps its id.
    replaced = (
        await client.patch(
            url,
            headers=ann,
            json={"reminders": [{"at": "2030-04-30T16:00:00Z"}, {"before_minutes": 5}]},
        )
    ).json()
    assert [(r["id"], r["before_minutes"]) for r in replaced["reminders"]] == [(2, None), (3, 5)]
    # PUT without reminders clears them.
    cleared = (await client.put(url, headers=ann, json={"title": "t", "due_date": DUE})).json()
    assert cleared["reminders"] == []


@pytest.mark.parametrize(
    ("reminders", "status", "code"),
    [
        ([{"before_minutes": 10}], 400, "INVALID_REMINDER"),  # no due date
        ([{"before_minutes": 10, "at": DUE}], 400, "INVALID_REMINDER"),
        ([{}], 400, "INVALID_REMINDER"),
        ([{"before_minutes": -1}], 400, "INVALID_REMINDER"),
        ([{"at": "tomorrow"}], 400, "INVALID_REMINDER"),
        ([{"at": "2030-05-01"}], 400, "INVALID_REMINDER"),
        ([{"at": DUE}] * 11, 400, "TOO_MANY_REMINDERS"),
        ([{"before_minutes": "ten"}], 422, "VALIDATION_ERROR"),
        ([{"minutes": 10}], 422, "VALIDATION_ERROR"),
        ([{"before_minutes": 2**70}], 400, "INVALID_REMINDER"),
        ({"at": DUE}, 422, "VALIDATION_ERROR"),
    ],
)
async def test_invalid_reminders_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, ann: dict[str, str], reminders: object, status: int, code: str
) -> None:
    body = {"title": "t", "reminders": reminders}
    response = await client.post(TASKS, headers=ann, json=body)
    assert_error(response, status, code, "reminders" if status == 400 else None)
    assert (await client.get(TASKS, headers=ann)).json()["total"] == 0


async def test_a_reminder_is_snoozed(client: httpx.AsyncClient, ann: dict[str, str]) -> None:
    task = await _create(client, ann, due_date=DUE, reminders=[{"before_minutes": 30}])
    url = f"{TASKS}/{task['id']}/reminders/1/snooze"
    response = await client.post(url, headers=ann, json={"minutes": 15})
    assert response.status_code == 200, response.text
    snoozed = response.json()
    assert snoozed["version"] == task["version"] + 1
    assert response.headers["etag"] == f'"{snoozed["version"]}"'
    reminder = snoozed["reminders"][0]
    assert reminder["snoozed_until"] == reminder["remind_at"] != task["reminders"][0]["remind_at"]

    missing = f"{TASKS}/{task['id']}/reminders/2/snooze"
    assert_error(
        await client.post(missing, headers=ann, json={"minutes": 5}), 404, "REMINDER_NOT_FOUND"
    )
    for minutes in (0, 7 * 24 * 60 + 1):
        assert_error(
            await client.post(url, headers=ann, json={"minutes": minutes}),
            400,
            "INVALID_REMINDER",
            "minutes",
        )
    assert_error(await client.post(url, headers=ann, json={}), 422, "VALIDATION_ERROR")
    bob = await signed_in(client, "bob@example.com")
    assert_error(await client.post(url, headers=bob, json={"minutes": 5}), 404, "TASK_NOT_FOUND")
    bad_id = f"{TASKS}/{task['id']}/reminders/x/snooze"
    assert_error(
        await client.post(bad_id, headers=ann, json={"minutes": 5}), 422, "VALIDATION_ERROR"
    )
