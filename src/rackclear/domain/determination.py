"""Determinations: a figure together with the steps that produced it, each step cited.

A light dataclass for the hot path; the dossier serialises it with ``to_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rackclear.domain.citations import Citation, CiteFn
from rackclear.domain.money import Money, as_text


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a computation: what was done, its result, and the rule it rests on."""

    text: str
    result: str = ""
    citation: Citation | None = None

    def to_dict(self, cite: CiteFn = Citation.to_dict) -> dict[str, Any]:
        return {
            "text": self.text,
            "result": self.result,
            "citation": cite(self.citation) if self.citation else None,
        }


@dataclass(slots=True)
class Charge:
    """A duty, tax or fee: rate, base and amount. ``amount is None`` means unknown, never zero."""

    id: str
    name: str
    kind: str  # "duty" | "additional_duty" | "tax" | "fee"
    rate: Decimal | None
    base: Money | None
    amount: Money | None
    exact: Decimal | None = None
    citation: Citation | None = None
    steps: list[Step] = field(default_factory=list)
    grade: str = "official"  # the weakest grade among the rate, the base and any bound
    low: Decimal = Decimal(0)  # lower end of the range; what is known when the amount is not
    high: Decimal | None = None  # upper end; None when unknown (unbounded)
    firm: Decimal = Decimal(0)  # the part resting on official, derived and user values only
    weak: tuple[tuple[str, Citation | None, str], ...] = ()  # (rule, citation, grade) it rests on
    range_reason: str | None = None

    @property
    def currency(self) -> str | None:
        money = self.amount or self.base
        return money.currency if money is not None else None

    @property
    def known(self) -> bool:
        return self.amount is not None

    def to_dict(self, cite: CiteFn = Citation.to_dict) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "rate": as_text(self.rate) if self.rate is not None else None,
            "base": as_text(self.base.amount) if self.base else None,
            "amount": as_text(self.amount.amount) if self.amount else None,
            "exact": as_text(self.exact) if self.exact is not None else None,
            "currency": self.currency,
            "grade": self.grade if self.amount is not None else None,
            "low": as_text(self.low),
            "high": as_text(self.high) if self.high is not None else None,
            "firm": as_text(self.firm),
            "range_reason": self.range_reason,
            "citation": self.citation.short() if self.citation else None,
            "citation_ref": cite(self.citation) if self.citation else None,
            "steps": [s.to_dict(cite) for s in self.steps],
        }


def sum_known(charges: list[Charge], currency: str) -> tuple[Money, bool]:
    """Sum of the known amounts, and whether every amount was known."""
    total = Money.zero(currency)
    complete = True
    for charge in charges:
        if charge.amount is None:
            complete = False
        else:
            total = total + charge.amount
    return total, complete
