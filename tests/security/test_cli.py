"""``rackclear bond``: JSON contract and exit code 2 on bad input."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from rackclear.security.cli import register


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """rackclear (test)."""

    register(app)
    return app


runner = CliRunner()


def _json(app: typer.Typer, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["bond", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_us_continuous_json(app: typer.Typer) -> None:
    data = _json(app, "us-continuous", "--dtf", "730000", "--date", "2026-11-23")
    assert data["amount"] == "80000"
    assert data["currency"] == "USD"
    assert isinstance(data["steps"], list) and data["steps"]
    assert data["citations"]


def test_us_continuous_boundary(app: typer.Typer) -> None:
    assert (
        _json(app, "us-continuous", "--dtf", "1000001", "--date", "2026-11-23")["amount"]
        == "200000"
    )


def test_us_single_json(app: typer.Typer) -> None:
    data = _json(app, "us-single", "--value", "100000", "--dtf", "5000", "--date", "2026-11-23")
    assert (data["amount"], data["currency"]) == ("105000", "USD")
    pga = _json(app, "us-single", "--value", "100000", "--pga", "--date", "2026-11-23")
    assert pga["amount"] == "300000"


def test_ca_rpp_json(app: typer.Typer) -> None:
    data = _json(app, "ca-rpp", "--highest-month", "100000", "--date", "2026-11-23")
    assert (data["amount"], data["currency"]) == ("50000", "CAD")
    assert (
        _json(app, "ca-rpp", "--highest-month", "100000", "--cash", "--date", "2026-11-23")[
            "amount"
        ]
        == "100000"
    )
    assert (
        _json(app, "ca-rpp", "--highest-month", "4000", "--date", "2026-11-23")["amount"] == "5000"
    )


def test_unknown_rule_prints_null_amount_with_reason(app: typer.Typer) -> None:
    data = _json(app, "us-continuous", "--dtf", "730000", "--date", "2019-01-01")
    assert data["amount"] is None and data["reason"]


def test_text_output(app: typer.Typer) -> None:
    result = runner.invoke(
        app, ["bond", "us-continuous", "--dtf", "730000", "--date", "2026-11-23"]
    )
    assert result.exit_code == 0
    assert "80,000 USD" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["us-continuous", "--dtf", "abc"], "not a number"),
        (["us-continuous", "--dtf", "-5"], "non-negative"),
        (["us-continuous", "--dtf", "1000", "--date", "2026-13-01"], "not a date"),
        (["ca-rpp", "--highest-month", "inf"], "non-negative"),
        (["us-single", "--value", "100"], "--dtf is required"),
        (["us-continuous", "--dtf", "1e30"], "too large"),
    ],
)
def test_bad_input_exits_2_without_traceback(
    app: typer.Typer, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["bond", *args, "--json"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_option_is_a_usage_error(app: typer.Typer) -> None:
    result = runner.invoke(app, ["bond", "us-continuous", "--json"])
    assert result.exit_code == 2
