"""The built wheel, installed in a fresh virtual environment outside the repository, beside a
host service that has its own `domain` package and its own Alembic history in the same Postgres
database (SPEC 11)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import create_database
from tests.support.processes import REPO, base_env, running_server

HOST_PROJECT = Path(__file__).parent / "host_project"
PASSWORD = "correct horse battery"


def _uv() -> str:
    found = shutil.which("uv") or str(REPO / ".tools" / "bin" / "uv")
    assert Path(found).exists(), "uv is installed by the Makefile into .tools/"
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [_uv(), "build", "--wheel", "--out-dir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("todo_api-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with only the wheel and what its metadata pulls in (as pip would)."""
    root = tmp_path_factory.mktemp("venv") / "env"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_PROJECT", "VIRTUAL_ENV"))}
    subprocess.run(
        [_uv(), "venv", "--python", sys.executable, str(root)],
        check=True, capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [_uv(), "pip", "install", "--python", str(root / "bin" / "python"), str(wheel)],
        check=True, capture_output=True, env=env, timeout=600,
    )  # fmt: skip
    return root


@pytest.fixture
def host(tmp_path: Path) -> Path:
    """A copy of the host project in a folder that is not the repository."""
    return Path(shutil.copytree(HOST_PROJECT, tmp_path / "host"))


@pytest.fixture
def shared_database(postgres_server: str) -> str:
    return create_database(postgres_server, "host_and_todo")


def test_the_wheel_holds_one_package_with_its_migrations_and_no_django(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.startswith("todo_api-")}
    assert top_level == {"todo_api"}
    assert "todo_api/py.typed" in names
    assert "todo_api/adapters/persistence/migrations/env.py" in names
    assert "todo_api/adapters/persistence/migrations/script.py.mako" in names
    versions = [
        n for n in names if n.startswith("todo_api/adapters/persistence/migrations/versions/")
    ]
    assert len([n for n in versions if n.endswith(".py")]) >= 2
    assert "todo_api/entrypoints/http/docs_assets/swagger-ui/swagger-ui-bundle.js" in names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [
        line.lower()
        for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    assert requires and not [line for line in requires if "django" in line or "sidecar" in line]


def test_installed_beside_a_host_it_migrates_serves_and_runs_in_process(
    venv: Path, host: Path, shared_database: str
) -> None:
    python, todo_api = venv / "bin" / "python", venv / "bin" / "todo-api"
    installed = subprocess.run(
        [python, "-c", "import importlib.util as u; print(u.find_spec('django') is None)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert installed.stdout.strip() == "True", "installing the wheel pulled in Django"
    version = subprocess.run([todo_api, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("todo-api ")

    # The host's own history first: its revision sits in public.alembic_version.
    run = {"cwd": host, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run([python, "host_migrate.py", shared_database], check=True, **run)

    # Only DATABASE_URL and DB_SCHEMA: no secret, no .env written, any directory.
    env = base_env(DATABASE_URL=shared_database, DB_SCHEMA="todo")
    upgraded = subprocess.run([todo_api, "db", "upgrade"], env=env, **run)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "schema todo" in upgraded.stdout
    assert not (host / ".env").exists()

    libpq = shared_database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq) as connection:
        rows = connection.execute("SELECT version_num FROM public.alembic_version").fetchall()
        assert rows == [("host_0001",)], "the host's version table was touched"
        (todo_version,) = connection.execute(
            "SELECT version_num FROM todo.todo_api_alembic_version"
        ).fetchone() or (None,)
        assert todo_version
        host_users = connection.execute("SELECT login FROM public.users").fetchall()
        assert host_users == [("host-admin",)]
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'todo'"
            )
        }
        assert {"users", "sessions", "tags", "tasks", "task_tag_link"} <= tables

    # The host's Alembic still finds only its own history afterwards.
    subprocess.run([python, "host_migrate.py", shared_database], check=True, **run)

    serve_env = {**env, "APP_ENV": "production", "JWT_SECRET_KEY": secrets.token_hex(32)}
    with running_server(host, serve_env, executable=todo_api) as url:
        assert httpx.get(f"{url}/health/ready").status_code == 200
        assert httpx.get(f"{url}/docs-assets/swagger-ui/swagger-ui-bundle.js").status_code == 200
        registered = httpx.post(
            f"{url}/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
        )
        assert registered.status_code == 201, registered.text

    used = subprocess.run([python, "use_todo.py", shared_database], **run)
    assert used.returncode == 0, used.stderr
    outcome = json.loads(used.stdout)
    assert outcome["host_error"] == "domain.errors"
    assert outcome["titles"] == ["Written by the host"]
    assert outcome["total"] == 1
