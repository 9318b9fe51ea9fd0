"""A flood of password requests cannot make everyone else wait (issue 10, finding 5; SPEC 12)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.http.conftest import assert_error, register
from tests.security.workers import concurrent_client
from todo_api.adapters.security.bcrypt_hasher import BcryptPasswordHasher
from todo_api.application.errors import Overloaded
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.settings import Settings


async def test_beyond_the_queue_a_hash_is_refused_at_once() -> None:
    hasher = BcryptPasswordHasher(rounds=10, max_workers=1, max_pending=2)
    try:
        outcomes = await asyncio.gather(
            *(hasher.hash(f"password number {n}") for n in range(6)), return_exceptions=True
        )
    finally:
        hasher.close()
    refused = [o for o in outcomes if isinstance(o, Overloaded)]
    assert len(refused) == 4
    assert all(isinstance(o, str) for o in outcomes if not isinstance(o, Overloaded))


async def test_a_login_flood_gets_503_with_retry_after_and_health_still_answers(
    make_settings: Callable[..., Settings], pg_engine: AsyncEngine
) -> None:
    settings = make_settings(bcrypt_rounds=10, bcrypt_max_pending=2, rate_limit_login="1000/minute")
    async with concurrent_client(build_container(settings)) as client:
        assert (await register(client)).status_code == 201
        logins = [
            client.post(
                "/api/v1/auth/login", json={"email": f"n{n}@example.com", "password": "x" * 9}
            )
            for n in range(12)
        ]
        responses = await asyncio.gather(*logins, client.get("/health"))
    health = responses[-1]
    assert health.status_code == 200
    refused = [r for r in responses[:-1] if r.status_code == 503]
    assert refused, [r.status_code for r in responses]
    for response in refused:
        assert_error(response, 503, "SERVICE_UNAVAILABLE")
        assert response.headers["retry-after"]
    assert {r.status_code for r in responses[:-1]} <= {401, 503}


@pytest.mark.parametrize("pending", [0, -1])
def test_the_queue_bound_is_a_positive_setting(
    make_settings: Callable[..., Settings], pending: int
) -> None:
    from todo_api.entrypoints.settings import SettingsError

    with pytest.raises(SettingsError):
        make_settings(bcrypt_max_pending=pending)
