"""User errors print whole (never re-wrapped to the terminal width) and literally (rich markup in
user text is shown, not interpreted), with exit code 2 and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from rackclear.cli import main; main()"]


def test_error_names_the_file_literally_and_is_not_wrapped(tmp_path: Path) -> None:
    folder = tmp_path / ("a-long-folder-name-" * 4 + "[rev A]")
    folder.mkdir()
    missing = folder / "map [/] v2.yaml"
    env = {**os.environ, "COLUMNS": "40"}
    run = subprocess.run(
        [*CLI, "check", str(missing)], capture_output=True, text=True, timeout=60, env=env
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    lines = run.stderr.strip().split("\n")  # the problem, then the count: each on one whole line
    assert len(lines) == 2 and all(str(missing) in line for line in lines), lines
