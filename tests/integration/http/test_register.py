import httpx
import pytest

from tests.integration.http.conftest import PASSWORD, USER_FIELDS, assert_error, register


async def test_registering_answers_201_with_the_user_and_no_hash(client: httpx.AsyncClient) -> None:
    response = await register(client, "Ann@Example.com", name="Ann")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == USER_FIELDS
    assert body["email"] == "ann@example.com"
    assert body["name"] == "Ann"
    assert body["created_at"].endswith(("Z", "+00:00"))


async def test_registering_without_a_name_is_fine(client: httpx.AsyncClient) -> None:
    response = await register(client)
    assert response.status_code == 201
    assert response.json()["name"] is None


async def test_a_duplicate_email_in_any_case_is_refused(client: httpx.AsyncClient) -> None:
    await register(client, "ann@example.com")
    assert_error(await register(client, "ANN@example.COM"), 400, "EMAIL_ALREADY_EXISTS", "email")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "INVALID_EMAIL", "email"),
        ({"email": "a@example.com", "password": "short"}, "PASSWORD_TOO_SHORT", "password"),
        ({"email": "a@example.com", "password": "x" * 129}, "PASSWORD_TOO_LONG", "password"),
        ({"email": "a@example.com", "password": "password123"}, "PASSWORD_TOO_COMMON", "password"),
        (
            {"email": "a@example.com", "password": PASSWORD, "name": "n" * 101},
            "INVALID_NAME",
            "name",
        ),
    ],
)
async def test_rule_violations_answer_400_with_their_code(
    client: httpx.AsyncClient, body: dict[str, str], code: str, field: str
) -> None:
    assert_error(await client.post("/api/v1/auth/register", json=body), 400, code, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "email"),
        ({"email": "a@example.com"}, "password"),
        ({"email": 42, "password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": None}, "password"),
    ],
)
async def test_missing_or_ill_typed_fields_answer_422(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    assert_error(
        await client.post("/api/v1/auth/register", json=body), 422, "VALIDATION_ERROR", field
    )


async def test_a_64_character_password_past_72_bytes_works_end_to_end(
    client: httpx.AsyncClient,
) -> None:
    password = "ключ" * 16  # 64 characters, 128 UTF-8 bytes
    assert (await register(client, password=password)).status_code == 201
    response = await client.post(
        "/api/v1/auth/login", data={"username": "ann@example.com", "password": password}
    )
    assert response.status_code == 200
    wrong = await client.post(
        "/api/v1/auth/login", data={"username": "ann@example.com", "password": password[:-1] + "X"}
    )
    assert wrong.status_code == 401


async def test_a_user_id_in_the_body_is_refused(client: httpx.AsyncClient) -> None:
    forced = "00000000-0000-0000-0000-000000000001"
    response = await register(client, id=forced)
    assert_error(response, 422, "VALIDATION_ERROR", "id")
    assert (await register(client)).json()["id"] != forced
