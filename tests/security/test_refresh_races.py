"""Three tabs refreshing with one cookie at once: all get through, one rotation, the session lives
(issue 10, finding 15; SPEC 3, refresh races)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.http.conftest import login, register
from tests.security.workers import concurrent_client
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.settings import Settings


async def test_concurrent_refreshes_with_one_cookie_all_succeed_with_one_rotation(
    make_settings: Callable[..., Settings], pg_engine: AsyncEngine
) -> None:
    async with concurrent_client(build_container(make_settings())) as client:
        await register(client)
        await login(client)
        cookie = {"Cookie": f"refresh_token={client.cookies.get('refresh_token')}"}
        client.cookies.clear()
        responses = await asyncio.gather(
            *(client.post("/api/v1/auth/refresh", headers=cookie) for _ in range(3))
        )
        assert [r.status_code for r in responses] == [200, 200, 200], [r.text for r in responses]
        current = {r.cookies["refresh_token"] for r in responses}
        assert len(current) == 1
        # The session lives on: its access tokens work, and its current token refreshes again.
        for response in responses:
            token = response.json()["access_token"]
            me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200
        (token,) = current
        again = await client.post(
            "/api/v1/auth/refresh", headers={"Cookie": f"refresh_token={token}"}
        )
        assert again.status_code == 200
