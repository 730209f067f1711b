"""Month-by-month projections of the security a plan needs.

United States: the duties, taxes and fees (DTF) of the trailing 12 calendar months, the continuous
bond each month requires and, given the bond held, the first entry that pushes the requirement
above it. Canada: the amount owed (duties + GST) per CARM billing period (18th to 17th, read from
``ca.billing_cycle``), the highest period of the trailing 12, the RPP security it requires, and the
annual recalculations (20 October) with the date an increase must be posted (15 January), both read
from ``ca.rpp_security``.

The entries given are taken as the complete record for the months they span (include past entries
to account for history). An entry's amount is a Decimal, ``None`` (unknown) or an ``Amount``: the
part that is known (estimates included, with their weakest grade) and whether anything beyond it
is unknown. What is known always counts; an unknown part is never taken as zero: every figure
whose 12-month window holds one is a lower bound, flagged ``at_least``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from rackclear.domain.grades import weakest
from rackclear.domain.money import as_text
from rackclear.domain.months import add_months, billing_period, month_end, month_start
from rackclear.rulebook.registry import Rulebook
from rackclear.security.bonds import (
    CA,
    CONTINUOUS,
    RPP,
    US,
    BondInputError,
    BondResult,
    RuleMalformed,
    ca_rpp_security,
    month_day,
    rule_decimal,
    rule_problem,
    us_continuous_bond,
)

BILLING = "billing_cycle"


@dataclass(frozen=True, slots=True)
class Amount:
    """What is known of an entry's amount: ``known`` (estimates included), whether that is all of
    it (``complete``), and the weakest grade of the known part."""

    known: Decimal
    complete: bool = True
    grade: str | None = None


def _part(value: Decimal | Amount | None, what: str) -> Amount:
    if isinstance(value, Amount):
        _amount(value.known, what)
        return value
    checked = _amount(value, what)
    return Amount(Decimal(0), False) if checked is None else Amount(checked)


def _weaker(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return weakest((a, b))


def _amount(value: Decimal | None, what: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise BondInputError(f"{what} must be a non-negative finite Decimal or None, got {value!r}")
    return value


def _text(value: Decimal | None) -> str | None:
    return as_text(value) if value is not None else None


# --------------------------------------------------------------------------- United States


@dataclass(frozen=True, slots=True)
class UsMonth:
    """One calendar month of a US projection."""

    month: date  # first day
    dtf: Decimal  # known DTF of the month's entries (estimates included)
    unknown_entries: int  # entries of the month whose DTF is unknown in whole or in part
    trailing_dtf: Decimal  # known DTF of the 12 months ending with this one
    at_least: bool  # an unknown DTF lies in the window: trailing_dtf and bond are lower bounds
    bond: BondResult  # the continuous bond required for trailing_dtf
    above_current: bool | None  # None without a current bond or when the requirement is unknown
    grade: str | None = None  # the weakest grade of the known DTF of the month's entries
    entries: int = 0  # entries in the month

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month.isoformat()[:7],
            "entries": self.entries,
            "dtf": as_text(self.dtf),
            "dtf_grade": self.grade,
            "unknown_entries": self.unknown_entries,
            "trailing_dtf": as_text(self.trailing_dtf),
            "at_least": self.at_least,
            "bond_required": _text(self.bond.amount),
            "bond_reason": self.bond.reason,
            "above_current": self.above_current,
        }


@dataclass(frozen=True, slots=True)
class BondIncrease:
    """The first point where the planned entries push the requirement above the bond held."""

    month: date  # first day of the month in which it happens
    increase_by: date  # the date of the entry that pushes it above: increase before filing it
    required: Decimal
    current: Decimal
    at_least: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month.isoformat(),
            "increase_by": self.increase_by.isoformat(),
            "required": as_text(self.required),
            "current": as_text(self.current),
            "at_least": self.at_least,
        }


@dataclass(frozen=True, slots=True)
class UsProjection:
    currency: str | None
    current_bond: Decimal | None
    months: tuple[UsMonth, ...]
    increase: BondIncrease | None
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "current_bond": _text(self.current_bond),
            "months": [m.to_dict() for m in self.months],
            "increase": self.increase.to_dict() if self.increase else None,
            "notes": list(self.notes),
        }


def project_us_bond(
    book: Rulebook,
    entries: Iterable[tuple[date, Decimal | Amount | None]],
    *,
    current_bond: Decimal | None = None,
    start: date | None = None,
    end: date | None = None,
) -> UsProjection:
    """Project the continuous bond month by month from ``(entry_date, dtf)`` pairs (``dtf=None``:
    unknown; an ``Amount``: its known part counts, the rest makes the figures lower bounds).
    Months run from ``start`` (default: the first entry's month) to ``end`` (default: the last
    entry's month); each month's figure uses the rules in force on its last day."""
    rows = sorted(
        ((d, _part(v, f"DTF of the entry of {d}")) for d, v in entries), key=lambda r: r[0]
    )
    _amount(current_bond, "current bond")
    currency = book.packs[US].meta.currency if US in book.packs else None
    if not rows and (start is None or end is None):
        return UsProjection(currency, current_bond, (), None, ("no entries",))
    first = month_start(start or rows[0][0])
    last = month_start(end or rows[-1][0])
    rule = book.parameter(US, CONTINUOUS, month_end(first))
    try:
        problem = rule_problem(rule)
        if problem is not None:
            raise RuleMalformed(problem)
        window_months = int(rule_decimal(rule.value, "dtf_period_months", rule.rule))
    except RuleMalformed as exc:
        return UsProjection(currency, current_bond, (), None, (f"Bond unknown: {exc}",))
    known: dict[date, Decimal] = {}
    unknown: dict[date, int] = {}
    count: dict[date, int] = {}
    grades: dict[date, str | None] = {}
    for day, dtf in rows:
        m = month_start(day)
        count[m] = count.get(m, 0) + 1
        known[m] = known.get(m, Decimal(0)) + dtf.known
        if dtf.known or dtf.complete:
            grades[m] = _weaker(grades.get(m), dtf.grade)
        if not dtf.complete:
            unknown[m] = unknown.get(m, 0) + 1
    months: list[UsMonth] = []
    m = first
    while m <= last:
        window = [add_months(m, -k) for k in range(window_months)]
        trailing = sum((known.get(w, Decimal(0)) for w in window), Decimal(0))
        at_least = any(unknown.get(w, 0) for w in window)
        bond = us_continuous_bond(book, trailing, month_end(m))
        above = (
            bond.amount > current_bond
            if bond.amount is not None and current_bond is not None
            else None
        )
        months.append(
            UsMonth(
                m,
                known.get(m, Decimal(0)),
                unknown.get(m, 0),
                trailing,
                at_least,
                bond,
                above,
                grades.get(m),
                count.get(m, 0),
            )
        )
        m = add_months(m, 1)
    increase = (
        _first_increase(book, rows, current_bond, first, window_months)
        if current_bond is not None
        else None
    )
    notes: list[str] = []
    unknown_days = [d for d, v in rows if not v.complete]
    if unknown_days:
        notes.append(
            "DTF unknown in whole or in part for the entries of "
            + ", ".join(d.isoformat() for d in unknown_days)
            + ": the figures of the 12 months from each are lower bounds ('at least')"
            + ("; the increase may be needed earlier" if current_bond is not None else "")
        )
    if current_bond is not None and increase is None:
        notes.append("The planned entries do not push the requirement above the current bond")
    unknown_rules = sorted({mo.bond.reason for mo in months if mo.bond.reason})
    notes += [f"Bond unknown: {r}" for r in unknown_rules]
    return UsProjection(currency, current_bond, tuple(months), increase, tuple(notes))


def _first_increase(
    book: Rulebook,
    rows: list[tuple[date, Amount]],
    current: Decimal,
    first: date,
    window_months: int,
) -> BondIncrease | None:
    for day, _ in rows:
        if day < first:
            continue
        earliest = add_months(month_start(day), -(window_months - 1))
        window = [(d, v) for d, v in rows if earliest <= d <= day]
        trailing = sum((v.known for _, v in window), Decimal(0))
        at_least = any(not v.complete for _, v in window)
        bond = us_continuous_bond(book, trailing, day)
        if bond.amount is not None and bond.amount > current:
            return BondIncrease(month_start(day), day, bond.amount, current, at_least)
    return None


# --------------------------------------------------------------------------- Canada


@dataclass(frozen=True, slots=True)
class CaPeriod:
    """One CARM billing period of a Canadian projection."""

    starts: date
    ends: date
    owed: Decimal  # known duties + GST of the releases in the period (estimates included)
    unknown_releases: int  # releases whose duties or GST are unknown in whole or in part
    highest_12: Decimal  # highest period among this one and the 11 before
    at_least: bool
    security: BondResult
    above_current: bool | None
    grade: str | None = None  # the weakest grade of the known amounts owed in the period
    releases: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "starts": self.starts.isoformat(),
            "ends": self.ends.isoformat(),
            "releases": self.releases,
            "owed": as_text(self.owed),
            "owed_grade": self.grade,
            "unknown_releases": self.unknown_releases,
            "highest_12": as_text(self.highest_12),
            "at_least": self.at_least,
            "security_required": _text(self.security.amount),
            "security_reason": self.security.reason,
            "above_current": self.above_current,
        }


@dataclass(frozen=True, slots=True)
class CaRecalculation:
    """CBSA's annual recalculation: its window, the highest period in it, and the posting date."""

    on: date
    window_starts: date
    window_ends: date
    highest_month: Decimal
    at_least: bool
    beyond_plan: bool  # the window runs past the last planned release
    security: BondResult
    post_by: date
    increase: Decimal | None  # required minus current, when the requirement is above it

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "window": [self.window_starts.isoformat(), self.window_ends.isoformat()],
            "highest_month": as_text(self.highest_month),
            "at_least": self.at_least,
            "beyond_plan": self.beyond_plan,
            "security_required": _text(self.security.amount),
            "security_reason": self.security.reason,
            "post_by": self.post_by.isoformat(),
            "increase": _text(self.increase),
        }


