"""Customs security calculators: the US continuous and single transaction bonds, and the Canadian
release prior to payment (RPP) security.

Every rate, minimum, maximum and rounding step is read from the rule packs (``us.continuous_bond``,
``us.single_transaction_bond``, ``us.customs_enforcement_eo``, ``ca.rpp_security``); this module
holds none. A rule that is not in force, unverified or malformed gives ``amount=None`` with a
``reason``: never zero.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.money import as_text, percent_of
from rackclear.rulebook.lookup import Lookup, Status
from rackclear.rulebook.registry import Rulebook

US = "us"
CA = "ca"
CONTINUOUS = "continuous_bond"
SINGLE = "single_transaction_bond"
EO = "customs_enforcement_eo"
RPP = "rpp_security"


class BondInputError(ValueError):
    """An input the calculators cannot take (negative, not finite)."""


class RuleMalformed(ValueError):
    """A rule's mapping lacks a key or holds a value that is not what the calculator needs."""


@dataclass(frozen=True, slots=True)
class BondResult:
    """A security amount with the steps that produced it. ``amount is None`` means unknown
    (``reason`` says why), never zero."""

    kind: str  # "us_continuous" | "us_single_transaction" | "ca_rpp"
    amount: Decimal | None
    currency: str | None
    steps: tuple[Step, ...] = ()
    citations: tuple[Citation, ...] = ()
    reason: str | None = None
    notices: tuple[str, ...] = ()
    exact: Decimal | None = None  # before rounding and bounds

    @property
    def known(self) -> bool:
        return self.amount is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "amount": as_text(self.amount) if self.amount is not None else None,
            "currency": self.currency,
            "exact": as_text(self.exact) if self.exact is not None else None,
            "reason": self.reason,
            "notices": list(self.notices),
            "steps": [s.to_dict() for s in self.steps],
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass(slots=True)
class _Work:
    """Steps, citations and notices gathered while computing one result."""

    kind: str
    currency: str | None
    steps: list[Step] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def cite(self, citation: Citation | None) -> None:
        if citation is not None and citation not in self.citations:
            self.citations.append(citation)

    def step(self, text: str, result: str = "", citation: Citation | None = None) -> None:
        self.steps.append(Step(text, result, citation))
        self.cite(citation)

    def done(self, amount: Decimal, exact: Decimal | None = None) -> BondResult:
        return BondResult(
            self.kind,
            amount,
            self.currency,
            tuple(self.steps),
            tuple(self.citations),
            None,
            tuple(self.notices),
            exact,
        )

    def unusable(self, lookup: Lookup) -> BondResult | None:
        """The unknown result when ``lookup`` cannot be used for a figure, else None."""
        problem = rule_problem(lookup)
        if problem is None:
            return None
        self.cite(lookup.citation)
        return self.unknown(problem)

    def unknown(self, reason: str) -> BondResult:
        self.steps.append(Step(f"Amount unknown: {reason}", "unknown"))
        return BondResult(
            self.kind,
            None,
            self.currency,
            tuple(self.steps),
            tuple(self.citations),
            reason,
            tuple(self.notices),
        )


# --------------------------------------------------------------------------- rule reading


def _currency(book: Rulebook, pack: str) -> str | None:
    found = book.packs.get(pack)
    return found.meta.currency if found is not None else None


def rule_problem(lookup: Lookup) -> str | None:
    """Why a looked-up rule cannot be used for a figure (None when it can)."""
    if lookup.status is Status.NOT_IN_FORCE:
        return f"no value of {lookup.rule} is in force on {lookup.as_of}"
    if lookup.status is Status.UNVERIFIED:
        held = f"; the pack holds {lookup.value!r}" if lookup.value is not None else ""
        return f"{lookup.rule} is unverified on {lookup.as_of}{held}"
    if not isinstance(lookup.value, Mapping):
        return f"{lookup.rule} is not a mapping"
    return None


