"""The deployment files say what they must (no Docker engine here to build them: CI lints the
Dockerfile with hadolint in `make lint`, and this checks the structure)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from todo_api.entrypoints.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_dockerfile_is_multi_stage_non_root_with_a_healthcheck() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", text, re.MULTILINE)) >= 2
    user = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert user and not user[-1].startswith(("0", "root"))
    assert "HEALTHCHECK" in text and "/health" in text
    assert "uv sync --frozen" in text
    # Migrations are a separate command, never part of serving.
    assert '"db", "upgrade"' not in text.split("CMD", 1)[1]


def test_compose_runs_two_replicas_behind_a_proxy_with_postgres_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"api-1", "api-2", "postgres", "redis", "proxy", "migrate"} <= set(services)
    assert services["migrate"]["command"] == ["db", "upgrade"]
    settings = {name.upper() for name in Settings.model_fields}
    for replica in ("api-1", "api-2"):
        environment = services[replica]["environment"]
        assert set(environment) <= settings
        assert environment["REDIS_URL"].startswith("redis://")
        assert environment["APP_ENV"] == "production"
        # Secrets come as files named after their settings, never as variables.
        assert not {"JWT_SECRET_KEY", "DATABASE_URL"} & set(environment)
        assert set(services[replica]["secrets"]) == {"database_url", "jwt_secret_key"}
        assert services[replica]["depends_on"]["redis"]["condition"] == "service_healthy"
    upstreams = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "api-1:8000" in upstreams and "api-2:8000" in upstreams


def test_compose_is_valid_against_the_compose_specification() -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(ROOT / "compose.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_restarts_every_long_running_service_and_waits_for_health() -> None:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    for name, service in services.items():
        if name != "migrate":
            assert service.get("restart") == "unless-stopped", name
    assert "healthcheck" in services["redis"] and "healthcheck" in services["postgres"]
    assert all(
        condition["condition"] == "service_healthy"
        for condition in services["proxy"]["depends_on"].values()
    )
    text = (ROOT / "compose.yaml").read_text()
    assert "POSTGRES_PASSWORD:" not in text and "todo:todo@" not in text


def test_the_proxy_keeps_operations_and_docs_inside() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    blocked = re.search(r"location ~ \^/\(([^)]*)\)", conf)
    assert blocked is not None
    assert {"metrics", "docs", "redoc", r"openapi\.json"} <= set(blocked.group(1).split("|"))


def test_settings_are_read_from_secret_files(tmp_path: Path) -> None:
    secret = "ab12cd34ef56" * 6
    (tmp_path / "jwt_secret_key").write_text(secret + "\n")
    settings = load_settings(None, secrets_dir=tmp_path, app_env="production")
    assert settings.jwt_secret == secret
