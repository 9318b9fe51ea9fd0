import httpx
import jwt
import pytest

from tests.integration.http.conftest import PASSWORD, assert_error, login, register


async def test_a_valid_login_answers_the_token_and_sets_the_refresh_cookie(
    client: httpx.AsyncClient,
) -> None:
    await register(client)
    response = await login(client)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("refresh_token=")
    for attribute in (
        "HttpOnly",
        "Secure",
        "SameSite=strict",
        "Path=/api/v1/auth",
        "Max-Age=604800",
    ):
        assert attribute.lower() in cookie.lower(), attribute


async def test_the_access_token_carries_the_contract_claims(client: httpx.AsyncClient) -> None:
    user = (await register(client)).json()
    token = (await login(client)).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == user["id"]
    assert claims["email"] == "ann@example.com"
    assert claims["type"] == "access"
    assert {"iat", "exp", "jti", "sid"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 900


async def test_a_json_login_works_too(client: httpx.AsyncClient) -> None:
    await register(client)
    response = await client.post(
        "/api/v1/auth/login", json={"email": "ANN@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200


async def test_wrong_password_and_unknown_email_answer_identically(
    client: httpx.AsyncClient,
) -> None:
    await register(client)
    wrong = await login(client, password="not the password")
    unknown = await login(client, email="nobody@example.com")
    assert_error(wrong, 401, "INVALID_CREDENTIALS")
    assert_error(unknown, 401, "INVALID_CREDENTIALS")
    assert wrong.json() == unknown.json()
    assert "set-cookie" not in wrong.headers


@pytest.mark.parametrize(
    ("data", "field"),
    [({"password": PASSWORD}, "username"), ({"username": "ann@example.com"}, "password")],
)
async def test_missing_form_fields_answer_422(
    client: httpx.AsyncClient, data: dict[str, str], field: str
) -> None:
    response = await client.post("/api/v1/auth/login", data=data)
    assert_error(response, 422, "VALIDATION_ERROR", field)


async def test_missing_json_fields_answer_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/login", json={"email": "ann@example.com"})
    assert_error(response, 422, "VALIDATION_ERROR", "password")


async def test_an_unsupported_body_type_answers_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login", content=b"ann", headers={"content-type": "text/plain"}
    )
    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_a_huge_password_is_just_wrong_never_a_500(client: httpx.AsyncClient) -> None:
    await register(client)
    assert_error(await login(client, password="x" * 100_000), 401, "INVALID_CREDENTIALS")


async def test_a_nul_byte_in_the_email_is_just_wrong(client: httpx.AsyncClient) -> None:
    assert_error(await login(client, email="ann\x00@example.com"), 401, "INVALID_CREDENTIALS")
