"""Refusals an operator watches for are logged by a real server, without what the client typed
(issue 11, finding 10)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.processes import base_env, run_cli, running_server

TYPED = "a-secret-guess-9f2c"
EMAIL = "watched@example.com"


def test_a_failed_login_is_a_security_event_without_the_credentials(tmp_path: Path) -> None:
    env = base_env(APP_ENV="test", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'todo.db'}")
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env) as url:
        registered = httpx.post(
            f"{url}/api/v1/auth/register",
            json={"email": EMAIL, "password": "correct horse battery"},
        )
        assert registered.status_code == 201
        refused = httpx.post(
            f"{url}/api/v1/auth/login", data={"username": EMAIL, "password": TYPED}
        )
        assert refused.status_code == 401
    (log,) = tmp_path.glob("server-*.log")
    logged = log.read_text()
    events = [line for line in logged.splitlines() if "security_event" in line]
    assert events and "INVALID_CREDENTIALS" in events[0] and "client=127.0.0.1" in events[0]
    assert TYPED not in logged and EMAIL not in logged
