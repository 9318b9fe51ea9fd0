"""The facade example of docs/library.md runs as written, from an empty folder (issue 11: the
docs a newcomer follows are executed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.support.processes import REPO, base_env


def test_the_facade_example_of_the_library_guide_runs(tmp_path: Path) -> None:
    guide = (REPO / "docs" / "library.md").read_text()
    (example,) = [block for block in re.findall(r"```python\n(.*?)```", guide, re.DOTALL)
                  if "TodoService.open" in block]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env=base_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # It prints the new task's id and the titles of the page it listed.
    assert result.stdout.strip().endswith("['Write the report']"), result.stdout
    assert (tmp_path / "demo.db").exists()
