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


@pytest.mark.parametrize("threshold", ["0", "-0.2", "1.5", "nan", "inf", "-inf"])
def test_a_threshold_outside_0_1_exits_2_before_any_work(app: typer.Typer, threshold: str) -> None:
    done = runner.invoke(
        app, ["screen", "Mahan Air", "--list", "absent.csv", "--threshold", threshold]
    )
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert "--threshold: threshold" in done.stderr and "above 0 and at most 1" in done.stderr
    assert "no such file" not in done.stderr  # refused before any list was read


def test_a_low_threshold_screens(app: typer.Typer, shared_data: Path) -> None:
    """Before: ``TypeError: score_cutoff has to be in the range of 0.0 - 100.0``."""
    sdn = str(shared_data / "ofac-sdn" / "sdn_2023-01.csv")
    args = ["screen", "Mahan Air", "--list", sdn, "--threshold", "0.1", "--json"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["matches"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--encoding", "klingon"], "--encoding: encoding 'klingon' is not an encoding"),
        (["--encoding", "base64"], "is not a text encoding"),
        (["--max-list-mb", "0"], "--max-list-mb: 0 must be from 1 to 16384"),
        (["--max-list-mb", "99999999"], "--max-list-mb: 99999999 must be from 1 to 16384"),
        (["--address", "a" * 70_000], "--address has 70,000 characters, over the limit"),
    ],
)
def test_bad_options_exit_2_before_any_work(
    app: typer.Typer, extra: list[str], message: str
) -> None:
    done = runner.invoke(app, ["screen", "Mahan Air", "--list", "absent.csv", *extra])
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert message in done.stderr and "no such file" not in done.stderr


def test_a_name_longer_than_a_name_may_be_exits_2(app: typer.Typer) -> None:
    done = runner.invoke(app, ["screen", "Q" * 30_000, "--list", "absent.csv"])
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert "30,000 characters, more than the 4,096 a name may have" in done.stderr


def test_a_list_over_max_list_mb_exits_2(app: typer.Typer, shared_data: Path) -> None:
    sdn = str(shared_data / "ofac-sdn" / "sdn_2023-01.csv")  # 2.8 MB
    done = runner.invoke(app, ["screen", "Mahan Air", "--list", sdn, "--max-list-mb", "1"])
    assert done.exit_code == 2 and "larger than the limit of 1,048,576 bytes" in done.stderr
    raised = runner.invoke(app, ["screen", "Mahan Air", "--list", sdn, "--max-list-mb", "3"])
    assert raised.exit_code == 0, raised.output


def test_encoding_option_reads_a_cp1252_list(
    app: typer.Typer, shared_data: Path, tmp_path: Path
) -> None:
    text = (shared_data / "ofac-sdn" / "sdn_sample.csv").read_text(encoding="utf-8")
    path = tmp_path / "sdn.csv"
    path.write_bytes(text.replace("AVIONICS", "AVIÓNICS").encode("cp1252"))
    refused = runner.invoke(app, ["screen", "Aircraft Avionics", "--list", str(path)])
    assert refused.exit_code == 2 and "row 5: byte 0xd3 is not UTF-8" in refused.stderr
    args = ["screen", "Aircraft Avionics Parts", "--list", str(path), "--encoding", "cp1252"]
    done = runner.invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    assert (
        json.loads(done.stdout)["matches"][0]["name"] == "AIRCRAFT, AVIÓNICS, PARTS & SUPPORT LTD."
    )


def test_listed_names_print_literally(app: typer.Typer, tmp_path: Path) -> None:
    """Rich markup and terminal escapes in a listed name are shown as written, not obeyed."""
    path = tmp_path / "sdn.csv"
    row = '7,"ACME [rev A] [bold]TRADING\x1b[31m",-0- ,"SDGT"' + ",-0- " * 8 + "\n"
    path.write_text(row, encoding="utf-8")
    done = runner.invoke(app, ["screen", "ACME rev A bold TRADING", "--list", str(path)])
    assert done.exit_code == 0, done.output
    assert "ACME [rev A]" in done.stdout and "[bold]TRADING\\" in done.stdout
    assert "\x1b" not in done.stdout
