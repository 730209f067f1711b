"""Property: whatever values a user types for the options of ``cost``, ``eccn``, ``schedule`` and
``deadline``, the command exits 0 or 2 and never ends in an exception (a traceback).

The CLI's ``main()`` runs in this process (hundreds of runs would take minutes as subprocesses);
any exception other than ``SystemExit`` escaping it fails the property."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rackclear.cli import main
from tests.cli.cli_run import EXAMPLE

TYPED = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
WORDS = st.text(TYPED, max_size=24)
NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(repr),
    st.sampled_from(["nan", "inf", "-Infinity", "1e308", "1e-308", "0", "-0", "1e999999999", ""]),
)
VALUES = st.one_of(NUMBERS, WORDS)
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), WORDS, st.sampled_from(["2026-02-30"]))
COUNTRIES = st.one_of(st.sampled_from(["US", "CA", "NL", "IN", "XX", "us"]), WORDS)


def _settings(examples: int) -> settings:
    """Few examples (each runs a whole command), no deadline, no example database left behind."""
    slow = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
    return settings(max_examples=examples, deadline=None, suppress_health_check=slow, database=None)


def _exit_code(args: list[str]) -> int:
    """Run ``rackclear ARGS`` in-process; its exit code (an exception escapes to the test)."""
    saved = sys.argv
    sys.argv = ["rackclear", *args]
    try:
        main()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    finally:
        sys.argv = saved
    return 0


def _options(**values: str | None) -> list[str]:
    return [f"--{k.replace('_', '-')}={v}" for k, v in values.items() if v is not None]


@_settings(80)
@example(
    destination="US",
    value="1e999999999",
    currency="USD",
    hs="[/]:x:",
    freight="1e-308",
    insurance="nan",
    duty_rate="inf",
    mode="air",
    date="9999-12-31",
)
@given(
    destination=COUNTRIES,
    value=NUMBERS,
    currency=st.one_of(st.sampled_from(["USD", "CAD", "EUR", "usd"]), WORDS),
    hs=st.none() | st.one_of(st.sampled_from(["8471.50.0150", "847150", "8471"]), WORDS),
    freight=st.none() | NUMBERS,
    insurance=st.none() | NUMBERS,
    duty_rate=st.none() | NUMBERS,
    mode=st.none() | st.one_of(st.sampled_from(["air", "ocean", "road"]), WORDS),
    date=st.none() | DATES,
)
def test_cost_options_exit_0_or_2(capsys: pytest.CaptureFixture[str], **values: str | None) -> None:
    code = _exit_code(["cost", *_options(**values)])
    assert code in (0, 2), capsys.readouterr()


SPEC_KEYS = st.sampled_from(
    [
        "kind",
        "tpp",
        "die_area_mm2",
        "dense_tops.fp8",
        "datacenter",
        "accelerators",
        "dram_bandwidth_gbps",
    ]
)
KINDS = st.sampled_from(["gpu", "gpu_server", "ic", "network_switch", "server"])


@_settings(80)
@example(specs=[("tpp", "1e308"), ("die_area_mm2", "1e-308")], date=None, as_json=False)
@example(
    specs=[("kind", "gpu"), ("tpp", "4800"), ("die_area_mm2", "1e-9")], date=None, as_json=True
)
@given(
    specs=st.lists(st.tuples(SPEC_KEYS, st.one_of(VALUES, KINDS)), max_size=5),
    date=st.none() | DATES,
    as_json=st.booleans(),
)
def test_eccn_options_exit_0_or_2(
    capsys: pytest.CaptureFixture[str],
    specs: list[tuple[str, str]],
    date: str | None,
    as_json: bool,
) -> None:
    args = ["eccn", *(f"--spec={k}={v}" for k, v in specs), *_options(date=date)]
    code = _exit_code(args + (["--json"] if as_json else []))
    assert code in (0, 2), capsys.readouterr()


SMALL_OR_WILD = st.one_of(st.integers(1, 20).map(str), NUMBERS, WORDS)


@_settings(30)
@example(runs="100000000", seed=str(10**30), time_limit="nan", max_runs=None, as_of=None)
@example(runs="1", seed="-1", time_limit=None, max_runs=None, as_of="0001-01-01")
@given(
    runs=st.none() | SMALL_OR_WILD,
    seed=st.none() | st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), WORDS),
    time_limit=st.none() | NUMBERS,
    max_runs=st.none() | SMALL_OR_WILD,
    as_of=st.none() | DATES,
)
def test_schedule_options_exit_0_or_2(
    capsys: pytest.CaptureFixture[str], **values: str | None
) -> None:
    code = _exit_code(["schedule", str(EXAMPLE), "--json", *_options(**values)])
    assert code in (0, 2), capsys.readouterr()


@_settings(60)
@example(release="9999-12-31", province=None)
@given(
    release=DATES,
    province=st.none() | st.one_of(st.sampled_from(["ON", "QC", "BC", "on", "XX"]), WORDS),
)
def test_deadline_options_exit_0_or_2(
    capsys: pytest.CaptureFixture[str], release: str, province: str | None
) -> None:
    code = _exit_code(
        ["deadline", "ca-cad", "--json", *_options(release=release, province=province)]
    )
    assert code in (0, 2), capsys.readouterr()
