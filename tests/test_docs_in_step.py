"""The README, .env.example and the docs name the settings and commands the code has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from todo_api.entrypoints.cli import _parser
from todo_api.entrypoints.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {name.upper() for name in Settings.model_fields}


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_env_example_lists_exactly_the_settings() -> None:
    assert set(_env_example()) == SETTINGS


def test_env_example_values_are_valid_settings() -> None:
    values = {k.lower(): v for k, v in _env_example().items() if v}
    settings = load_settings(None, **values)
    assert settings.database_url == Settings.model_fields["database_url"].default


@pytest.mark.parametrize("doc", ["README.md", "docs/operations.md"])
def test_the_configuration_tables_name_every_setting(doc: str) -> None:
    rows = [line for line in (ROOT / doc).read_text().splitlines() if line.startswith("| `")]
    table = {name for row in rows for name in re.findall(r"`([A-Z][A-Z_]+)`", row)}
    assert table >= SETTINGS, SETTINGS - table
    documented_but_unknown = (
        {name for name in table if name.isupper() and "_" in name}
        - SETTINGS
        # Read by the tests, by prometheus-client, and by `todo-api mcp` alone.
        - {"TEST_DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR", "TODO_API_TOKEN"}
    )
    assert not documented_but_unknown


@pytest.mark.parametrize("doc", ["README.md", "docs/operations.md", "docs/library.md"])
def test_every_todo_api_command_in_the_docs_parses(doc: str) -> None:
    text = (ROOT / doc).read_text()
    commands = re.findall(r"todo-api ((?:serve|db|openapi|worker|mcp)[^`\n|]*)", text)
    assert commands or doc != "README.md"
    for command in commands:
        command = re.sub(r"\[[^\]]*\]", "", command.split("#")[0])  # drop optional parts
        placeholders = {"REV": "-1", "N": "2"}
        words = [placeholders.get(word, word) for word in shlex.split(command)]
        _parser().parse_args(words)


def test_the_two_readme_commands_are_makefile_targets() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("serve", "test"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    assert "make serve" in (ROOT / "README.md").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
