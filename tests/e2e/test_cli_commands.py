"""The CLI as a user runs it: the database commands need only DATABASE_URL and answer in one
line, never a traceback (SPEC 11); `openapi` prints the document and writes nothing."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import httpx

from tests.support.postgres import free_port
from tests.support.processes import REPO, TODO_API, base_env, running_server


def _cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TODO_API), *args],
        cwd=cwd,
        env=base_env(**env) if "PATH" not in env else env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_db_commands_report_progress_and_write_no_file(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'todo.db'}"
    upgraded = _cli("db", "upgrade", cwd=tmp_path, APP_ENV="production", DATABASE_URL=url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "upgraded to head" in upgraded.stdout
    current = _cli("db", "current", cwd=tmp_path, APP_ENV="production", DATABASE_URL=url)
    assert "(newest)" in current.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_an_unreachable_database_is_one_line_that_says_what_to_check(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://todo:secret@127.0.0.1:{free_port()}/todo"
    result = _cli("db", "current", cwd=tmp_path, DATABASE_URL=url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("todo-api: cannot reach the database")
    assert "secret" not in result.stderr


def test_a_missing_sqlite_folder_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'todo.db'}"
    result = _cli("db", "current", cwd=tmp_path, DATABASE_URL=url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot open the SQLite database" in result.stderr


def test_an_unknown_driver_is_named(tmp_path: Path) -> None:
    result = _cli("db", "upgrade", cwd=tmp_path, DATABASE_URL="mysql://u:p@host/db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "unknown driver 'mysql'" in result.stderr


def test_platform_postgres_urls_mean_the_psycopg_driver(tmp_path: Path) -> None:
    url = f"postgres://todo:secret@127.0.0.1:{free_port()}/todo"
    result = _cli("db", "current", cwd=tmp_path, DATABASE_URL=url)
    assert result.stderr.startswith("todo-api: cannot reach the database"), result.stderr


def test_openapi_prints_the_document_without_invented_examples(tmp_path: Path) -> None:
    result = _cli("openapi", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert "/api/v1/tasks" in document["paths"]
    assert "ErrorBody" in document["components"]["schemas"]
    # Generated examples of the error body put random strings where a reader expects codes.
    assert not [example for example in _examples(document) if "code" in example]
    assert list(tmp_path.iterdir()) == []


def _examples(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "examples" and isinstance(value, list):
                found += [v for v in value if isinstance(v, dict)]
            found += _examples(value)
    elif isinstance(node, list):
        for item in node:
            found += _examples(item)
    return found


def test_help_shows_the_defaults(tmp_path: Path) -> None:
    result = _cli("serve", "--help", cwd=tmp_path)
    assert "(default: 8000)" in result.stdout and "(default: 127.0.0.1)" in result.stdout


def test_a_multi_worker_server_leaves_no_metrics_folder_behind(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = base_env(
        APP_ENV="test",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'todo.db'}",
        TMPDIR=str(scratch),
    )
    assert _cli("db", "upgrade", cwd=tmp_path, **env).returncode == 0
    with running_server(tmp_path, env, "--workers", "2") as url:
        assert list(scratch.glob("todo-api-metrics-*")), "the workers share a metrics folder"
        assert httpx.get(f"{url}/metrics").status_code == 200
    assert not list(scratch.glob("todo-api-metrics-*"))


def test_a_typo_and_a_broken_line_in_env_are_reported_not_ignored(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("JWT_SECRET=abc\nLOG_LEVEL INFO\nPOSTGRES_PASSWORD=x\n")
    result = _cli("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 2
    assert "JWT_SECRET (.env line 1): not a setting; did you mean JWT_SECRET_KEY?" in result.stderr
    assert ".env line 2: not KEY=VALUE" in result.stderr
    assert "POSTGRES_PASSWORD" not in result.stderr  # another tool's variable
    assert "python-dotenv" not in result.stderr


def test_the_env_example_copied_as_it_says_works(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text((REPO / ".env.example").read_text())
    result = _cli("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_serving_on_a_port_in_use_says_what_to_do(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = _cli("serve", "--port", str(port), cwd=tmp_path, APP_ENV="test")
    assert result.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in result.stderr
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr


def test_a_multi_worker_server_says_where_it_listens(tmp_path: Path) -> None:
    env = base_env(APP_ENV="test", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'todo.db'}")
    assert _cli("db", "upgrade", cwd=tmp_path, **env).returncode == 0
    with running_server(tmp_path, env, "--workers", "2") as url:
        assert httpx.get(f"{url}/health").status_code == 200
    (log,) = tmp_path.glob("server-*.log")
    assert f"running on {url}" in log.read_text().lower()
