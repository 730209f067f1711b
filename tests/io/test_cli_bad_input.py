"""`rackclear check/plan/cost` on bad input: every problem on stderr, exit code 2, no traceback.

The CLI runs in a subprocess with this interpreter (works from any virtualenv)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.io.test_map_reader import FIXTURES, MANY_MISTAKES

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from rackclear.cli import main; main()"]
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "400", "TERM": "dumb"}


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [*CLI, *map(str, args)], capture_output=True, text=True, timeout=60, cwd=ROOT, env=ENV
    )
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    return run


BAD_MAPS = {
    "many_mistakes.yaml": [f"{location}: expected " for location in MANY_MISTAKES],
    "csv_bad_rows.yaml": [
        "csv_bad_rows.csv: row 3, column shipment",
        "csv_bad_rows.csv: row 5, column quantity",
        "csv_bad_rows.csv: row 6, column sku",
    ],
    "missing_lines_file.yaml": [
        "no_such_lines.csv: (file): expected the lines file named by lines_file to exist"
    ],
    "invalid_syntax.yaml": ["invalid_syntax.yaml: (file): expected valid YAML"],
    "duplicate_keys.yaml": ["expected valid YAML: duplicate key 'site'"],
    "top_level_list.yaml": ["expected a mapping at the top level (found list)"],
    "not_a_map.txt": ["expected a deployment map is a .yaml, .yml or .json file (found .txt)"],
    "no_such_map.yaml": ["no_such_map.yaml: (file): expected an existing deployment map file"],
}


@pytest.mark.parametrize("name", sorted(BAD_MAPS))
def test_check_lists_every_problem_without_a_traceback(name: str) -> None:
    run = _run("check", FIXTURES / name)
    for text in BAD_MAPS[name]:
        assert text in run.stderr, (text, run.stderr)
    errors = sum(1 for line in run.stderr.splitlines() if line.startswith("error: "))
    assert errors == len(BAD_MAPS[name])
    assert "the map cannot be planned" in run.stderr
    assert "OK" not in run.stdout


@pytest.mark.parametrize("name", ["many_mistakes.yaml", "not_a_map.txt", "no_such_map.yaml"])
def test_check_exits_2_on_a_bad_map(name: str) -> None:
    assert _run("check", FIXTURES / name).returncode == 2


def test_plan_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    run = _run(
        "plan", FIXTURES / "many_mistakes.yaml", "--as-of", "2027-01-04", "--out", tmp_path / "out"
    )
    for text in BAD_MAPS["many_mistakes.yaml"]:
        assert text in run.stderr, (text, run.stderr)
    assert not (tmp_path / "out").exists()


def test_plan_exits_2_on_a_bad_map(tmp_path: Path) -> None:
    assert (
        _run(
            "plan", FIXTURES / "many_mistakes.yaml", "--as-of", "2027-01-04", "--out", tmp_path
        ).returncode
        == 2
    )


def test_plan_with_an_impossible_as_of_date(tmp_path: Path) -> None:
    run = _run(
        "plan", "examples/ai-cluster-2027.yaml", "--as-of", "2027-13-01", "--out", tmp_path / "out"
    )
    assert run.returncode == 2
    assert "--as-of: '2027-13-01' is not a date YYYY-MM-DD" in run.stderr
    assert not (tmp_path / "out").exists()


def test_cost_lists_all_three_problems() -> None:
    run = _run("cost", "--destination", "XX", "--value", "-5", "--currency", "USX", "--json")
    assert run.returncode == 2
    assert "--destination: 'XX' is not an ISO 3166 alpha-2 country code" in run.stderr
    assert "--currency: 'USX' is not an ISO 4217 currency code" in run.stderr
    assert "--value: '-5' must be a positive number" in run.stderr
    assert run.stdout == ""


def test_check_the_example() -> None:
    run = _run("check", "examples/ai-cluster-2027.yaml")
    assert run.returncode == 0, run.stderr
    assert (
        "examples/ai-cluster-2027.yaml: OK — 11 sites, 15 shipments, 31 lines, 0 warning(s)."
        in run.stdout
    )
    assert "error" not in run.stderr


def test_check_a_map_with_warnings_only() -> None:
    run = _run("check", FIXTURES / "warnings_only.yaml")
    assert run.returncode == 0, run.stderr
    assert "OK — 3 sites, 2 shipments, 2 lines, 3 warning(s)." in run.stdout
    assert (
        "warning: " in run.stderr
        and "sites[1]: expected a site that some shipment goes to (found de-fra1)" in run.stderr
    )
    assert "error" not in run.stderr


def test_check_a_map_whose_lines_key_is_empty_and_sheet_is_bad(tmp_path: Path) -> None:
    # `lines:` left empty with a lines_file used to crash the reader with an AttributeError.
    shutil.copy(FIXTURES / "sheet_map.yaml", tmp_path / "map.yaml")
    (tmp_path / "lines.csv").write_text(
        "shipment,sku,quantity\nSHP-1,SRV-1,many\n", encoding="utf-8"
    )
    run = _run("check", tmp_path / "map.yaml")
    assert (
        "lines.csv: row 2, column quantity: expected Input should be a valid integer" in run.stderr
    )
