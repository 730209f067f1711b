"""Canadian business days and the CARM deadlines that run on them: the CAD within N business days
of release, the billing period (18th to 17th), the Statement of Account and the payment due date.
The numbers (N, the days of the month) come from ``packs/ca``; holidays from the ``holidays``
package (federal plus the province's)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.months import billing_period
from rackclear.rulebook.registry import Rulebook

PACK = "ca"
PROVINCES = frozenset(holidays.country_holidays("CA").subdivisions)  # provinces and territories


class UnknownRule(Exception):
    """The pack holds no verified rule in force on the date."""


@lru_cache(maxsize=64)
def _holidays(province: str | None, year: int) -> dict[date, str]:
    found = holidays.country_holidays("CA", subdiv=province, years=year)
    return dict(found.items())


def non_business(day: date, province: str | None) -> str | None:
    """Why ``day`` is not a business day (weekend or the holiday's name), or None."""
    if day.weekday() >= 5:
        return "weekend"
    return _holidays(province, day.year).get(day)


def next_business_day(day: date, province: str | None) -> date:
    while non_business(day, province):
        day += timedelta(days=1)
    return day


def last_business_day(year: int, month: int, province: str | None) -> date:
    day = date(year, month, calendar.monthrange(year, month)[1])
    while non_business(day, province):
        day -= timedelta(days=1)
    return day


@dataclass
class Deadline:
    due: date
    start: date
    skipped: list[tuple[date, str]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    citation: Citation | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "due": self.due.isoformat(),
            "day_zero": self.start.isoformat(),
            "skipped": [{"date": d.isoformat(), "why": why} for d, why in self.skipped],
            "steps": [s.to_dict(lambda c: c.short()) for s in self.steps],
        }


def _rule(book: Rulebook, name: str, when: date) -> tuple[dict[str, Any], Citation | None]:
    rule = book.parameter(PACK, name, when)
    if not rule.usable:
        raise UnknownRule(f"no verified ca.{name} rule in force on {when}")
    return dict(rule.value), rule.citation


def cad_due(book: Rulebook, release: date, province: str | None = None) -> Deadline:
    """The date the CAD must be accepted by: N business days after release (release = day 0; a
    release on a non-business day counts from the next business day)."""
    rule, cite = _rule(book, "cad_accounting", release)
    days = int(rule["business_days"])
    start = next_business_day(release, province)
    out = Deadline(start, start, citation=cite)
    where = f"federal and {province} holidays" if province else "federal holidays"
    out.steps.append(Step(f"Release {release}; business days exclude weekends and {where}"))
    day = release
    while day < start:
        out.skipped.append((day, non_business(day, province) or ""))
        day += timedelta(days=1)
    if start != release:
        out.steps.append(Step(f"Release on a non-business day: day 0 is {start}"))
    count, day = 0, start
    while count < days:
        day += timedelta(days=1)
        why = non_business(day, province)
        if why:
            out.skipped.append((day, why))
            continue
        count += 1
    out.due = day
    out.steps.append(
        Step(f"{days} business days after {start}: CAD due {day}", day.isoformat(), cite)
    )
    return out


@dataclass
class Billing:
    period_start: date
    period_end: date
    statement: date
    payment_due: date
    steps: list[Step] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "billing_period": [self.period_start.isoformat(), self.period_end.isoformat()],
            "statement_of_account": self.statement.isoformat(),
            "payment_due": self.payment_due.isoformat(),
        }


def billing(book: Rulebook, release: date, province: str | None = None) -> Billing:
    """The billing period a release falls in, its Statement of Account and payment due date."""
    rule, cite = _rule(book, "billing_cycle", release)
    start, end = billing_period(release, int(rule["period_starts_day"]))
    statement_day = int(rule["statement_day"])
    y, m = end.year, end.month
    statement = date(y, m, statement_day)
    due = last_business_day(y, m, province)
    out = Billing(start, end, statement, due)
    out.steps.append(
        Step(
            f"Release {release} falls in the billing period {start} to {end}; Statement of Account {statement}; payment due on the last business day of the month, {due}",
            due.isoformat(),
            cite,
        )
    )
    return out