@dataclass(frozen=True, slots=True)
class CaProjection:
    currency: str | None
    current_security: Decimal | None
    cash: bool
    periods: tuple[CaPeriod, ...]
    recalculations: tuple[CaRecalculation, ...]
    notes: tuple[str, ...]
    reason: str | None = None  # why there are no figures (a rule unusable)

    @property
    def next_recalculation(self) -> CaRecalculation | None:
        """The first recalculation after the last planned period."""
        if not self.periods:
            return None
        after = [r for r in self.recalculations if r.on > self.periods[-1].ends]
        return after[0] if after else None

    def to_dict(self) -> dict[str, Any]:
        nxt = self.next_recalculation
        return {
            "currency": self.currency,
            "current_security": _text(self.current_security),
            "cash": self.cash,
            "periods": [p.to_dict() for p in self.periods],
            "recalculations": [r.to_dict() for r in self.recalculations],
            "next_recalculation": nxt.to_dict() if nxt else None,
            "notes": list(self.notes),
            "reason": self.reason,
        }


def billing_days(book: Rulebook, when: date) -> tuple[int, int]:
    """The first and last day of a CARM billing period, from ``ca.billing_cycle``."""
    lookup = book.parameter(CA, BILLING, when)
    problem = rule_problem(lookup)
    if problem is not None:
        raise RuleMalformed(problem)
    rule: Mapping[str, Any] = lookup.value
    first, last = rule.get("period_starts_day"), rule.get("period_ends_day")
    if not isinstance(first, int) or not isinstance(last, int) or not 2 <= first <= 28:
        raise RuleMalformed(f"{lookup.rule}: period_starts_day/period_ends_day must be days 2-28")
    if last != first - 1:
        raise RuleMalformed(f"{lookup.rule}: a period must end the day before the next starts")
    return first, last