def rule_decimal(rule: Mapping[str, Any], key: str, name: str) -> Decimal:
    raw = rule.get(key)
    if raw is None or isinstance(raw, bool):
        raise RuleMalformed(f"{name}: {key!r} is missing")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise RuleMalformed(f"{name}: {key}={raw!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise RuleMalformed(f"{name}: {key}={raw!r} is not a non-negative number")
    return value


def _flag(rule: Mapping[str, Any], key: str, name: str) -> bool:
    raw = rule.get(key)
    if not isinstance(raw, bool):
        raise RuleMalformed(f"{name}: {key!r} must be true or false")
    return raw


def month_day(rule: Mapping[str, Any], key: str, name: str) -> tuple[int, int]:
    """A ``{month: M, day: D}`` entry of a rule, checked against a leap year."""
    raw = rule.get(key)
    if not isinstance(raw, Mapping):
        raise RuleMalformed(f"{name}: {key!r} must be a mapping {{month, day}}")
    month, day = raw.get("month"), raw.get("day")
    if not isinstance(month, int) or not isinstance(day, int):
        raise RuleMalformed(f"{name}: {key!r} needs whole-number month and day")
    try:
        date(2024, month, day)
    except ValueError:
        raise RuleMalformed(f"{name}: {key}={dict(raw)!r} is not a calendar day") from None
    return month, day


def _tiers(rule: Mapping[str, Any], name: str) -> list[tuple[Decimal | None, Decimal]]:
    raw = rule.get("rounding")
    if not isinstance(raw, list) or not raw:
        raise RuleMalformed(f"{name}: 'rounding' must be a non-empty list of tiers")
    tiers: list[tuple[Decimal | None, Decimal]] = []
    for i, tier in enumerate(raw):
        if not isinstance(tier, Mapping):
            raise RuleMalformed(f"{name}: rounding[{i}] must be a mapping")
        up_to = rule_decimal(tier, "up_to", f"{name} rounding[{i}]") if "up_to" in tier else None
        multiple = rule_decimal(tier, "multiple", f"{name} rounding[{i}]")
        if multiple == 0:
            raise RuleMalformed(f"{name}: rounding[{i}].multiple must be positive")
        tiers.append((up_to, multiple))
    if tiers[-1][0] is not None:
        raise RuleMalformed(f"{name}: the last rounding tier must have no 'up_to'")
    return tiers


def round_up_tiered(
    amount: Decimal, tiers: list[tuple[Decimal | None, Decimal]]
) -> tuple[Decimal, Decimal, Decimal | None]:
    """Round ``amount`` up to a multiple of the step of the first tier whose ``up_to`` it does
    not exceed. Returns (rounded, multiple used, that tier's limit)."""
    for up_to, multiple in tiers:
        if up_to is None or amount <= up_to:
            units = (amount / multiple).to_integral_value(rounding=decimal.ROUND_CEILING)
            return units * multiple, multiple, up_to
    raise RuleMalformed("no rounding tier applies")  # unreachable: the last tier is open


def _check_input(value: Decimal, option: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise BondInputError(f"{option} must be a non-negative finite number, got {value!r}")


def money(amount: Decimal, currency: str | None) -> str:
    """``80,000 USD``-style text for steps."""
    return f"{amount:,f} {currency or ''}".strip()


def _pct(value: Decimal) -> str:
    return f"{as_text(value.normalize()) if value != 0 else '0'} %"


# --------------------------------------------------------------------------- United States


def _eo_notices(work: _Work, book: Rulebook, when: date, foreign_ior: bool) -> None:
    """Record the 2026-06-03 executive order as a pending change (no numbers are taken from it)."""
    lookup = book.parameter(US, EO, when)
    if lookup.status is Status.NOT_IN_FORCE:
        return
    value = lookup.value if isinstance(lookup.value, Mapping) else {}
    deadlines = value.get("deadlines")
    due = ", ".join(str(d) for d in deadlines.values()) if isinstance(deadlines, Mapping) else ""
    if lookup.status is Status.IN_FORCE:
        text = (
            'Pending change: the executive order "Strengthening Customs Enforcement" directs '
            f"CBP to raise bond requirements (deadlines {due}); it sets no numeric bond "
            "minimum, so the figure uses the rule in force"
        )
        work.step(text, "pending", lookup.citation)
        work.notices.append(text)
        if foreign_ior:
            fio = (
                "Pending change for a foreign importer of record: the order directs CBP to bar "
                "foreign importers of record from informal entry and from using continuous bonds "
                "for formal entry unless CBP allows it, and to require CTPAT validation or a "
                "CTPAT-validated broker"
            )
            work.step(fio, "pending", lookup.citation)
            work.notices.append(fio)
    else:
        text = (
            f'The deadlines of the executive order "Strengthening Customs Enforcement" ({due}) '
            "have passed and whether CBP changed the bond rules is unverified: confirm the "
            "current bond rules before relying on this figure"
        )
        work.step(text, "unverified", lookup.citation)
        work.notices.append(text)


def us_continuous_bond(
    book: Rulebook, dtf: Decimal, when: date, *, foreign_ior: bool = False
) -> BondResult:
    """The continuous (importer) bond for ``dtf``, the duties, taxes and fees of the previous
    12 months: the larger of the minimum and the percentage of DTF, rounded up by tiers."""
    _check_input(dtf, "DTF")
    work = _Work("us_continuous", _currency(book, US))
    lookup = book.parameter(US, CONTINUOUS, when)
    if (unusable := work.unusable(lookup)) is not None:
        return unusable
    rule: Mapping[str, Any] = lookup.value
    cite = lookup.citation
    try:
        minimum = rule_decimal(rule, "minimum", lookup.rule)
        rate = rule_decimal(rule, "percent_of_dtf", lookup.rule)
        months = int(rule_decimal(rule, "dtf_period_months", lookup.rule))
        tiers = _tiers(rule, lookup.rule)
    except RuleMalformed as exc:
        work.cite(cite)
        return work.unknown(str(exc))
    cur = work.currency
    work.step(f"Duties, taxes and fees (DTF) of the previous {months} months", money(dtf, cur))
    share = percent_of(dtf, rate)
    work.step(f"{_pct(rate)} of DTF", money(share, cur), cite)
    exact = max(minimum, share)
    work.step(
        f"The larger of the minimum {money(minimum, cur)} and {money(share, cur)}",
        money(exact, cur),
        cite,
    )
    rounded, multiple, up_to = round_up_tiered(exact, tiers)
    where = (
        f"amounts up to {money(up_to, cur)}"
        if up_to is not None
        else f"amounts above {money(tiers[-2][0], cur)}"
        if len(tiers) > 1 and tiers[-2][0] is not None
        else "all amounts"
    )
    work.step(
        f"Rounded up to a multiple of {money(multiple, cur)} ({where})", money(rounded, cur), cite
    )
    _eo_notices(work, book, when, foreign_ior)
    return work.done(rounded, exact)


def us_single_transaction_bond(
    book: Rulebook,
    entered_value: Decimal,
    dtf: Decimal | None,
    pga: bool,
    when: date,
    *,
    foreign_ior: bool = False,
) -> BondResult:
    """The floor of a single transaction bond: entered value plus DTF, or (goods subject to
    other-agency requirements, ``pga``) a multiple of the entered value. ``dtf=None`` (unknown)
    gives an unknown amount where the DTF counts."""
    _check_input(entered_value, "entered value")
    if dtf is not None:
        _check_input(dtf, "DTF")
    work = _Work("us_single_transaction", _currency(book, US))
    lookup = book.parameter(US, SINGLE, when)
    if (unusable := work.unusable(lookup)) is not None:
        return unusable
    rule: Mapping[str, Any] = lookup.value
    cite = lookup.citation
    try:
        key = "pga_" if pga else ""
        multiple = rule_decimal(rule, f"{key}entered_value_multiple", lookup.rule)
        plus_dtf = _flag(rule, f"{key}plus_dtf", lookup.rule)
    except RuleMalformed as exc:
        work.cite(cite)
        return work.unknown(str(exc))
    cur = work.currency
    work.step("Entered value", money(entered_value, cur))
    base = entered_value * multiple
    label = "other-agency (PGA) or restricted goods: " if pga else ""
    work.step(f"{label}{as_text(multiple.normalize())} × entered value", money(base, cur), cite)
    amount = base
    if plus_dtf:
        if dtf is None:
            _eo_notices(work, book, when, foreign_ior)
            return work.unknown(
                "the duties, taxes and fees of the entry are unknown (they are never taken as zero)"
            )
        amount = base + dtf
        work.step("Plus all duties, taxes and fees", money(amount, cur), cite)
    work.step("No rounding rule is recorded for single transaction bonds", money(amount, cur))
    _eo_notices(work, book, when, foreign_ior)
    return work.done(amount, amount)


# --------------------------------------------------------------------------- Canada


def ca_rpp_security(book: Rulebook, highest_month: Decimal, cash: bool, when: date) -> BondResult:
    """CARM release prior to payment security for ``highest_month``, the highest monthly amount
    owed (duties and GST) in the previous 12 months: a percentage of it (the full cash
    percentage for a cash deposit), bounded by the minimum and maximum."""
    _check_input(highest_month, "highest month")
    work = _Work("ca_rpp", _currency(book, CA))
    lookup = book.parameter(CA, RPP, when)
    if (unusable := work.unusable(lookup)) is not None:
        return unusable
    rule: Mapping[str, Any] = lookup.value
    cite = lookup.citation
    try:
        rate = rule_decimal(
            rule, "cash_deposit_percent" if cash else "percent_of_highest_month", lookup.rule
        )
        minimum = rule_decimal(rule, "minimum", lookup.rule)
        maximum = rule_decimal(rule, "maximum", lookup.rule)
        if maximum < minimum:
            raise RuleMalformed(f"{lookup.rule}: maximum is below minimum")
    except RuleMalformed as exc:
        work.cite(cite)
        return work.unknown(str(exc))
    cur = work.currency
    gst = " (GST included)" if rule.get("includes_gst") is True else ""
    work.step(
        f"Highest monthly amount owed in the previous 12 months{gst}", money(highest_month, cur)
    )
    share = percent_of(highest_month, rate)
    form = "cash deposit" if cash else "surety bond or security agreement"
    work.step(f"{form}: {_pct(rate)} of the highest month", money(share, cur), cite)
    amount = share
    if share < minimum:
        amount = minimum
        work.step(f"Raised to the minimum {money(minimum, cur)}", money(amount, cur), cite)
    elif share > maximum:
        amount = maximum
        work.step(f"Capped at the maximum {money(maximum, cur)}", money(amount, cur), cite)
    else:
        work.step(
            f"Within the minimum {money(minimum, cur)} and maximum {money(maximum, cur)}",
            money(amount, cur),
            cite,
        )
    rounding = rule.get("rounding")
    if isinstance(rounding, Mapping) and rounding.get("mode") == "up":
        places = Decimal(1).scaleb(-int(rounding.get("places", 2)))
        rounded = amount.quantize(places, rounding=ROUND_CEILING)
        if rounded != amount:
            work.step(
                f"Rounded up to {places} ({rounding.get('basis', 'pack rounding')})",
                money(rounded, cur),
            )
            amount = rounded
    if cash:
        text = (
            "Whether the minimum and maximum also bound a cash deposit is not stated in the "
            "sources read; they are applied here as for a surety bond"
        )
        work.step(text, "unverified")
        work.notices.append(text)
    try:
        rm, rd = month_day(rule, "recalculation", lookup.rule)
        im, idd = month_day(rule, "increase_due", lookup.rule)
        work.step(
            f"CBSA recalculates the amount each year on {date(2024, rm, rd):%d %B}; an increase "
            f"must be posted by {date(2024, im, idd):%d %B}",
            "",
            cite,
        )
    except RuleMalformed as exc:
        work.notices.append(str(exc))
    return work.done(amount, share)
