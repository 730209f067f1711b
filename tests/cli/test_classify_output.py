"""``classify --file/--output``: bounded cells, a checked output path, an atomic write, and CSV
cells that a spreadsheet would run as a formula neutralised with a leading quote."""

from __future__ import annotations

import csv
import fcntl
import io
import subprocess
from pathlib import Path

import pytest

from tests.cli.cli_run import AS_OF, refused, run

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-48 V DC rectifier", "@SUM(A1)", "\tTabbed"]


def _items(tmp_path: Path, descriptions: list[str]) -> Path:
    path = tmp_path / "items.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["description", "kind", "specs"])
        writer.writerows([d, "", ""] for d in descriptions)
    return path


def _classify(items: Path, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    return run("classify", "--file", items, "--destination", "US", "--date", AS_OF, *extra)


def test_formula_like_cells_are_neutralised_in_the_csv_output(tmp_path: Path) -> None:
    items = _items(tmp_path, [*FORMULAS, "Rack server, 2 x CPU"])
    result = tmp_path / "x.csv"
    done = _classify(items, "--output", result)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(result.read_text(encoding="utf-8"))))
    cells = [r["description"] for r in rows]
    assert cells == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-48 V DC rectifier",
        "'@SUM(A1)",
        "Tabbed",  # the reader strips the cell, so nothing remains to neutralise
        "Rack server, 2 x CPU",
    ]
    assert not any(c.startswith(("=", "+", "-", "@", "\t")) for r in rows for c in r.values())


@pytest.mark.parametrize("cell", ["=A1", "+A1", "-A1", "@A1", "\tA1", "\rA1"])
def test_every_formula_start_is_neutralised(cell: str) -> None:
    from rackclear.classification.batch import csv_text

    assert csv_text([{"description": cell}]).splitlines()[1].lstrip('"').startswith("'")


def test_the_csv_on_stdout_is_neutralised_too(tmp_path: Path) -> None:
    done = _classify(_items(tmp_path, ["=1+1"]))
    assert done.returncode == 0
    assert "\n2,'=1+1," in done.stdout


def test_a_200_kb_cell_is_refused_with_the_limit(tmp_path: Path) -> None:
    items = _items(tmp_path, ["Rack server", "x" * 200_000])
    done = refused("classify", "--file", items, "--date", AS_OF, naming=f"{items}: row 3")
    assert "at most 10,000" in done.stderr


def test_a_20_kb_cell_is_refused_with_its_row_and_column(tmp_path: Path) -> None:
    items = _items(tmp_path, ["Rack server", "y" * 20_000])
    naming = f"{items}: row 3, column description: 20,000 characters (at most 10,000)"
    refused("classify", "--file", items, "--date", AS_OF, naming=naming)


def test_output_that_is_a_folder_is_refused_before_work(tmp_path: Path) -> None:
    items = _items(tmp_path, ["Rack server"])
    done = refused("classify", "--file", items, "--output", tmp_path, naming="--output")
    assert f"{tmp_path} is a folder" in done.stderr


def test_output_that_is_the_input_is_refused(tmp_path: Path) -> None:
    items = _items(tmp_path, ["Rack server"])
    before = items.read_bytes()
    done = refused("classify", "--file", items, "--output", items, naming="--output")
    assert "would overwrite the input file" in done.stderr and items.read_bytes() == before


def test_output_is_not_replaced_while_another_run_writes_there(tmp_path: Path) -> None:
    items = _items(tmp_path, ["Rack server"])
    result = tmp_path / "x.csv"
    result.write_text("previous\n", encoding="utf-8")
    with (tmp_path / ".rackclear.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        refused("classify", "--file", items, "--output", result, naming="another rackclear run")
    assert result.read_text(encoding="utf-8") == "previous\n"


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_failed_write_keeps_the_previous_output(tmp_path: Path, suffix: str) -> None:
    items = _items(tmp_path, ["Rack server"])
    result = tmp_path / f"x{suffix}"
    result.write_text("previous\n", encoding="utf-8")
    prelude = (
        "import errno, os, rackclear.io.output as o\n"
        "real = o._write_one\n"
        "def full(folder, name, writer):\n"
        "    def half(handle):\n"
        "        handle.write('partial')\n"
        "        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "    return real(folder, name, half)\n"
        "o._write_one = full"
    )
    done = run("classify", "--file", items, "--date", AS_OF, "--output", result, prelude=prelude)
    assert done.returncode == 1 and "No space left on device" in done.stderr
    assert result.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".rackclear.lock",
        "items.csv",
        result.name,
    ]
