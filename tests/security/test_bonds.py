"""Worked examples of FACTS.md sections c and g, computed from the rule packs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rackclear.rulebook import Rulebook, Status
from rackclear.security.bonds import (
    BondInputError,
    ca_rpp_security,
    round_up_tiered,
    us_continuous_bond,
    us_single_transaction_bond,
)

WHEN = date(2026, 11, 23)
D = Decimal


@pytest.mark.parametrize(
    ("dtf", "bond"),
    [
        ("730000", "80000"),
        ("1250000", "200000"),
        ("120000", "50000"),
        ("0", "50000"),
        ("500000", "50000"),  # up to 500,000 the minimum is adequate
        ("500001", "60000"),  # between 500,000 and 600,000: 60,000
        ("550000", "60000"),
        ("600000", "60000"),
        ("990000", "100000"),
        ("1000000", "100000"),  # exactly the 10,000-step limit
        ("1000001", "200000"),  # above it: 100,000 steps
        ("1500000", "200000"),
        ("2000000", "200000"),  # between 1 M and 2 M: 200,000
        ("4500000", "500000"),  # between 4 M and 5 M: 500,000
    ],
)
def test_us_continuous_bond_worked_examples(book: Rulebook, dtf: str, bond: str) -> None:
    result = us_continuous_bond(book, D(dtf), WHEN)
    assert result.amount == D(bond)
    assert result.currency == "USD"
    assert result.reason is None


def test_us_continuous_bond_steps_are_cited(book: Rulebook) -> None:
    result = us_continuous_bond(book, D("730000"), WHEN)
    assert result.exact == D("73000")
    assert [s.result for s in result.steps[:4]] == [
        "730,000 USD",
        "73,000 USD",
        "73,000 USD",
        "80,000 USD",
    ]
    rules = {c.rule for c in result.citations}
    assert "us.continuous_bond" in rules
    assert any("113.1" in c.reference and "3510-004" in c.reference for c in result.citations)


def test_rounding_tiers_follow_the_directive_wording() -> None:
    tiers = [(D("100000"), D("10000")), (None, D("100000"))]
    assert round_up_tiered(D("50000.01"), tiers)[0] == D("60000")
    assert round_up_tiered(D("100000"), tiers)[0] == D("100000")
    assert round_up_tiered(D("100000.10"), tiers)[0] == D("200000")
    assert round_up_tiered(D("200000"), tiers)[0] == D("200000")


def test_us_continuous_bond_before_the_rule_is_unknown_not_zero(book: Rulebook) -> None:
    result = us_continuous_bond(book, D("730000"), date(2020, 1, 1))
    assert result.amount is None
    assert result.reason is not None and "not in force" in result.reason.replace(
        "no value", "not in force"
    )


def test_negative_input_is_refused(book: Rulebook) -> None:
    with pytest.raises(BondInputError):
        us_continuous_bond(book, D("-1"), WHEN)
    with pytest.raises(BondInputError):
        ca_rpp_security(book, D("NaN"), False, WHEN)


def test_single_transaction_bond(book: Rulebook) -> None:
    result = us_single_transaction_bond(book, D("250000"), D("65000"), False, WHEN)
    assert result.amount == D("315000")
    assert result.kind == "us_single_transaction"


def test_single_transaction_bond_pga_is_three_times_value(book: Rulebook) -> None:
    result = us_single_transaction_bond(book, D("250000"), D("65000"), True, WHEN)
    assert result.amount == D("750000")
    # DTF does not enter the PGA floor, so an unknown DTF does not make it unknown
    assert us_single_transaction_bond(book, D("250000"), None, True, WHEN).amount == D("750000")


def test_single_transaction_bond_unknown_dtf_is_unknown(book: Rulebook) -> None:
    result = us_single_transaction_bond(book, D("250000"), None, False, WHEN)
    assert result.amount is None
    assert result.reason is not None and "unknown" in result.reason


@pytest.mark.parametrize(
    ("highest", "cash", "security"),
    [
        ("4000", False, "5000"),  # minimum
        ("0", False, "5000"),
        ("10000", False, "5000"),  # 50 % = the minimum exactly
        ("100000", False, "50000"),  # middle
        ("30000000", False, "10000000"),  # maximum
        ("20000000", False, "10000000"),
        ("100000", True, "100000"),  # cash: 100 %
        ("4000", True, "5000"),
    ],
)
def test_ca_rpp_security(book: Rulebook, highest: str, cash: bool, security: str) -> None:
    result = ca_rpp_security(book, D(highest), cash, WHEN)
    assert result.amount == D(security)
    assert result.currency == "CAD"


def test_ca_rpp_outdated_25000_minimum_is_never_produced(book: Rulebook) -> None:
    # Below a highest month of 50,000 the old CAD 25,000 floor would have applied: it must not.
    for highest in ("0", "1", "4000", "10000", "20000", "49999"):
        amount = ca_rpp_security(book, D(highest), False, WHEN).amount
        assert amount is not None and amount < D("25000")
        assert amount == max(D("5000"), D(highest) / 2)
    assert ca_rpp_security(book, D("24000"), True, WHEN).amount == D("24000")
    lookup = book.parameter("ca", "rpp_security", WHEN)
    assert D(lookup.value["minimum"]) == D("5000")
    assert "25000" not in str(lookup.value)


def test_ca_rpp_steps_cite_d17_1_8_and_dates(book: Rulebook) -> None:
    result = ca_rpp_security(book, D("100000"), False, WHEN)
    assert any("D17-1-8" in c.reference for c in result.citations)
    texts = " ".join(s.text for s in result.steps)
    assert "20 October" in texts and "15 January" in texts
    cash = ca_rpp_security(book, D("100000"), True, WHEN)
    assert cash.notices  # bounds on cash are not confirmed


def test_ca_rpp_before_carm_is_unknown(book: Rulebook) -> None:
    result = ca_rpp_security(book, D("100000"), False, date(2024, 1, 1))
    assert result.amount is None and result.reason


def test_executive_order_is_recorded_without_numbers(book: Rulebook) -> None:
    pending = book.parameter("us", "customs_enforcement_eo", date(2026, 7, 1))
    assert pending.status is Status.IN_FORCE
    assert pending.citation is not None and pending.citation.effective_from == date(2026, 6, 3)
    value = pending.value
    assert value["deadlines"] == {"within_90_days": "2026-09-01", "within_180_days": "2026-11-30"}
    assert "minimum" not in value and "percent_of_dtf" not in value
    for directive in value["directives"]:
        digits = [ch for ch in directive if ch.isdigit()]
        assert not digits or directive.endswith("(50 % per the order)")  # the penalty floor only
    assert not any(ch.isdigit() for ch in value["numeric_thresholds"])
    after = book.parameter("us", "customs_enforcement_eo", date(2026, 12, 1))
    assert after.status is Status.UNVERIFIED  # implementation: not verified
    assert (
        book.parameter("us", "customs_enforcement_eo", date(2026, 6, 2)).status
        is Status.NOT_IN_FORCE
    )


def test_executive_order_flags_but_does_not_change_the_bond(book: Rulebook) -> None:
    before = us_continuous_bond(book, D("730000"), date(2026, 5, 1))
    pending = us_continuous_bond(book, D("730000"), date(2026, 7, 1), foreign_ior=True)
    after = us_continuous_bond(book, D("730000"), date(2027, 1, 5))
    assert before.amount == pending.amount == after.amount == D("80000")
    assert not before.notices
    assert any("no numeric bond minimum" in n for n in pending.notices)
    assert any("foreign importer of record" in n for n in pending.notices)
    assert any("unverified" in n for n in after.notices)


def test_calculators_hold_no_literal_amounts() -> None:
    from pathlib import Path

    import rackclear.security.bonds as bonds

    text = Path(bonds.__file__).read_text(encoding="utf-8")
    for literal in ("50000", "50_000", "10000000", "5000", "100000", '"10"', '"50"', '"3"'):
        assert literal not in text
