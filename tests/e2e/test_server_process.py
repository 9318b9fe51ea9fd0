"""A real `todo-api serve` process over a socket: first run on SQLite, production on Postgres."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx

from tests.conftest import create_database
from tests.support.processes import base_env, run_cli, running_server

PASSWORD = "correct horse battery"


def _account_flow(url: str) -> None:
    with httpx.Client(base_url=url, timeout=10) as client:
        registered = client.post(
            "/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
        )
        assert registered.status_code == 201, registered.text
        login = client.post(
            "/api/v1/auth/login", data={"username": "ann@example.com", "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        access = login.json()["access_token"]
        refresh_cookie = login.cookies["refresh_token"]
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {access}"})
        assert (me.status_code, me.json()["email"]) == (200, "ann@example.com")
        # The cookie is Secure, so over plain http it is sent by hand, as a browser on
        # localhost would.
        refreshed = client.post(
            "/api/v1/auth/refresh", headers={"Cookie": f"refresh_token={refresh_cookie}"}
        )
        assert refreshed.status_code == 200, refreshed.text
        new_cookie = refreshed.cookies["refresh_token"]
        out = client.post("/api/v1/auth/logout", headers={"Cookie": f"refresh_token={new_cookie}"})
        assert out.status_code == 200
        again = client.post(
            "/api/v1/auth/refresh", headers={"Cookie": f"refresh_token={new_cookie}"}
        )
        assert again.json()["code"] == "REFRESH_TOKEN_REVOKED"
        revoked = client.get(
            "/api/v1/auth/me",
            headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"},
        )
        assert revoked.json()["code"] == "SESSION_REVOKED"


def test_first_run_on_the_embedded_sqlite_default(tmp_path: Path) -> None:
    env = base_env()
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    assert (tmp_path / "var" / "todo.db").exists()
    # The database commands need no secret and write no file (SPEC 11); serving does.
    assert not (tmp_path / ".env").exists()
    with running_server(tmp_path, env) as url:
        assert httpx.get(f"{url}/health/ready").status_code == 200
        _account_flow(url)
    assert "JWT_SECRET_KEY=" in (tmp_path / ".env").read_text()


def test_production_on_postgres_after_db_upgrade(tmp_path: Path, postgres_server: str) -> None:
    database_url = create_database(postgres_server, "todo_e2e")
    env = base_env(
        APP_ENV="production",
        DATABASE_URL=database_url,
        JWT_SECRET_KEY=secrets.token_hex(32),
        BCRYPT_ROUNDS="4",
    )
    with running_server(tmp_path, env) as url:
        behind = httpx.get(f"{url}/health/ready")
        assert behind.status_code == 503
        run_cli("db", "upgrade", cwd=tmp_path, env=env)
        assert httpx.get(f"{url}/health/ready").status_code == 200
        _account_flow(url)
        log = next(tmp_path.glob("server-*.log")).read_text()
    assert PASSWORD not in log
    assert '"route": "/api/v1/auth/login"' in log or '"route":"/api/v1/auth/login"' in log


def test_a_client_cannot_dodge_the_login_limit_with_x_forwarded_for(
    tmp_path: Path, postgres_server: str
) -> None:
    database_url = create_database(postgres_server, "todo_e2e_xff")
    env = base_env(DATABASE_URL=database_url, APP_ENV="test", BCRYPT_ROUNDS="4")
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env) as url:
        statuses = [
            httpx.post(
                f"{url}/api/v1/auth/login",
                data={"username": "a@example.com", "password": "wrong password"},
                headers={"X-Forwarded-For": f"10.0.0.{n}"},
            ).status_code
            for n in range(6)
        ]
    assert statuses == [401] * 5 + [429]


def test_start_up_refuses_bad_configuration_with_one_line_per_problem(tmp_path: Path) -> None:
    import subprocess

    from tests.support.processes import TODO_API

    env = base_env(APP_ENV="production", BCRYPT_ROUNDS="99", RATE_LIMIT_LOGIN="5/day")
    result = subprocess.run(
        [str(TODO_API), "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    for setting in ("BCRYPT_ROUNDS", "RATE_LIMIT_LOGIN"):
        assert setting in result.stderr
