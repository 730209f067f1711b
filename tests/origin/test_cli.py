"""The ``rvc`` command on a Typer app of its own: JSON contract, and user mistakes exit 2."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from rackclear.origin.cli import register

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    made = typer.Typer()
    register(made)

    @made.command("noop")
    def noop() -> None:  # a second command keeps "rvc" a subcommand
        """Nothing."""

    return made


def test_json_contract(app: typer.Typer) -> None:
    done = runner.invoke(
        app, ["rvc", "--method", "net-cost", "--value", "80000", "--vnm", "30000", "--json"]
    )
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["rvc"] == "62.50" and answer["method"] == "net-cost"
    assert answer["qualifies"] is None
    assert answer["steps"] and {"text", "result", "citation"} <= set(answer["steps"][0])
    assert answer["steps"][-1]["citation"]["rule"] == "cusma.rvc"


def test_threshold_and_shipping(app: typer.Typer) -> None:
    args = ["rvc", "--method", "transaction-value", "--value", "105000", "--vnm", "40000"]
    done = runner.invoke(app, [*args, "--shipping", "5000", "--threshold", "60", "--json"])
    answer = json.loads(done.stdout)
    assert answer["rvc"] == "60.00" and answer["qualifies"] is True and answer["base"] == "100000"
    done = runner.invoke(app, [*args, "--threshold", "62", "--date", "2026-01-01", "--json"])
    answer = json.loads(done.stdout)
    assert answer["rvc"] == "61.90" and answer["qualifies"] is False


def test_text_output(app: typer.Typer) -> None:
    done = runner.invoke(app, ["rvc", "--method", "net-cost", "--value", "80000", "--vnm", "40000"])
    assert done.exit_code == 0 and "RVC (net-cost): 50.00 %" in done.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--method", "build-down", "--value", "1", "--vnm", "0"], "--method"),
        (["--method", "net-cost", "--value", "abc", "--vnm", "0"], "not a number"),
        (["--method", "net-cost", "--value", "0", "--vnm", "0"], "must be positive"),
        (["--method", "net-cost", "--value", "10", "--vnm", "11"], "exceeds"),
        (["--method", "net-cost", "--value", "10", "--vnm", "1", "--shipping", "1"], "--shipping"),
        (["--method", "net-cost", "--value", "10", "--vnm", "1", "--date", "x"], "--date"),
        (
            ["--method", "net-cost", "--value", "10", "--vnm", "1", "--threshold", "150"],
            "threshold",
        ),
    ],
)
def test_user_mistakes_exit_2(app: typer.Typer, extra: list[str], message: str) -> None:
    done = runner.invoke(app, ["rvc", *extra, "--json"])
    assert done.exit_code == 2, done.output
    assert message in done.stderr and "Traceback" not in done.output
