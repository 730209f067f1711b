"""Running the real ``rackclear`` command in a subprocess, optionally with a failure injected
first (a few lines of Python run before ``main()``), and checking that it never shows a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ai-cluster-2027.yaml"
AS_OF = "2026-11-23"
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "400", "TERM": "dumb"}
ENV.pop("RACKCLEAR_STORE", None)


def command(prelude: str = "") -> list[str]:
    """The interpreter running ``prelude`` and then the CLI's ``main()``."""
    return [sys.executable, "-c", prelude + "\nfrom rackclear.cli import main\nmain()"]


def run(
    *args: str | Path, prelude: str = "", timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """Run ``rackclear ARGS`` (from the repository root); fails the test on a traceback."""
    done = subprocess.run(
        [*command(prelude), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=ENV,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def refused(*args: str | Path, naming: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """Run, and check exit 2 with a message on stderr naming ``naming``."""
    done = run(*args, prelude=prelude)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert naming in done.stderr, done.stderr
    return done


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (name -> bytes), to compare before and after a run."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def json_map(folder: Path, name: str) -> Path:
    """The example map written as JSON under ``name`` in ``folder``, with its lines file beside it."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    lines = EXAMPLE.parent / data["lines_file"]
    (folder / data["lines_file"]).write_bytes(lines.read_bytes())
    path = folder / name
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path
