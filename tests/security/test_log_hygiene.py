"""No log line carries a password, token, cookie or body, in either format (issue 10, finding 8;
SPEC 12)."""

from __future__ import annotations

import pytest
import structlog

from todo_api.entrypoints.logging import configure_logging

SECRET = "correct-horse-battery-staple-42"


def _fail_with_a_secret_in_a_local() -> None:
    password = SECRET  # noqa: F841 - the local a traceback must not print
    raise RuntimeError("boom")


@pytest.mark.parametrize("fmt", ["console", "json"])
def test_a_traceback_never_prints_local_variables(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", fmt)
    try:
        _fail_with_a_secret_in_a_local()
    except RuntimeError as error:
        structlog.get_logger("todo_api.errors").error("unhandled_exception", exc_info=error)
    logged = capsys.readouterr().err
    assert "boom" in logged and "_fail_with_a_secret_in_a_local" in logged
    assert SECRET not in logged


@pytest.mark.parametrize("fmt", ["console", "json"])
def test_bound_secrets_are_redacted(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", fmt)
    structlog.get_logger("todo_api").info(
        "event", password=SECRET, refresh_token=SECRET, authorization=f"Bearer {SECRET}"
    )
    assert SECRET not in capsys.readouterr().err
