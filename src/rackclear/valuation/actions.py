"""The summary's worklist: one ``CONFIRM_RATE`` action per weak rule and destination across the
programme, with the shipments and lines it concerns, the customs value resting on it, the amount
computed with it and the date to confirm it by (the earliest ship date concerned)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.citations import Citation, CiteFn
from rackclear.domain.grades import MEANING
from rackclear.domain.money import as_text


@dataclass
class Action:
    code: str
    country: str
    rule: str
    grade: str
    citation: Citation | None
    due: date
    currency: str
    shipments: list[str] = field(default_factory=list)
    lines: int = 0
    customs_value: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)

    def to_dict(self, cite: CiteFn) -> dict[str, Any]:
        what = self.citation.reference if self.citation else self.rule
        return {
            "code": self.code,
            "severity": "warning",
            "country": self.country,
            "rule": self.rule,
            "grade": self.grade,
            "message": f"{self.country}: {what} rests on a {self.grade} value ({MEANING[self.grade]}).",
            "remedy": f"Check it in {self.citation.source if self.citation else 'the pack'} by {self.due}; then grade it official in the pack.",
            "due": self.due.isoformat(),
            "shipments": self.shipments,
            "lines": self.lines,
            "currency": self.currency,
            "customs_value": as_text(self.customs_value),
            "amount": as_text(self.amount),
            "citation": cite(self.citation) if self.citation else None,
        }


def confirm_actions(shipments: list[Any]) -> list[Action]:
    """Aggregate the weak rules of every shipment's charges (``ShipmentDossier`` objects)."""
    found: dict[tuple[str, str], Action] = {}
    for ship in shipments:
        entry = ship.entry
        currency = entry.computed_in or entry.currency or ""
        for line in entry.lines:
            seen: set[str] = set()
            for charge in line.charges:
                for rule, cite, grade in charge.weak:
                    key = (ship.destination, rule)
                    act = found.setdefault(
                        key,
                        Action(
                            "CONFIRM_RATE",
                            ship.destination,
                            rule,
                            grade,
                            cite,
                            ship.ship_date,
                            currency,
                        ),
                    )
                    act.due = min(act.due, ship.ship_date)
                    if ship.shipment not in act.shipments:
                        act.shipments.append(ship.shipment)
                    if charge.amount is not None:
                        act.amount += charge.amount.amount
                    if rule not in seen:
                        seen.add(rule)
                        act.lines += 1
                        if line.customs_value is not None:
                            act.customs_value += line.customs_value.amount
    return sorted(found.values(), key=lambda a: (a.due, a.country, -a.customs_value, a.rule))
