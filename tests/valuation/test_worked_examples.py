"""Worked examples from legal texts and published calculations (tests/cases/worked_examples.yaml)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from rackclear.domain.determination import Charge
from rackclear.domain.money import Money
from rackclear.rulebook import Rulebook
from rackclear.valuation.engine import assess_entry
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, EntryResult, LineInput

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "cases" / "worked_examples.yaml").read_text()
)


def run_case(book: Rulebook, as_of: date, given: dict[str, Any]) -> EntryResult:
    currency = given["currency"]

    def money(key: str) -> Money | None:
        return Money(Decimal(given[key]), currency) if key in given else None

    line = LineInput(
        0,
        "SKU",
        "test line",
        1,
        Money(Decimal(given["value"]), currency),
        given.get("origin", ""),
        given.get("hs"),
        given.get("specs", {}),
        given.get("preference"),
        given.get("origin_proof", False),
    )
    entry = EntryInput(
        "T1",
        given["destination"],
        given.get("ship_date", as_of),
        given.get("mode", "air"),
        given.get("incoterm", "FCA"),
        (line,),
        money("freight"),
        money("insurance"),
        money("origin_inland_freight"),
        site_use=given.get("site_use", "data_center"),
        value_on_destination_basis="freight" not in given
        and "insurance" not in given
        and "incoterm" not in given,
    )
    rate = Decimal(given["duty_rate"]) if "duty_rate" in given else None
    return assess_entry(book, FxService(book, as_of), entry, as_of, rate)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_worked_example(book: Rulebook, case: dict[str, Any]) -> None:
    result = run_case(book, case["as_of"], case["input"])
    expected = case["expected"]
    charges: dict[str, Charge] = {c.id: c for c in result.charges()}
    line = result.lines[0]
    if "customs_value" in expected:
        assert (
            _text(line.customs_value.amount if line.customs_value else None)
            == expected["customs_value"]
        )
    for cid, want in (expected.get("charges") or {}).items():
        assert cid in charges, f"{cid} not charged; have {sorted(charges)}"
        got = charges[cid]
        if "amount" in want:
            assert _text(got.amount.amount if got.amount else None) == want["amount"], cid
        if "exact" in want:
            assert _text(got.exact) == want["exact"], cid
        if "base" in want:
            assert _text(got.base.amount if got.base else None) == want["base"], cid
        if "grade" in want:
            assert got.grade == want["grade"], cid
        if "low" in want:
            assert _text(got.low) == want["low"], cid
        if "high" in want:
            assert _text(got.high) == want["high"], cid
    if "computed_in" in expected:
        assert (result.computed_in or result.currency) == expected["computed_in"]
    for cid in expected.get("absent", []):
        assert cid not in charges
    codes = {f.code for f in result.findings}
    assert set(expected.get("findings_include", [])) <= codes, codes
    assert not set(expected.get("findings_exclude", [])) & codes, codes
