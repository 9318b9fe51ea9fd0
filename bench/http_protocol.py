"""The cost of the HTTP limits: uvicorn's plain httptools protocol against the guarded one.

Run: .venv/bin/python bench/http_protocol.py [--seconds 8] [--runs 3]

Each protocol serves the same app (one worker, SQLite, production logging), alternately, on
`GET /health`, where the server's own work per request is the largest share; the best run of
each is kept. ADR 0012 records the figures.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.run import wrk
from tests.support.postgres import free_port
from tests.support.processes import base_env, run_cli

PROTOCOLS = {
    "httptools (uvicorn's own)": "httptools",
    "guarded httptools": "todo_api.entrypoints.http_server:GuardedHttpToolsProtocol",
}


def serve(protocol: str, env: dict[str, str], workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "--factory",
            "todo_api.entrypoints.http.app:create_app",
            "--http",
            protocol,
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            subprocess.run(["curl", "-sf", f"{url}/health"], check=True, capture_output=True)
            break
        except subprocess.CalledProcessError:
            time.sleep(0.1)
    return process, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="todo-api-protocol-"))
    env = base_env(
        APP_ENV="production",
        JWT_SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'todo.db'}",
    )
    run_cli("db", "upgrade", cwd=workdir, env=env)
    best: dict[str, dict[str, float]] = {}
    for _ in range(options.runs):
        for name, protocol in PROTOCOLS.items():
            process, url = serve(protocol, env, workdir)
            try:
                result = wrk(url, "health.lua", seconds=options.seconds, connections=32)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=15)
            if name not in best or result["rps"] > best[name]["rps"]:
                best[name] = result
    print(f"interpreter: {sys.version.split()[0]} ({sys.executable}); cores: {os.cpu_count()}")
    print("| protocol | requests/s | p50 ms | p99 ms |\n|---|---|---|---|")
    for name, result in best.items():
        print(
            f"| {name} | {result['rps']:,.0f} | {result['p50_us'] / 1000:.2f}"
            f" | {result['p99_us'] / 1000:.2f} |"
        )
    base, guarded = (best[name]["rps"] for name in PROTOCOLS)
    print(f"guarded / plain: {guarded / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
