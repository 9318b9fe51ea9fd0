"""The README's shell session, run as written against a real server (issue 11, finding 7)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import REPO, base_env, run_cli, running_server


def _block_after(marker: str) -> str:
    readme = (REPO / "README.md").read_text()
    after = readme[readme.index(marker) :]
    match = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert match, f"no shell block after {marker!r}"
    return match.group(1)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed here")
def test_the_try_it_session_works_as_written(tmp_path: Path) -> None:
    env = base_env(APP_ENV="test", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'todo.db'}")
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env) as url:
        script = _block_after("Try it:").replace("localhost:8000", url.removeprefix("http://"))
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    # The registration and then /me answer with the user.
    assert result.stdout.count('"email":"ann@example.com"') == 2, result.stdout


def _second_block(path: Path) -> str:
    blocks = re.findall(r"```sh\n(.*?)```", path.read_text(), re.DOTALL)
    return blocks[1]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed here")
def test_the_quickstart_session_works_as_written(tmp_path: Path) -> None:
    env = base_env(APP_ENV="test", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'todo.db'}")
    run_cli("db", "upgrade", cwd=tmp_path, env=env)
    with running_server(tmp_path, env) as url:
        script = _second_block(REPO / "docs" / "quickstart.md").replace(
            "http://127.0.0.1:8000", url
        )
        # Another user first, so that no id of the session is 1 by luck.
        for email in ("zed@example.com", "ann@example.com"):
            result = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", script.replace("ann@example.com", email)],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
    assert result.returncode == 0, result.stderr
    assert '"title": "Write the report"' in result.stdout  # the next occurrence, listed
    assert result.stdout.rstrip().endswith('"code":"SESSION_REVOKED","field":null}')
