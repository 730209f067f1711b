"""Properties that every jurisdiction must hold (in the spirit of python-stdnum's robustness test):
landed cost >= customs value; an unknown rate never turns into a zero amount; junk input is
refused cleanly."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rackclear.domain.dossier import entry_totals
from rackclear.domain.money import Money
from rackclear.rulebook import Rulebook, load_rulebook
from rackclear.valuation.engine import assess_entry
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, EntryResult, LineInput

BOOK = load_rulebook()
COUNTRIES = BOOK.countries()
CODES = {
    c: sorted({line.code for line in BOOK.tariff(BOOK.jurisdiction(c).meta.id).lines.values()})
    for c in COUNTRIES
}  # type: ignore[union-attr]


@st.composite
def entries(draw: st.DrawFn) -> tuple[EntryInput, date]:
    country = draw(st.sampled_from(COUNTRIES))
    code = draw(st.sampled_from(CODES[country]))
    currency = draw(st.sampled_from(["USD", "EUR", "JPY", "INR", "CAD", "SGD"]))
    value = draw(st.decimals(min_value=Decimal("1"), max_value=Decimal("50000000"), places=2))
    freight = draw(
        st.one_of(
            st.none(), st.decimals(min_value=Decimal("0"), max_value=Decimal("500000"), places=2)
        )
    )
    as_of = draw(st.dates(min_value=date(2018, 1, 1), max_value=date(2027, 12, 31)))
    line = LineInput(
        0,
        "SKU",
        "item",
        draw(st.integers(1, 500)),
        Money(value, currency),
        draw(st.sampled_from(["CN", "TW", "US", "MX", "MY"])),
        code,
    )
    entry = EntryInput(
        "P1",
        country,
        as_of,
        draw(st.sampled_from(["air", "ocean", "road"])),
        draw(st.sampled_from(["FCA", "CIF", "DAP", "EXW", "DDP"])),
        (line,),
        Money(freight, currency) if freight is not None else None,
    )
    return entry, as_of


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries())
def test_every_jurisdiction_keeps_its_invariants(sample: tuple[EntryInput, date]) -> None:
    entry, as_of = sample
    result = assess_entry(BOOK, FxService(BOOK, as_of), entry, as_of)
    line = result.lines[0]
    if line.customs_value is not None and line.landed_cost is not None:
        assert line.landed_cost.amount >= line.customs_value.amount
    for charge in result.charges():
        if charge.amount is not None:
            assert charge.amount.amount >= 0
        # unknown never zero: a charge without a usable rate has no amount
        if charge.rate is None:
            assert charge.amount is None or charge.id in {"declaration_fee"}
        if charge.amount is None:
            assert line.landed_cost is None
    if any(c.amount is None for c in result.charges()):
        assert any(f.severity.value == "blocker" for f in result.findings), [
            f.code for f in result.findings
        ]
    _known_is_never_dropped(result)


def _known_is_never_dropped(result: EntryResult) -> None:
    """An unknown input makes the estimate unknown (never 0), and every known amount still
    counts: the lower end of the total is at least the sum of the known amounts, the confirmed
    part never exceeds the estimate, and a range always contains its estimate."""
    totals = entry_totals(result)
    charges = result.charges()
    known = sum((c.amount.amount for c in charges if c.amount is not None), Decimal(0))
    if any(c.amount is None for c in charges):
        assert totals.total_duties_taxes_fees is None and totals.landed_cost is None
        assert totals.landed_cost_high is None  # unbounded, never a made-up figure
    line = result.lines[0]
    if line.price is not None and totals.landed_cost_low is not None:
        low = totals.landed_cost_low
        assert low >= line.price.amount + known - Decimal("0.05"), (low, known)
    if totals.landed_cost is not None:
        assert totals.landed_cost_low is not None and totals.landed_cost_high is not None
        assert totals.landed_cost_low <= totals.landed_cost <= totals.landed_cost_high
        assert totals.landed_cost_at_least is not None
        assert totals.landed_cost_at_least <= totals.landed_cost + Decimal("0.05")
    for c in charges:
        if c.amount is not None and c.high is not None:
            assert c.low <= c.amount.amount <= c.high
        assert c.firm <= (c.amount.amount if c.amount is not None else c.low) + Decimal("0.01")


def test_weak_rows_give_graded_estimates_never_firm_amounts(book: Rulebook) -> None:
    as_of = date(2026, 11, 23)
    for country in COUNTRIES:
        pack = book.jurisdiction(country)
        assert pack is not None
        tariff = book.tariff(pack.meta.id)
        assert tariff is not None
        for line in tariff.lines.values():
            for column in tariff.columns():
                found = tariff.rate(line.code, column, as_of)
                if found.citation is not None and not found.citation.verified and found.estimable:
                    entry = EntryInput(
                        "U",
                        country,
                        as_of,
                        "air",
                        "FCA",
                        (LineInput(0, "S", "x", 1, Money(Decimal(1000), "USD"), "TW", line.code),),
                        Money(Decimal(10), "USD"),
                    )
                    result = assess_entry(book, FxService(book, as_of), entry, as_of)
                    duties = [
                        c
                        for c in result.charges()
                        if c.kind == "duty" and c.citation == found.citation
                    ]
                    # a weak value is used as an estimate, never as firm: its grade says so, it
                    # counts nothing towards the confirmed part, and the line's value is at risk
                    for c in duties:
                        assert c.amount is not None and c.grade == found.citation.grade
                        assert c.firm == 0, (country, line.code, column)
                    if duties:
                        assert result.lines[0].at_risk


JUNK = [
    ["--destination", "Atlantis", "--value", "1", "--currency", "USD"],
    ["--destination", "US", "--value", "NaN", "--currency", "USD"],
    ["--destination", "US", "--value", "1e999999", "--currency", "USD"],
    ["--destination", "US", "--value", "-1", "--currency", "usd"],
    ["--destination", "DE", "--value", "100", "--currency", "EUR", "--date", "2026-02-30"],
    ["--destination", "DE", "--value", "100", "--currency", "EUR", "--mode", "teleport"],
    ["--destination", "DE", "--value", "100", "--currency", "EUR", "--freight", "abc"],
]


def test_junk_input_is_refused_cleanly() -> None:
    for args in JUNK:
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                "from rackclear.cli import main; main()",
                "cost",
                *args,
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert "Traceback" not in run.stdout + run.stderr, args
