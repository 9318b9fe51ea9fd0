import secrets
import time
import uuid

import httpx
import jwt

from tests.integration.http.conftest import USER_FIELDS, assert_error, login, register, signed_in


async def test_me_answers_the_user(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    response = await client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 200
    assert set(response.json()) == USER_FIELDS


async def test_me_without_a_token_is_missing_token(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/v1/auth/me"), 401, "MISSING_TOKEN")


async def test_me_with_another_scheme_is_missing_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/auth/me", headers={"Authorization": "Basic YTpi"})
    assert_error(response, 401, "MISSING_TOKEN")


async def test_me_with_a_malformed_token_is_invalid(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert_error(response, 401, "INVALID_TOKEN")


async def test_me_with_an_expired_token_is_expired(client: httpx.AsyncClient, settings) -> None:
    user = (await register(client)).json()
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": user["id"],
            "email": user["email"],
            "sid": str(uuid.uuid4()),
            "type": "access",
            "jti": "x",
            "iat": now - 1000,
            "exp": now - 100,
        },
        settings.jwt_secret,
    )
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "TOKEN_EXPIRED")


async def test_me_with_a_token_signed_by_another_key_is_invalid(
    client: httpx.AsyncClient,
) -> None:
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": str(uuid.uuid4()),
            "email": "a@example.com",
            "sid": str(uuid.uuid4()),
            "type": "access",
            "jti": "x",
            "iat": now,
            "exp": now + 60,
        },
        secrets.token_hex(32),
    )
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "INVALID_TOKEN")


async def test_me_with_a_refresh_token_is_the_wrong_type(client: httpx.AsyncClient) -> None:
    await register(client)
    await login(client)
    refresh = client.cookies.get("refresh_token")
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {refresh}"})
    assert_error(response, 401, "INVALID_TOKEN_TYPE")


async def test_me_with_an_unsigned_token_is_invalid(client: httpx.AsyncClient) -> None:
    token = jwt.encode({"sub": "x", "type": "access"}, key=None, algorithm="none")
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "INVALID_TOKEN")
