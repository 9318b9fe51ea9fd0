"""The examples in examples/ run as they are, as a library user would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_in_process_example_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "in_process.py"), str(tmp_path / "todo.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "refused as over HTTP: TAG_ALREADY_EXISTS" in result.stdout
    assert "pending: Write the report due 2026-12-08 (FREQ=WEEKLY;COUNT=2)" in result.stdout


def test_the_library_users_unit_test_passes() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            # As a library user's project would run it: not with this suite's options (two
            # xdist workers to start for two tests).
            "-o",
            "addopts=",
            str(EXAMPLES / "test_with_fakes.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_the_examples_type_check_strictly_as_a_library_users_code_would() -> None:
    # The typed API: TaskListing(page=2, limit=50), non-optional ids, typed facade methods.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--follow-imports=silent",
            str(EXAMPLES / "in_process.py"),
            str(EXAMPLES / "test_with_fakes.py"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
