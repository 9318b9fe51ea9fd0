"""Library loggers (uvicorn, SQLAlchemy, Alembic) and our own events read alike (issue 11,
finding 10)."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from todo_api.entrypoints.logging import configure_logging


def test_json_lines_have_one_shape_whoever_logs(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    structlog.get_logger("todo_api").info("ours", detail=1)
    logging.getLogger("uvicorn.error").info("theirs %s", "formatted")
    ours, theirs = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert ours["event"] == "ours" and theirs["event"] == "theirs formatted"
    for line in (ours, theirs):
        assert line["level"] == "info"
        assert line["timestamp"].endswith("Z")


def test_console_lines_have_one_shape_and_no_colour_in_a_pipe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "console")
    structlog.get_logger("todo_api").info("ours")
    logging.getLogger("sqlalchemy.engine").warning("theirs")
    ours, theirs = capsys.readouterr().err.splitlines()
    assert "\x1b[" not in ours + theirs
    assert "[info     ] ours" in ours
    assert "[warning  ] theirs" in theirs
    assert ours[:4] == theirs[:4]  # both start with the ISO timestamp's year
