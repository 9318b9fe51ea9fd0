import httpx

from tests.integration.http.conftest import PASSWORD, assert_error, login, register, signed_in


async def test_refresh_answers_a_new_token_and_rotates_the_cookie(
    client: httpx.AsyncClient,
) -> None:
    await register(client)
    await login(client)
    old_cookie = client.cookies.get("refresh_token")
    response = await client.post("/api/v1/auth/refresh")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert set(response.json()) == {"access_token", "token_type", "expires_in"}
    assert client.cookies.get("refresh_token") not in (None, old_cookie)
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
    )
    assert me.status_code == 200


async def test_refresh_without_a_cookie_is_missing(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/api/v1/auth/refresh"), 401, "MISSING_REFRESH_TOKEN")


async def test_refresh_with_a_garbage_cookie_is_invalid(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/refresh", headers={"Cookie": "refresh_token=junk"})
    assert_error(response, 401, "INVALID_TOKEN")


async def test_refresh_with_an_access_token_is_the_wrong_type(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    access = headers["Authorization"].split()[1]
    response = await client.post(
        "/api/v1/auth/refresh", headers={"Cookie": f"refresh_token={access}"}
    )
    assert_error(response, 401, "INVALID_TOKEN_TYPE")


async def test_reuse_of_a_rotated_token_revokes_the_session(
    client: httpx.AsyncClient, container
) -> None:
    from datetime import timedelta

    from todo_api.adapters.clock import FixedClock, SystemClock

    await register(client)
    await login(client)
    stolen = client.cookies.get("refresh_token")
    fresh = (await client.post("/api/v1/auth/refresh")).json()["access_token"]
    # Past the grace window, the old token is a replay.
    container.clock.override(FixedClock(SystemClock().now() + timedelta(seconds=30)))
    replay = await client.post(
        "/api/v1/auth/refresh", headers={"Cookie": f"refresh_token={stolen}"}
    )
    assert_error(replay, 401, "REFRESH_TOKEN_REVOKED")
    container.clock.reset_override()
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {fresh}"})
    assert_error(me, 401, "SESSION_REVOKED")


async def test_refreshes_with_one_token_rotate_once_and_all_succeed(
    client: httpx.AsyncClient,
) -> None:
    await register(client)
    await login(client)
    cookie = {"Cookie": f"refresh_token={client.cookies.get('refresh_token')}"}
    client.cookies.clear()
    responses = [await client.post("/api/v1/auth/refresh", headers=cookie) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    # One rotation: every answer carries the session's one current refresh token.
    assert len({r.cookies["refresh_token"] for r in responses}) == 1


async def test_logout_clears_the_cookie_and_ends_the_session(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    cookie = client.cookies.get("refresh_token")
    response = await client.post("/api/v1/auth/logout")
    assert response.status_code == 200
    assert response.json() == {"message": "Successfully logged out"}
    set_cookie = response.headers["set-cookie"].lower()
    for attribute in ("refresh_token=", "max-age=0", "path=/api/v1/auth", "secure", "httponly"):
        assert attribute in set_cookie
    assert_error(await client.get("/api/v1/auth/me", headers=headers), 401, "SESSION_REVOKED")
    after = await client.post("/api/v1/auth/refresh", headers={"Cookie": f"refresh_token={cookie}"})
    assert_error(after, 401, "REFRESH_TOKEN_REVOKED")


async def test_logout_without_a_session_or_twice_still_answers_200(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.post("/api/v1/auth/logout")).status_code == 200
    bad = await client.post("/api/v1/auth/logout", headers={"Cookie": "refresh_token=junk"})
    assert bad.status_code == 200
    await signed_in(client)
    assert (await client.post("/api/v1/auth/logout")).status_code == 200
    assert (await client.post("/api/v1/auth/logout")).status_code == 200


async def test_sessions_list_and_revoke(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    other = (await login(client)).json()["access_token"]
    listed = await client.get("/api/v1/auth/sessions", headers=headers)
    assert listed.status_code == 200
    sessions = listed.json()
    assert len(sessions) == 2
    assert {"id", "created_at", "last_used_at", "user_agent", "current"} == set(sessions[0])
    assert sum(s["current"] for s in sessions) == 1
    other_id = next(s["id"] for s in sessions if not s["current"])
    assert (
        await client.delete(f"/api/v1/auth/sessions/{other_id}", headers=headers)
    ).status_code == 204
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {other}"})
    assert_error(me, 401, "SESSION_REVOKED")
    again = await client.delete(f"/api/v1/auth/sessions/{other_id}", headers=headers)
    assert_error(again, 404, "SESSION_NOT_FOUND")
    bad = await client.delete("/api/v1/auth/sessions/not-a-uuid", headers=headers)
    assert_error(bad, 422, "VALIDATION_ERROR", "session_id")


async def test_another_users_session_is_not_found(client: httpx.AsyncClient) -> None:
    ann = await signed_in(client, "ann@example.com")
    bob = await signed_in(client, "bob@example.com")
    bob_session = (await client.get("/api/v1/auth/sessions", headers=bob)).json()[0]["id"]
    response = await client.delete(f"/api/v1/auth/sessions/{bob_session}", headers=ann)
    assert_error(response, 404, "SESSION_NOT_FOUND")
    assert (await client.get("/api/v1/auth/me", headers=bob)).status_code == 200


async def test_logout_all_ends_every_session(client: httpx.AsyncClient) -> None:
    first = await signed_in(client)
    second = {"Authorization": f"Bearer {(await login(client)).json()['access_token']}"}
    response = await client.post("/api/v1/auth/logout-all", headers=first)
    assert response.status_code == 200
    assert "max-age=0" in response.headers["set-cookie"].lower()
    for headers in (first, second):
        assert_error(await client.get("/api/v1/auth/me", headers=headers), 401, "SESSION_REVOKED")


async def test_patch_me_renames(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    response = await client.patch("/api/v1/auth/me", headers=headers, json={"name": "  Ann  "})
    assert response.status_code == 200
    assert response.json()["name"] == "Ann"
    too_long = await client.patch("/api/v1/auth/me", headers=headers, json={"name": "x" * 101})
    assert_error(too_long, 400, "INVALID_NAME", "name")


async def test_changing_the_password_ends_other_sessions_only(client: httpx.AsyncClient) -> None:
    headers = await signed_in(client)
    other = {"Authorization": f"Bearer {(await login(client)).json()['access_token']}"}
    wrong = await client.post(
        "/api/v1/auth/me/password",
        headers=headers,
        json={"current_password": "not it at all", "new_password": "brand new secret"},
    )
    assert_error(wrong, 400, "INVALID_CREDENTIALS", "current_password")
    response = await client.post(
        "/api/v1/auth/me/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "brand new secret"},
    )
    assert response.status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    assert_error(await client.get("/api/v1/auth/me", headers=other), 401, "SESSION_REVOKED")
    assert (await login(client, password="brand new secret")).status_code == 200
    assert_error(await login(client), 401, "INVALID_CREDENTIALS")
