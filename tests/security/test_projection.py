"""Month-by-month projections of the US continuous bond and the Canadian RPP security."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rackclear.rulebook import Rulebook
from rackclear.security.bonds import BondInputError
from rackclear.security.projection import (
    Amount,
    add_months,
    billing_period,
    project_ca_security,
    project_us_bond,
)

D = Decimal


def _monthly(dtf: str, year: int = 2027, day: int = 10) -> list[tuple[date, Decimal | None]]:
    return [(date(year, m, day), D(dtf)) for m in range(1, 13)]


def test_us_twelve_monthly_entries_cross_the_current_bond(book: Rulebook) -> None:
    projection = project_us_bond(book, _monthly("70000"), current_bond=D("50000"))
    assert [m.month for m in projection.months] == [date(2027, m, 1) for m in range(1, 13)]
    assert [m.trailing_dtf for m in projection.months] == [D(70000 * k) for k in range(1, 13)]
    assert [m.bond.amount for m in projection.months] == [D(x) for x in (
        "50000", "50000", "50000", "50000", "50000", "50000", "50000",
        "60000", "70000", "70000", "80000", "90000",
    )]  # fmt: skip
    assert [m.above_current for m in projection.months] == [False] * 7 + [True] * 5
    increase = projection.increase
    assert increase is not None
    assert increase.month == date(2027, 8, 1)  # trailing DTF 560,000 needs 60,000
    assert increase.increase_by == date(2027, 8, 10)  # the entry that pushes it above
    assert increase.required == D("60000") and increase.current == D("50000")
    assert not increase.at_least


def test_us_crossing_is_the_entry_date_within_the_month(book: Rulebook) -> None:
    entries = [(date(2027, 3, 2), D("450000")), (date(2027, 3, 20), D("100000"))]
    projection = project_us_bond(book, entries, current_bond=D("50000"))
    assert projection.increase is not None
    assert projection.increase.month == date(2027, 3, 1)
    assert projection.increase.increase_by == date(2027, 3, 20)


def test_us_entries_roll_off_after_twelve_months(book: Rulebook) -> None:
    entries = [(date(2027, 1, 5), D("1500000")), (date(2028, 1, 5), D("10000"))]
    projection = project_us_bond(book, entries)
    by_month = {m.month: m for m in projection.months}
    assert by_month[date(2027, 12, 1)].bond.amount == D("200000")
    assert by_month[date(2028, 1, 1)].trailing_dtf == D("10000")
    assert by_month[date(2028, 1, 1)].bond.amount == D("50000")


def test_us_unknown_dtf_makes_later_months_at_least(book: Rulebook) -> None:
    entries = _monthly("70000")
    entries[3] = (date(2027, 4, 10), None)
    projection = project_us_bond(book, entries, current_bond=D("50000"))
    flags = [m.at_least for m in projection.months]
    assert flags == [False] * 3 + [True] * 9
    april = projection.months[3]
    assert april.unknown_entries == 1 and april.dtf == D("0")
    assert april.trailing_dtf == D("210000")  # the known part only, flagged as a lower bound
    assert projection.increase is not None and projection.increase.at_least
    assert projection.increase.month == date(2027, 9, 1)  # 560,000 known by September
    assert any("at least" in n and "2027-04-10" in n for n in projection.notes)


def test_us_no_crossing_is_reported(book: Rulebook) -> None:
    projection = project_us_bond(book, _monthly("10000"), current_bond=D("50000"))
    assert projection.increase is None
    assert any("do not push" in n for n in projection.notes)


def test_us_negative_dtf_is_refused(book: Rulebook) -> None:
    with pytest.raises(BondInputError):
        project_us_bond(book, [(date(2027, 1, 1), D("-5"))])


def test_billing_period_18th_to_17th() -> None:
    assert billing_period(date(2027, 3, 18), 18) == (date(2027, 3, 18), date(2027, 4, 17))
    assert billing_period(date(2027, 3, 17), 18) == (date(2027, 2, 18), date(2027, 3, 17))
    assert billing_period(date(2027, 1, 5), 18) == (date(2026, 12, 18), date(2027, 1, 17))
    assert add_months(date(2027, 12, 1), 1) == date(2028, 1, 1)


def test_ca_periods_highest_month_and_security(book: Rulebook) -> None:
    releases: list[tuple[date, Decimal | None, Decimal | None]] = [
        (date(2027, 1, 20), D("0"), D("40000")),
        (date(2027, 2, 10), D("0"), D("60000")),  # same period as Jan 20 (Jan 18 - Feb 17)
        (date(2027, 3, 1), D("10000"), D("190000")),  # Feb 18 - Mar 17: 200,000
        (date(2027, 6, 30), D("0"), D("20000")),
    ]
    projection = project_ca_security(book, releases, current_security=D("50000"))
    periods = projection.periods
    assert periods[0].starts == date(2027, 1, 18) and periods[0].ends == date(2027, 2, 17)
    assert periods[0].owed == D("100000")
    assert periods[0].security.amount == D("50000")
    assert periods[0].above_current is False
    assert periods[1].owed == D("200000") and periods[1].highest_12 == D("200000")
    assert periods[1].security.amount == D("100000") and periods[1].above_current is True
    assert periods[-1].starts == date(2027, 6, 18) and periods[-1].highest_12 == D("200000")
    assert projection.currency == "CAD"


def test_ca_recalculation_on_20_october_posted_by_15_january(book: Rulebook) -> None:
    releases = [(date(2027, m, 20), D("0"), D("30000")) for m in range(1, 13)]
    releases[4] = (date(2027, 5, 20), D("5000"), D("95000"))  # highest: 100,000
    projection = project_ca_security(book, releases, current_security=D("10000"))
    on = [r.on for r in projection.recalculations]
    assert on == [date(2027, 10, 20), date(2028, 10, 20)]
    first = projection.recalculations[0]
    assert (first.window_starts, first.window_ends) == (date(2026, 10, 20), date(2027, 10, 19))
    assert first.highest_month == D("100000")
    assert first.security.amount == D("50000")
    assert first.post_by == date(2028, 1, 15)
    assert first.increase == D("40000")
    nxt = projection.next_recalculation
    assert nxt is not None and nxt.on == date(2028, 10, 20) and nxt.post_by == date(2029, 1, 15)
    assert nxt.beyond_plan
    assert nxt.highest_month == D("30000") and nxt.security.amount == D("15000")


def test_ca_unknown_amount_is_at_least_never_zero(book: Rulebook) -> None:
    releases: list[tuple[date, Decimal | None, Decimal | None]] = [
        (date(2027, 1, 20), D("0"), D("8000")),
        (date(2027, 2, 20), None, D("1000")),
        (date(2027, 3, 20), D("0"), D("8000")),
    ]
    projection = project_ca_security(book, releases)
    assert [p.at_least for p in projection.periods] == [False, True, True]
    # the known GST of the release whose duties are unknown still counts (issue 13)
    assert projection.periods[1].owed == D("1000") and projection.periods[1].unknown_releases == 1
    assert projection.recalculations[0].at_least
    assert projection.notes


def test_ca_minimum_applies_to_small_plans(book: Rulebook) -> None:
    projection = project_ca_security(book, [(date(2027, 1, 20), D("100"), D("500"))])
    assert projection.periods[0].security.amount == D("5000")
    assert all(p.security.amount != D("25000") for p in projection.periods)


def test_known_parts_count_and_carry_their_grade(book: Rulebook) -> None:
    """An entry whose DTF is partly unknown keeps its known part in the month (never 0), the
    month is a lower bound, and the grade of the known part is kept."""
    us = project_us_bond(
        book,
        [
            (date(2027, 1, 5), Amount(D("96549.60"), complete=False, grade="secondary")),
            (date(2027, 1, 20), D("1000")),
        ],
    )
    jan = us.months[0]
    assert jan.dtf == D("97549.60") and jan.unknown_entries == 1 and jan.at_least
    assert jan.entries == 2 and jan.grade == "secondary"
    assert jan.to_dict()["dtf_grade"] == "secondary"
    ca = project_ca_security(
        book, [(date(2027, 1, 20), Amount(D("0"), False), Amount(D("8000"), grade="official"))]
    )
    assert ca.periods[0].owed == D("8000") and ca.periods[0].at_least
    assert ca.periods[0].to_dict()["owed_grade"] == "official"
