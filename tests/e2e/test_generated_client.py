"""The OpenAPI document is exact enough for a generated client: openapi-python-client builds one
from `todo-api openapi`, and a session written against it works on a real server (issue 11,
finding 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.processes import base_env, run_cli, running_server

BIN = Path(sys.executable).parent
SESSION = Path(__file__).parent / "generated_client_session.py"


def test_a_client_generated_from_the_document_works(tmp_path: Path) -> None:
    env = base_env(APP_ENV="test", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'todo.db'}")
    document = tmp_path / "openapi.json"
    document.write_text(run_cli("openapi", cwd=tmp_path, env=env).stdout)
    generated = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(tmp_path / "client"),
        ],
        # Its post-generation hook runs ruff, which lives beside this interpreter.
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout, generated.stdout
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env) as url:
        session = subprocess.run(
            [sys.executable, str(SESSION), url],
            cwd=tmp_path,
            env={**env, "PYTHONPATH": str(tmp_path / "client")},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert session.returncode == 0, session.stdout + session.stderr
    assert "generated client session: ok" in session.stdout
