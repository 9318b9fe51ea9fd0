"""Account lifecycle over HTTP (issue 13), on SQLite and Postgres: the mail flows with real
mail (the app's background delivery speaks SMTP to an aiosmtpd server started here, and each
flow follows the token of the message it receives), two-factor login, export and deletion."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pyotp
import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from tests.integration.http.conftest import BASE_URL, PASSWORD, login, register
from tests.support.smtp import Inbox, free_port, link_token, smtp_server
from todo_api.adapters.clock import ManualTicker
from todo_api.adapters.persistence.engine import build_engine
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.entrypoints.container import build_container
from todo_api.entrypoints.http.app import create_app
from todo_api.entrypoints.settings import load_settings

NEW_PASSWORD = "staple gun orbit 42"

AppFactory = Callable[..., Any]


def _app_client(database_url: str, smtp_url: str, **settings: Any) -> AsyncTestClient[Any]:
    values: dict[str, Any] = {
        "app_env": "test",
        "database_url": database_url,
        "bcrypt_rounds": 4,
        "log_level": "WARNING",
        "smtp_url": smtp_url,
        "mail_from": "todo-api <no-reply@todo.example>",
        "public_url": "https://app.example.com",
        "worker_poll_seconds": 0.05,
        "rate_limit_login": "100/minute",
    }
    values.update(settings)
    container = build_container(load_settings(None, **values))
    container.rate_limiter.override(InMemoryRateLimiter(monotonic=ManualTicker()))
    return AsyncTestClient(app=create_app(container), base_url=BASE_URL)


@pytest.fixture
async def mail() -> AsyncIterator[Inbox]:
    with smtp_server() as (inbox, port):
        inbox.port = port  # type: ignore[attr-defined]
        yield inbox


@pytest.fixture
async def client(database_url: str, mail: Inbox) -> AsyncIterator[httpx.AsyncClient]:
    smtp_url = f"smtp://127.0.0.1:{mail.port}?tls=off"  # type: ignore[attr-defined]
    async with _app_client(database_url, smtp_url) as test_client:
        yield test_client


def _bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_the_registration_link_verifies_the_address(
    client: httpx.AsyncClient, mail: Inbox
) -> None:
    assert (await register(client)).json()["email_verified"] is False
    message = await mail.wait_for("ann@example.com", "Confirm your email address")
    assert message["From"] == "todo-api <no-reply@todo.example>"
    token = link_token(message, "verify-email")
    assert "https://app.example.com/verify-email?token=" in _text(message)
    verified = await client.post("/api/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200
    assert verified.json()["email_verified"] is True
    again = await client.post("/api/v1/auth/verify-email", json={"token": token})
    assert (again.status_code, again.json()["code"]) == (400, "INVALID_VERIFICATION_TOKEN")
    me = await client.get("/api/v1/auth/me", headers=_bearer(await login(client)))
    assert me.json()["email_verified"] is True


async def test_a_reset_by_mail_ends_every_session(client: httpx.AsyncClient, mail: Inbox) -> None:
    await register(client)
    old = _bearer(await login(client))
    answers = [
        await client.post("/api/v1/auth/forgot-password", json={"email": address})
        for address in ("ann@example.com", "nobody@example.com")
    ]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    token = link_token(await mail.wait_for("ann@example.com", "Reset"), "reset-password")
    reset = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert reset.status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=old)).status_code == 401
    assert (await login(client)).status_code == 401
    assert (await login(client, password=NEW_PASSWORD)).status_code == 200
    reused = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "new_password": "x" + NEW_PASSWORD}
    )
    assert (reused.status_code, reused.json()["code"]) == (400, "INVALID_RESET_TOKEN")
    assert not any(m["To"] == "nobody@example.com" for m in mail.messages)


async def test_an_email_change_waits_for_the_new_address(
    client: httpx.AsyncClient, mail: Inbox
) -> None:
    await register(client)
    headers = _bearer(await login(client))
    refused = await client.patch(
        "/api/v1/auth/me", headers=headers, json={"email": "ann@new.example"}
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "current_password")
    wrong = await client.patch(
        "/api/v1/auth/me",
        headers=headers,
        json={"email": "ann@new.example", "current_password": "not my password"},
    )
    assert wrong.json()["code"] == "INVALID_CREDENTIALS"
    asked = await client.patch(
        "/api/v1/auth/me",
        headers=headers,
        json={"email": "ann@new.example", "current_password": PASSWORD, "name": "Ann"},
    )
    assert asked.status_code == 200
    assert (asked.json()["email"], asked.json()["name"]) == ("ann@example.com", "Ann")
    notice = await mail.wait_for("ann@example.com", "is changing")
    assert "ann@new.example" in _text(notice)
    token = link_token(await mail.wait_for("ann@new.example", "new email"), "confirm-email")
    moved = await client.post("/api/v1/auth/confirm-email", json={"token": token})
    assert moved.status_code == 200
    assert (moved.json()["email"], moved.json()["email_verified"]) == ("ann@new.example", True)
    assert (await login(client, email="ann@new.example")).status_code == 200


async def test_required_verification_refuses_login_and_mails_the_link_again(
    database_url: str, mail: Inbox
) -> None:
    smtp_url = f"smtp://127.0.0.1:{mail.port}?tls=off"  # type: ignore[attr-defined]
    async with _app_client(database_url, smtp_url, require_verified_email=True) as client:
        await register(client)
        await mail.wait_for("ann@example.com", "Confirm your email address")
        mail.messages.clear()
        refused = await login(client)
        assert (refused.status_code, refused.json()["code"]) == (403, "EMAIL_NOT_VERIFIED")
        token = link_token(
            await mail.wait_for("ann@example.com", "Confirm your email address"), "verify-email"
        )
        await client.post("/api/v1/auth/verify-email", json={"token": token})
        assert (await login(client)).status_code == 200


async def test_mail_waits_in_the_outbox_while_the_server_is_down(database_url: str) -> None:
    port = free_port()  # nothing listens there yet
    async with _app_client(database_url, f"smtp://127.0.0.1:{port}?tls=off") as client:
        assert (await register(client)).status_code == 201
        engine = build_engine(database_url)
        try:
            for _ in range(100):
                async with engine.connect() as connection:
                    queued = (
                        await connection.execute(
                            sa.text("SELECT attempts, last_error FROM mail_outbox")
                        )
                    ).all()
                if queued and queued[0].last_error:
                    break
                await _pause()
            assert len(queued) == 1 and queued[0].attempts == 1, queued
            with smtp_server(port) as (inbox, _):
                # As if its backoff had passed: the next delivery sends it.
                async with engine.begin() as connection:
                    await connection.execute(
                        sa.text("UPDATE mail_outbox SET next_attempt_at = :now"),
                        {"now": _now()},
                    )
                message = await inbox.wait_for("ann@example.com", "Confirm your email address")
                token = link_token(message, "verify-email")
                verified = await client.post("/api/v1/auth/verify-email", json={"token": token})
                assert verified.json()["email_verified"] is True
        finally:
            await engine.dispose()


async def test_a_login_with_two_factor_authentication(client: httpx.AsyncClient) -> None:
    await register(client)
    headers = _bearer(await login(client))
    setup = await client.post("/api/v1/auth/mfa/setup", headers=headers)
    assert setup.status_code == 200
    totp = pyotp.TOTP(setup.json()["secret"])
    assert setup.json()["otpauth_uri"].startswith("otpauth://totp/")
    wrong = await client.post("/api/v1/auth/mfa/enable", headers=headers, json={"code": "000000"})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "INVALID_MFA_CODE")
    enabled = await client.post(
        "/api/v1/auth/mfa/enable", headers=headers, json={"code": totp.now()}
    )
    recovery = enabled.json()["recovery_codes"]
    assert len(recovery) == 10
    assert (await client.get("/api/v1/auth/me", headers=headers)).json()["mfa_enabled"] is True

    first = await login(client)
    assert (first.status_code, first.json()["code"]) == (401, "MFA_REQUIRED")
    assert "access_token" not in first.json() and "refresh_token" not in first.cookies
    mfa_token = first.json()["mfa_token"]
    bad = await client.post(
        "/api/v1/auth/mfa/verify", json={"mfa_token": mfa_token, "code": "000000"}
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "INVALID_MFA_CODE")
    done = await client.post(
        "/api/v1/auth/mfa/verify", json={"mfa_token": mfa_token, "code": recovery[0]}
    )
    assert done.status_code == 200 and "refresh_token" in done.cookies
    me = await client.get("/api/v1/auth/me", headers=_bearer(done))
    assert me.json()["email"] == "ann@example.com"
    replayed = await client.post(
        "/api/v1/auth/mfa/verify", json={"mfa_token": mfa_token, "code": recovery[0]}
    )
    assert replayed.json()["code"] == "INVALID_MFA_CODE"
    off = await client.post(
        "/api/v1/auth/mfa/disable",
        headers=headers,
        json={"password": PASSWORD, "code": recovery[1]},
    )
    assert off.status_code == 204
    assert (await login(client)).status_code == 200


async def test_export_then_delete_the_account(client: httpx.AsyncClient) -> None:
    await register(client)
    headers = _bearer(await login(client))
    tag = (await client.post("/api/v1/tags", headers=headers, json={"name": "home"})).json()
    await client.post(
        "/api/v1/tasks", headers=headers, json={"title": "water plants", "tag_ids": [tag["id"]]}
    )
    export = await client.get("/api/v1/auth/me/export", headers=headers)
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    body = export.json()
    assert set(body) == {"exported_at", "user", "tasks", "tags", "sessions"}
    assert [t["title"] for t in body["tasks"]] == ["water plants"]
    assert body["tasks"][0]["tags"][0]["name"] == "home"
    assert [s["current"] for s in body["sessions"]] == [True]
    assert "password" not in export.text and "hash" not in export.text
    wrong = await client.request(
        "DELETE", "/api/v1/auth/me", headers=headers, json={"password": "not it"}
    )
    assert wrong.json()["code"] == "INVALID_CREDENTIALS"
    gone = await client.request(
        "DELETE", "/api/v1/auth/me", headers=headers, json={"password": PASSWORD}
    )
    assert gone.status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    assert (await login(client)).status_code == 401


def _text(message: Any) -> str:
    return str(message.get_body(("plain",)).get_content())


async def _pause() -> None:
    import asyncio

    await asyncio.sleep(0.05)


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
