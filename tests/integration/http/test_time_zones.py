"""Time zones over HTTP: PATCH /me, all-day due dates, overdue counted in the user's days
(issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.integration.http.conftest import assert_error, signed_in

ME = "/api/v1/auth/me"
TASKS = "/api/v1/tasks"


async def test_a_user_sets_a_time_zone_and_a_bad_one_is_refused(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client)
    assert (await client.get(ME, headers=ann)).json()["timezone"] == "UTC"
    moved = await client.patch(ME, headers=ann, json={"timezone": "America/New_York"})
    assert moved.status_code == 200 and moved.json()["timezone"] == "America/New_York"
    assert moved.json()["name"] is None
    assert_error(
        await client.patch(ME, headers=ann, json={"timezone": "Mars/Olympus"}),
        400,
        "INVALID_TIMEZONE",
        "timezone",
    )
    named = await client.patch(ME, headers=ann, json={"name": "Ann"})
    assert named.json()["timezone"] == "America/New_York"


async def test_an_all_day_date_is_that_day_where_the_user_lives(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client)
    await client.patch(ME, headers=ann, json={"timezone": "America/New_York"})
    task = (
        await client.post(TASKS, headers=ann, json={"title": "pay", "due_date": "2025-12-31"})
    ).json()
    assert task["all_day"] is True
    due = datetime.fromisoformat(task["due_date"])
    # A browser in New York shows December 31st, not the 30th.
    assert due.astimezone(ZoneInfo("America/New_York")).date().isoformat() == "2025-12-31"
    assert due == datetime(2025, 12, 31, 5, tzinfo=UTC)
    # Changing the title keeps it all-day; a date-time makes it timed.
    patched = await client.patch(f"{TASKS}/{task['id']}", headers=ann, json={"title": "pay!"})
    assert patched.json()["all_day"] is True
    timed = await client.patch(
        f"{TASKS}/{task['id']}", headers=ann, json={"due_date": "2025-12-31T18:00:00Z"}
    )
    assert timed.json()["all_day"] is False


async def test_all_day_dates_move_with_the_user(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client)
    await client.patch(ME, headers=ann, json={"timezone": "America/New_York"})
    body = {"title": "pay", "due_date": "2025-12-31"}
    task = (await client.post(TASKS, headers=ann, json=body)).json()
    timed = (
        await client.post(
            TASKS, headers=ann, json={"title": "call", "due_date": "2025-12-31T15:00:00Z"}
        )
    ).json()
    await client.patch(ME, headers=ann, json={"timezone": "Asia/Tokyo"})
    moved = (await client.get(f"{TASKS}/{task['id']}", headers=ann)).json()
    due = datetime.fromisoformat(moved["due_date"])
    assert moved["all_day"] and moved["version"] == task["version"] + 1
    assert due.astimezone(ZoneInfo("Asia/Tokyo")).isoformat() == "2025-12-31T00:00:00+09:00"
    # A moment stays the moment it was.
    kept = (await client.get(f"{TASKS}/{timed['id']}", headers=ann)).json()
    assert kept["due_date"] == timed["due_date"] and kept["version"] == timed["version"]


async def test_an_all_day_task_due_today_is_not_overdue_until_the_day_ends_there(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client)
    # Kiribati is 14 hours ahead of UTC: "today" there is rarely today in UTC.
    zone = "Pacific/Kiritimati"
    await client.patch(ME, headers=ann, json={"timezone": zone})
    today = datetime.now(ZoneInfo(zone)).date()
    for title, day in [("today", today), ("yesterday", today - timedelta(days=1))]:
        body = {"title": title, "due_date": day.isoformat()}
        assert (await client.post(TASKS, headers=ann, json=body)).json()["all_day"]
    overdue = (await client.get(f"{TASKS}?overdue=true", headers=ann)).json()
    assert [t["title"] for t in overdue["items"]] == ["yesterday"]
    due_today = (await client.get(f"{TASKS}?due_within=0", headers=ann)).json()
    assert [t["title"] for t in due_today["items"]] == ["today"]


async def test_completing_a_long_overdue_recurring_task_creates_the_next_after_now(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client)
    await client.patch(ME, headers=ann, json={"timezone": "Europe/Berlin"})
    body = {
        "title": "stand-up",
        "due_date": "2026-01-05T09:00:00+01:00",
        "recurrence_rule": "FREQ=DAILY",
    }
    task = (await client.post(TASKS, headers=ann, json=body)).json()
    await client.patch(f"{TASKS}/{task['id']}", headers=ann, json={"completed": True})
    pending = (await client.get(f"{TASKS}?status=pending", headers=ann)).json()["items"]
    (following,) = pending
    due = datetime.fromisoformat(following["due_date"])
    now = datetime.now(UTC)
    assert now < due <= now + timedelta(days=1)
    assert due.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "09:00"


async def test_the_calendars_edges_are_refused_or_kept_never_a_500(
    client: httpx.AsyncClient,
) -> None:
    ann = await signed_in(client)
    await client.patch(ME, headers=ann, json={"timezone": "Asia/Tokyo"})
    # The first day of the calendar starts, in Tokyo, before the first representable moment.
    first_day = await client.post(TASKS, headers=ann, json={"title": "x", "due_date": "0001-01-01"})
    assert_error(first_day, 400, "INVALID_DUE_DATE", "due_date")
    last_day = await client.post(TASKS, headers=ann, json={"title": "y", "due_date": "9999-12-31"})
    assert last_day.status_code == 201
    await client.patch(ME, headers=ann, json={"timezone": "America/New_York"})
    early = await client.post(TASKS, headers=ann, json={"title": "z", "due_date": "0001-01-01"})
    assert early.status_code == 201
    # Moving east would put that day before the calendar: it stays where it was.
    assert (await client.patch(ME, headers=ann, json={"timezone": "Asia/Tokyo"})).status_code == 200
    for query in ("due_after=9999-12-31T23:59:59.999999Z", "due_before=0001-01-01T00:00:00Z"):
        response = await client.get(f"{TASKS}?{query}", headers=ann)
        assert response.status_code == 200 and response.json()["items"] == []
