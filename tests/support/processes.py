"""Starting real server processes for end-to-end tests, and stopping them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.postgres import free_port

REPO = Path(__file__).resolve().parents[2]
TODO_API = Path(sys.executable).parent / "todo-api"


def run_cli(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TODO_API), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def base_env(**values: str) -> dict[str, str]:
    """The parent environment without any of the service's own settings, plus `values`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("APP_", "DATABASE_", "JWT_", "REDIS_", "RATE_LIMIT", "CORS_", "FORWARDED_", "LOG_")
        )
    }
    env.update(values)
    return env


@contextmanager
def running_server(
    cwd: Path,
    env: dict[str, str],
    *extra: str,
    port: int | None = None,
    processes: list[subprocess.Popen[bytes]] | None = None,
    executable: Path = TODO_API,
) -> Iterator[str]:
    """Run `todo-api serve` until the block ends; yield its base URL once /health answers.

    The process is appended to `processes` when given, for callers that signal or inspect it.
    """
    port = port or free_port()
    log = (cwd / f"server-{port}.log").open("w")
    process = subprocess.Popen(
        [str(executable), "serve", "--port", str(port), *extra],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    if processes is not None:
        processes.append(process)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, cwd / f"server-{port}.log")
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer in time:\n{log.read_text()}")


@contextmanager
def running_redis(workdir: Path) -> Iterator[str]:
    """A private redis-server on a free loopback port, no persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (.ci/run installs it)")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
