"""The ``screen`` command on a Typer app of its own: JSON shape, and user mistakes exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from rackclear.screening.cli import register

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    made = typer.Typer()
    register(made)

    @made.command("noop")
    def noop() -> None:  # a second command keeps "screen" a subcommand
        """Nothing."""

    return made


def test_json_shape(app: typer.Typer, shared_data: Path) -> None:
    sample = str(shared_data / "ofac-sdn" / "sdn_sample.csv")
    done = runner.invoke(
        app,
        [
            "screen",
            "Iran Aircraft Manufacturing Industrial Co",
            "--list",
            sample,
            "--country",
            "ir",
            "--json",
        ],
    )
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    match = answer["matches"][0]
    assert {"name", "matched_name", "list", "score", "explanation"} <= set(match)
    assert {"name", "version"} <= set(answer["lists"][0])


def test_table_output(app: typer.Typer, shared_data: Path) -> None:
    sample = str(shared_data / "ofac-sdn" / "sdn_sample.csv")
    done = runner.invoke(app, ["screen", "Mahan Air", "--list", sample])
    assert done.exit_code == 0 and "list: Specially Designated Nationals" in done.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--list", "absent.csv"], "no such file"),
        (["--list", "{bad}"], "row 2: 2 fields"),
        (["--list", "{good}", "--country", "XX"], "not an ISO 3166-1 alpha-2"),
        (["--list", "{good}", "--threshold", "1.5"], "--threshold"),
        ([], "at least one --list"),
    ],
)
def test_user_mistakes_exit_2(
    app: typer.Typer, shared_data: Path, extra: list[str], message: str
) -> None:
    files = {
        "{bad}": str(shared_data / "csl" / "invalid_csl.csv"),
        "{good}": str(shared_data / "csl" / "csl_sample.csv"),
    }
    done = runner.invoke(app, ["screen", "Acme", *[files.get(a, a) for a in extra]])
    assert done.exit_code == 2
    assert message in done.stderr and "Traceback" not in done.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "it holds no letter or digit"),
        ("...", "it holds no letter or digit"),
        ("LLC", "only legal-form words (llc)"),
        ("Co., Ltd.", "only legal-form words (co ltd)"),
    ],
)
def test_unscreenable_name_exits_2(
    app: typer.Typer, shared_data: Path, name: str, message: str
) -> None:
    sample = str(shared_data / "ofac-sdn" / "sdn_sample.csv")
    done = runner.invoke(app, ["screen", name, "--list", sample])
    assert done.exit_code == 2
    assert "cannot be screened" in done.stderr and message in done.stderr
    assert "Traceback" not in done.output


def test_add_and_alt_alone_exit_2(app: typer.Typer, shared_data: Path) -> None:
    sdn = shared_data / "ofac-sdn"
    done = runner.invoke(
        app,
        [
            "screen",
            "Mahan Air",
            "--list",
            str(sdn / "add_sample.csv"),
            "--list",
            str(sdn / "alt_sample.csv"),
        ],
    )
    assert done.exit_code == 2
    assert "no entries were loaded" in done.stderr and "Traceback" not in done.output


def test_orphaned_rows_are_a_warning(app: typer.Typer, shared_data: Path) -> None:
    sdn = shared_data / "ofac-sdn"
    files = ["--list", str(sdn / "sdn_sample.csv"), "--list", str(sdn / "alt_sample.csv")]
    done = runner.invoke(app, ["screen", "Mahan Air", *files, "--json"])
    assert done.exit_code == 0
    assert "warning:" in done.stderr and "5 of its 18 alt.csv rows" in done.stderr
    assert json.loads(done.stdout)["warnings"] == [done.stderr.split("warning: ", 1)[1].strip()]