def project_ca_security(
    book: Rulebook,
    releases: Iterable[tuple[date, Decimal | Amount | None, Decimal | Amount | None]],
    *,
    current_security: Decimal | None = None,
    cash: bool = False,
    end: date | None = None,
) -> CaProjection:
    """Project the RPP security from ``(release_date, duties, gst)`` triples (``None``: unknown)
    per billing period, with each 20 October recalculation from the first release to the first
    after the last planned period."""
    rows: list[tuple[date, Amount]] = []
    for day, duties, gst in releases:
        d = _part(duties, f"duties of the release of {day}")
        g = _part(gst, f"GST of the release of {day}")
        grade = _weaker(d.grade, g.grade)
        rows.append((day, Amount(d.known + g.known, d.complete and g.complete, grade)))
    rows.sort(key=lambda r: r[0])
    _amount(current_security, "current security")
    currency = book.packs[CA].meta.currency if CA in book.packs else None
    if not rows:
        return CaProjection(currency, current_security, cash, (), (), ("no releases",))
    try:
        first_day, _ = billing_days(book, rows[0][0])
        rule_lookup = book.parameter(CA, RPP, rows[0][0])
        problem = rule_problem(rule_lookup)
        if problem is not None:
            raise RuleMalformed(problem)
        window_months = int(rule_decimal(rule_lookup.value, "lookback_months", rule_lookup.rule))
        recalc_md = month_day(rule_lookup.value, "recalculation", rule_lookup.rule)
        due_md = month_day(rule_lookup.value, "increase_due", rule_lookup.rule)
    except RuleMalformed as exc:
        return CaProjection(currency, current_security, cash, (), (), (), str(exc))

    known: dict[date, Decimal] = {}
    unknown: dict[date, int] = {}
    count: dict[date, int] = {}
    grades: dict[date, str | None] = {}
    for day, owed in rows:
        starts, _ = billing_period(day, first_day)
        count[starts] = count.get(starts, 0) + 1
        known[starts] = known.get(starts, Decimal(0)) + owed.known
        grades[starts] = _weaker(grades.get(starts), owed.grade)
        if not owed.complete:
            unknown[starts] = unknown.get(starts, 0) + 1
    starts = billing_period(rows[0][0], first_day)[0]
    last = billing_period(end or rows[-1][0], first_day)[0]
    spans: list[tuple[date, date]] = []
    while starts <= last:
        nxt = add_months(starts, 1).replace(day=first_day)
        spans.append((starts, nxt - timedelta(days=1)))
        starts = nxt

    periods: list[CaPeriod] = []
    for i, (s, e) in enumerate(spans):
        window = spans[max(0, i - (window_months - 1)) : i + 1]
        highest = max(known.get(ws, Decimal(0)) for ws, _ in window)
        at_least = any(unknown.get(ws, 0) for ws, _ in window)
        security = ca_rpp_security(book, highest, cash, e)
        above = (
            security.amount > current_security
            if security.amount is not None and current_security is not None
            else None
        )
        periods.append(
            CaPeriod(
                s,
                e,
                known.get(s, Decimal(0)),
                unknown.get(s, 0),
                highest,
                at_least,
                security,
                above,
                grades.get(s),
                count.get(s, 0),
            )
        )

    recalcs: list[CaRecalculation] = []
    plan_start, plan_end = spans[0][0], spans[-1][1]
    year = plan_start.year
    while True:
        on = date(year, *recalc_md)
        year += 1
        if on <= plan_start:
            continue
        window_starts = date(on.year - 1, *recalc_md)
        window_ends = on - timedelta(days=1)
        inside = [(s, e) for s, e in spans if window_starts <= e <= window_ends]
        highest = max((known.get(s, Decimal(0)) for s, _ in inside), default=Decimal(0))
        at_least = any(unknown.get(s, 0) for s, _ in inside)
        security = ca_rpp_security(book, highest, cash, on)
        post_by = date(on.year, *due_md)
        if post_by <= on:
            post_by = date(on.year + 1, *due_md)
        increase = (
            security.amount - current_security
            if security.amount is not None
            and current_security is not None
            and security.amount > current_security
            else None
        )
        recalcs.append(
            CaRecalculation(
                on,
                window_starts,
                window_ends,
                highest,
                at_least,
                window_ends > plan_end,
                security,
                post_by,
                increase,
            )
        )
        if on > plan_end:
            break

    notes: list[str] = []
    unknown_days = [d for d, v in rows if not v.complete]
    if unknown_days:
        notes.append(
            "Duties or GST unknown in whole or in part for the releases of "
            + ", ".join(d.isoformat() for d in unknown_days)
            + ": the highest month and the security are lower bounds ('at least') while those "
            "periods are in the window"
        )
    return CaProjection(
        currency, current_security, cash, tuple(periods), tuple(recalcs), tuple(notes)
    )
