"""User text meets the terminal literally: rich markup, emoji codes and control characters in a
map, a spec or a description are shown as written (ESC as a visible ``\\x1b``), never obeyed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.cli_run import AS_OF, json_map, run

HOSTILE = "[bold]x[/] [rev A] :x: \x1b[2J\x07"
SHOWN = "[bold]x[/] [rev A] :x: \\x1b[2J\\x07"


def _clean(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "❌" not in text, text


def test_eccn_shows_a_hostile_kind_literally() -> None:
    done = run("eccn", "--spec", f"kind={HOSTILE}", "--date", AS_OF)
    assert done.returncode == 0, done.stderr
    _clean(done.stdout)
    assert "[bold]x[/]" in done.stdout and ":x:" in done.stdout and "\\x1b" in done.stdout


def test_classify_shows_a_hostile_description_literally() -> None:
    done = run("classify", f"Frobnicator {HOSTILE}", "--date", AS_OF, "--destination", "US")
    assert done.returncode == 0, done.stderr
    _clean(done.stdout)
    assert f"Frobnicator {SHOWN}" in done.stdout


def test_cost_shows_a_hostile_code_literally() -> None:
    args = ("cost", "--destination", "US", "--value", "100", "--currency", "USD")
    done = run(*args, "--hs", "[/]:x:", "--date", AS_OF)
    assert done.returncode == 0, done.stderr
    assert "[/]:x:" in done.stdout and "❌" not in done.stdout


@pytest.fixture()
def hostile_map(tmp_path: Path) -> Path:
    folder = tmp_path / "maps [v2] :x:"
    folder.mkdir()
    path = json_map(folder, "map.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["programme"] = f"Programme {HOSTILE}"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_check_shows_the_map_path_literally(hostile_map: Path) -> None:
    done = run("check", hostile_map)
    assert done.returncode == 0, done.stderr
    assert f"{hostile_map}: OK" in done.stdout and "❌" not in done.stdout


def test_plan_shows_the_programme_and_out_literally(hostile_map: Path, tmp_path: Path) -> None:
    out = tmp_path / "out [/] :x:"
    done = run("plan", hostile_map, "--as-of", AS_OF, "--out", out, "--no-schedule")
    assert done.returncode == 0, done.stderr
    _clean(done.stdout)
    assert f"Programme {SHOWN}" in done.stdout and f"Wrote {out / 'dossier.json'}" in done.stdout
    assert json.loads((out / "dossier.json").read_text(encoding="utf-8"))["programme"].endswith(
        HOSTILE
    )  # the dossier keeps the text as given: only the terminal sees it made visible


def test_an_error_naming_a_hostile_path_is_literal(tmp_path: Path) -> None:
    missing = tmp_path / f"map {HOSTILE}.yaml"
    done = run("plan", missing, "--out", tmp_path / "out")
    assert done.returncode == 2
    _clean(done.stderr)
    assert SHOWN in done.stderr
