"""Password guessing against one account: a budget reserved before bcrypt, shared by every worker
through the database, which others' failures cannot turn into a lockout of the owner (issue 10,
findings 4 to 6; SPEC 12)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.http.conftest import PASSWORD, assert_error, login, register
from tests.security.workers import concurrent_client
from todo_api.adapters.security.bcrypt_hasher import BcryptPasswordHasher
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.settings import Settings

VICTIM = "victim@example.com"


class CountingHasher(BcryptPasswordHasher):
    """bcrypt (in its threads, so concurrent requests really interleave), counting checks."""

    verifications = 0

    async def verify(self, password: str, password_hash: str | None) -> bool:
        CountingHasher.verifications += 1
        return await super().verify(password, password_hash)


@asynccontextmanager
async def worker(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """One app with its own pool and limiter, as one worker process has; no Redis."""
    container = build_container(settings)
    container.password_hasher.override(CountingHasher(rounds=4))
    async with concurrent_client(container) as client:
        yield client


async def _guess(client: httpx.AsyncClient, password: str = "wrong password!") -> int:
    return (await login(client, VICTIM, password)).status_code


async def test_concurrent_guesses_on_two_workers_never_overshoot_the_budget(
    make_settings: Callable[..., Settings], pg_engine: AsyncEngine
) -> None:
    settings = make_settings(rate_limit_login="1000/minute")
    async with worker(settings) as first, worker(settings) as second:
        assert (await register(first, VICTIM)).status_code == 201
        CountingHasher.verifications = 0
        statuses = await asyncio.gather(*(_guess((first, second)[n % 2]) for n in range(100)))
    assert statuses.count(401) == 20
    assert statuses.count(429) == 80
    assert CountingHasher.verifications == 20


async def test_others_failures_do_not_lock_the_owner_out_of_a_known_device(
    make_settings: Callable[..., Settings], pg_engine: AsyncEngine
) -> None:
    settings = make_settings(rate_limit_login="1000/minute")
    async with worker(settings) as owner, worker(settings) as attacker:
        assert (await register(owner, VICTIM)).status_code == 201
        assert (await login(owner, VICTIM)).status_code == 200  # the device cookie is kept
        assert "device_token" in owner.cookies
        statuses = [await _guess(attacker) for _ in range(25)]
        assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}
        refused = await login(attacker, VICTIM, PASSWORD)
        assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")
        assert int(refused.headers["retry-after"]) > 0
        assert (await login(owner, VICTIM, PASSWORD)).status_code == 200


async def test_a_device_token_of_another_account_earns_no_trust(
    make_settings: Callable[..., Settings], pg_engine: AsyncEngine
) -> None:
    settings = make_settings(rate_limit_login="1000/minute")
    async with worker(settings) as attacker:
        assert (await register(attacker, VICTIM)).status_code == 201
        assert (await register(attacker, "mallory@example.com")).status_code == 201
        assert (await login(attacker, "mallory@example.com")).status_code == 200
        statuses = [await _guess(attacker) for _ in range(21)]
        assert statuses[-1] == 429


async def test_guessing_the_current_password_draws_on_the_same_budget(
    make_settings: Callable[..., Settings], pg_engine: AsyncEngine
) -> None:
    settings = make_settings(rate_limit_login="1000/minute")
    async with worker(settings) as owner, worker(settings) as thief:
        assert (await register(owner, VICTIM)).status_code == 201
        token = (await login(owner, VICTIM)).json()["access_token"]
        # The thief holds the access token (not the owner's cookies) and guesses.
        headers = {"Authorization": f"Bearer {token}"}
        statuses = [
            (
                await thief.post(
                    "/api/v1/auth/me/password",
                    headers=headers,
                    json={"current_password": f"guess {n}", "new_password": "a new passphrase"},
                )
            ).status_code
            for n in range(21)
        ]
        assert statuses == [400] * 20 + [429]
        right = await thief.post(
            "/api/v1/auth/me/password",
            headers=headers,
            json={"current_password": PASSWORD, "new_password": "a new passphrase"},
        )
        assert_error(right, 429, "RATE_LIMIT_EXCEEDED")
