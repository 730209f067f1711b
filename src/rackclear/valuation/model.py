"""Inputs and results of the customs value and landed-cost engine (light dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.determination import Charge, Step
from rackclear.domain.findings import Finding
from rackclear.domain.money import Money


@dataclass(frozen=True, slots=True)
class OriginDecision:
    """Preferential origin as decided before valuation (``rackclear.origin.in_plan``):
    ``originating`` None means it needs data; ``country`` is the Party whose preferential
    treatment applies; ``basis`` says why, in words."""

    originating: bool | None
    basis: str
    country: str | None = None


Preference = tuple[str | None, bool, OriginDecision | None]


@dataclass(frozen=True, slots=True)
class LineInput:
    """One invoice line as the engine needs it."""

    index: int
    sku: str
    description: str
    quantity: int
    unit_price: Money
    origin: str
    hs_code: str | None
    specs: dict[str, Any] = field(default_factory=dict)
    preference: str | None = None
    origin_proof: bool = False
    origin_decision: OriginDecision | None = None


@dataclass(frozen=True, slots=True)
class EntryInput:
    """One shipment crossing one border, with what valuation needs."""

    shipment: str
    destination: str
    ship_date: date
    mode: str
    incoterm: str
    lines: tuple[LineInput, ...]
    freight: Money | None = None
    insurance: Money | None = None
    origin_inland_freight: Money | None = None
    related_parties: bool = False
    site_use: str = "data_center"
    value_on_destination_basis: bool = False  # `rackclear cost` without freight/insurance
    subdivision: str | None = None  # the site's ISO 3166-2 state, province or emirate


@dataclass(slots=True)
class LineResult:
    index: int
    sku: str
    description: str
    quantity: int
    origin: str
    hs_code: str | None
    price: Money | None
    customs_value: Money | None
    transport: Money | None
    charges: list[Charge] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    landed_cost: Money | None = None
    landed_known: Decimal | None = None  # price + known transport and charges: a lower bound
    value_grade: str = "official"  # weakest valuation rule the customs value rests on
    landed_low: Decimal | None = None
    landed_high: Decimal | None = None
    landed_firm: Decimal | None = None  # price, transport and the charges' firm parts
    grade: str | None = None  # the weakest grade among the line's charges
    at_risk: bool = False  # some charge rests on a secondary, assumed or unknown input


@dataclass(slots=True)
class EntryResult:
    shipment: str
    destination: str
    currency: str | None
    as_of: date
    lines: list[LineResult] = field(default_factory=list)
    entry_charges: list[Charge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    fx_rates: dict[str, Decimal | None] = field(default_factory=dict)
    duties_paid_by: str = "importer"
    computed_in: str | None = None  # the currency the amounts are in, when not ``currency``

    def charges(self) -> list[Charge]:
        """Every charge: line charges, then entry-level charges."""
        out = [c for line in self.lines for c in line.charges]
        return out + self.entry_charges
