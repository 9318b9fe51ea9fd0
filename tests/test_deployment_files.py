"""The deployment files say what they must (no Docker engine here to build them: CI lints the
Dockerfile with hadolint in `make lint`, and this checks the structure)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from todo_api.entrypoints.settings import Settings

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
    upstreams = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "api-1:8000" in upstreams and "api-2:8000" in upstreams
