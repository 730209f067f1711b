"""Option values are checked, with their range, before any work: dates within the supported
range, finite and bounded --spec numbers, bounded schedule runs, seeds and time limits."""

from __future__ import annotations

import pytest

from rackclear.dates import EARLIEST_DATE, LATEST_DATE
from tests.cli.cli_run import AS_OF, EXAMPLE, refused, run

RANGE = f"outside the supported range {EARLIEST_DATE} to {LATEST_DATE}"
COST = ("cost", "--destination", "US", "--value", "100", "--currency", "USD")
DATED = {
    "plan": (("plan", EXAMPLE, "--no-schedule"), "--as-of"),
    "schedule": (("schedule", EXAMPLE), "--as-of"),
    "cost": (COST, "--date"),
    "classify": (("classify", "Rack server, 2 x CPU"), "--date"),
    "eccn": (("eccn", "--spec", "tpp=100"), "--date"),
    "licence": (("licence", "--eccn", "4A090.a", "--destination", "CN"), "--date"),
    "requirements": (("requirements", "--destination", "US", "--kind", "server"), "--date"),
    "rules": (("rules",), "--as-of"),
}


def test_the_earliest_date_is_the_first_day_of_the_fx_history() -> None:
    from rackclear.valuation.fx import ecb_history

    history = ecb_history()
    assert min(days[0] for days in history.dates.values() if days) == EARLIEST_DATE
    assert history.last < LATEST_DATE


@pytest.mark.parametrize("day", ["0001-01-01", "1999-01-01", "2100-01-01", "9999-12-31"])
@pytest.mark.parametrize("command", sorted(DATED))
def test_a_date_outside_the_supported_range_is_refused(
    command: str, day: str, tmp_path: object
) -> None:
    args, option = DATED[command]
    extra = ("--out", str(tmp_path)) if command == "plan" else ()
    done = refused(*args, *extra, option, day, naming=f"{option}: {day} is {RANGE}")
    assert done.stdout == ""


def test_the_ends_of_the_range_are_accepted() -> None:
    for day in (EARLIEST_DATE, LATEST_DATE):
        assert run(*COST, "--date", day.isoformat()).returncode == 0
        assert run("eccn", "--spec", "tpp=100", "--date", day.isoformat()).returncode == 0


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("tpp=1e308", "out of range"),
        ("die_area_mm2=1e-308", "out of range"),
        ("tpp=Infinity", "not a finite number"),
        ("tpp=NaN", "not a finite number"),
        ("tpp=1e15", "out of range"),
    ],
)
def test_eccn_refuses_non_finite_or_out_of_range_numbers(spec: str, why: str) -> None:
    done = refused("eccn", "--spec", spec, "--spec", "kind=gpu", "--date", AS_OF, naming=why)
    assert f"--spec {spec}" in done.stderr


def test_eccn_lists_every_bad_number_at_once() -> None:
    args = ("--spec", "tpp=1e308", "--spec", "die_area_mm2=1e-308", "--date", AS_OF)
    done = refused("eccn", *args, naming="--spec tpp=1e308")
    assert "--spec die_area_mm2=1e-308" in done.stderr


def test_eccn_accepts_ordinary_numbers_and_text() -> None:
    args = ("--spec", "kind=gpu", "--spec", "tpp=4800", "--spec", "die_area_mm2=814")
    done = run("eccn", *args, "--spec", "datacenter=true", "--date", AS_OF)
    assert done.returncode == 0 and "ECCN 3A090" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--runs", "100000000"), "--runs: 100000000 must be between 1 and 100,000"),
        (("--runs", "0"), "--runs: 0 must be between 1"),
        (("--seed", "9" * 40), f"--seed: {'9' * 40} must be between 0 and 4294967295"),
        (("--seed", "-1"), "--seed: -1 must be between 0 and 4294967295"),
        (("--time-limit", "nan"), "--time-limit: nan must be between 0.1 and 3600"),
        (("--time-limit", "inf"), "--time-limit: inf must be between 0.1 and 3600"),
        (("--max-runs", "0"), "--max-runs: 0 must be at least 1"),
    ],
)
def test_schedule_options_are_bounded_before_any_work(
    options: tuple[str, ...], message: str
) -> None:
    done = refused("schedule", EXAMPLE, "--as-of", AS_OF, *options, naming=message)
    assert done.stdout == ""


def test_the_runs_limit_says_how_to_raise_it_and_can_be_raised() -> None:
    done = refused("schedule", EXAMPLE, "--runs", "200000", naming="--max-runs")
    assert "raise the limit with --max-runs N" in done.stderr
    args = ("schedule", EXAMPLE, "--as-of", AS_OF, "--runs", "20", "--max-runs", "10", "--json")
    refused(*args, naming="--runs: 20 must be between 1 and 10")


def test_schedule_runs_with_options_in_range() -> None:
    args = ("--as-of", AS_OF, "--runs", "50", "--seed", "4294967295", "--json")
    assert run("schedule", EXAMPLE, *args).returncode == 0
