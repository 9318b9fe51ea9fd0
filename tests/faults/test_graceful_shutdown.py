"""SIGTERM lets in-flight requests finish, turns readiness off first, and closes the pool."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx

from tests.conftest import create_database
from tests.support.postgres import free_port
from tests.support.processes import TODO_API, base_env, run_cli

PASSWORD = "correct horse battery"


def test_in_flight_requests_finish_after_sigterm(tmp_path: Path, postgres_server: str) -> None:
    env = base_env(
        APP_ENV="test",
        DATABASE_URL=create_database(postgres_server, "todo_shutdown"),
        # Slow logins (bcrypt cost 14) are the in-flight work the shutdown must wait for.
        BCRYPT_ROUNDS="14",
        RATE_LIMIT_ENABLED="false",
        # Not the request deadline's test: on a machine busy with the rest of the suite the
        # third hash may start late, and 10 s would turn it into a 503 (seen once).
        REQUEST_TIMEOUT="60",
    )
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(TODO_API), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        assert (
            httpx.post(
                f"{url}/api/v1/auth/register",
                json={"email": "a@example.com", "password": PASSWORD},
                timeout=30,
            ).status_code
            == 201
        )

        outcomes: list[int] = []

        def log_in() -> None:
            response = httpx.post(
                f"{url}/api/v1/auth/login",
                data={"username": "a@example.com", "password": PASSWORD},
                timeout=30,
            )
            outcomes.append(response.status_code)

        threads = [threading.Thread(target=log_in) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.3)  # the logins are hashing now
        server.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=40)
        assert outcomes == [200, 200, 200]
        # uvicorn re-raises the SIGTERM it handled once shutdown is complete.
        assert server.wait(timeout=30) in (0, -signal.SIGTERM)
        # New connections are refused once the server is shutting down.
        try:
            httpx.get(f"{url}/health", timeout=1)
            refused = False
        except httpx.TransportError:
            refused = True
        assert refused
    finally:
        if server.poll() is None:
            server.kill()
        log.close()
    text = (tmp_path / "server.log").read_text()
    # The lifespan ran to its end: the pool and the hashing threads were closed.
    assert "Application shutdown complete" in text
