"""The import dossier: every shipment, line and border, with totals, steps and findings.

Light dataclasses built by ``planning.plan``; ``to_dict`` gives the JSON documented in
``docs/dossier.md`` (amounts are decimal strings; ``null`` means unknown, never zero).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.citations import CitationTable, CiteFn
from rackclear.domain.determination import Charge, Step
from rackclear.domain.findings import Finding, count_by_severity
from rackclear.domain.grades import weakest
from rackclear.domain.money import as_text
from rackclear.valuation.model import EntryResult

SCHEMA_VERSION = "3"  # 3: amounts are graded estimates with ranges, value at risk (docs/dossier.md)


CENTS = Decimal("0.01")


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else as_text(value)


def _total(value: Decimal | None) -> str | None:
    """Totals are sums of rounded amounts; shown to the cent for a uniform presentation."""
    return None if value is None else as_text(value.quantize(CENTS))


@dataclass
class Totals:
    """Sums in one currency. ``landed_cost`` (and duties, taxes, fees) hold the estimate, ``None``
    only when some input has no value at all; ``landed_cost_at_least`` is the part resting on
    official, official-file, derived and user values; ``landed_cost_low``/``_high`` the range
    (``high`` ``None`` when unbounded); ``value_at_risk`` the customs value of lines whose amount
    rests on a secondary, assumed or unknown input."""

    currency: str | None
    customs_value: Decimal | None = None
    duties: Decimal | None = None
    taxes: Decimal | None = None
    fees: Decimal | None = None
    transport: Decimal | None = None
    landed_cost: Decimal | None = None
    landed_cost_at_least: Decimal | None = None
    landed_cost_low: Decimal | None = None
    landed_cost_high: Decimal | None = None
    grade: str | None = None
    value_at_risk: Decimal | None = None
    note: str | None = None  # why the figures are missing (e.g. no exchange rate to this currency)

    @property
    def total_duties_taxes_fees(self) -> Decimal | None:
        parts = (self.duties, self.taxes, self.fees)
        return (
            None
            if any(p is None for p in parts)
            else sum((p for p in parts if p is not None), Decimal(0))
        )

    @property
    def complete(self) -> bool:
        return self.landed_cost is not None

    @property
    def confirmed_share(self) -> Decimal | None:
        """The share of customs value whose amounts rest on firm values only (0 to 1)."""
        if not self.customs_value or self.value_at_risk is None:
            return None
        share = 1 - self.value_at_risk / self.customs_value
        return max(Decimal(0), min(Decimal(1), share)).quantize(Decimal("0.0001"))

    def to_dict(self) -> dict[str, Any]:
        share = self.confirmed_share
        return {
            "currency": self.currency,
            "customs_value": _total(self.customs_value),
            "duties": _total(self.duties),
            "taxes": _total(self.taxes),
            "fees": _total(self.fees),
            "total_duties_taxes_fees": _total(self.total_duties_taxes_fees),
            "landed_cost": _total(self.landed_cost),
            "landed_cost_at_least": _total(self.landed_cost_at_least),
            "landed_cost_low": _total(self.landed_cost_low),
            "landed_cost_high": _total(self.landed_cost_high),
            "grade": self.grade,
            "value_at_risk": _total(self.value_at_risk),
            "confirmed_share": as_text(share) if share is not None else None,
            "complete": self.complete,
            "note": self.note,
        }


def add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def _weaker(a: str | None, b: str | None) -> str | None:
    return a if b is None else b if a is None else weakest((a, b))


def sum_totals(a: Totals, b: Totals) -> Totals:
    """Two totals in one currency added: unknown stays unknown, grades take the weaker."""
    return Totals(
        a.currency,
        add(a.customs_value, b.customs_value),
        add(a.duties, b.duties),
        add(a.taxes, b.taxes),
        add(a.fees, b.fees),
        None,
        add(a.landed_cost, b.landed_cost),
        add(a.landed_cost_at_least, b.landed_cost_at_least),
        add(a.landed_cost_low, b.landed_cost_low),
        add(a.landed_cost_high, b.landed_cost_high),
        _weaker(a.grade, b.grade),
        add(a.value_at_risk, b.value_at_risk),
        a.note or b.note,
    )


def entry_totals(entry: EntryResult) -> Totals:
    """Totals of one entry from its lines and entry-level charges (in the currency computed in)."""
    if entry.currency is None:  # no pack for the destination: nothing is known
        return Totals(None)
    zero = Decimal(0)
    t = Totals(entry.computed_in or entry.currency, zero, zero, zero, zero, zero, zero, zero, zero)
    t.landed_cost_high, t.value_at_risk, t.grade = zero, zero, None
    for line in entry.lines:
        value = line.customs_value.amount if line.customs_value else None
        t.customs_value = add(t.customs_value, value)
        t.landed_cost = add(t.landed_cost, line.landed_cost.amount if line.landed_cost else None)
        t.landed_cost_at_least = add(t.landed_cost_at_least, line.landed_firm or zero)
        t.landed_cost_low = add(t.landed_cost_low, line.landed_low or zero)
        t.landed_cost_high = add(t.landed_cost_high, line.landed_high)
        t.grade = _weaker(t.grade, line.grade)
        if line.at_risk:
            t.value_at_risk = add(t.value_at_risk, value if value is not None else zero)
    for charge in entry.charges():
        amount = charge.amount.amount if charge.amount else None
        if charge.kind in ("duty", "additional_duty"):
            t.duties = add(t.duties, amount)
        elif charge.kind == "tax":
            t.taxes = add(t.taxes, amount)
        else:
            t.fees = add(t.fees, amount)
    return t


@dataclass
class ShipmentDossier:
    shipment: str
    site: str
    destination: str
    origin: str
    mode: str
    incoterm: str
    ship_date: date
    importer_of_record: str | None
    entry: EntryResult
    totals: Totals
    totals_usd: Totals
    documents: list[dict[str, Any]] = field(default_factory=list)  # the lane's documents
    relief: list[dict[str, Any]] = field(default_factory=list)  # relief regimes it may use
    timeline: Any = None  # rackclear.timeline.Timeline: the dates its obligations run from
    requirements: list[dict[str, Any]] = field(default_factory=list)  # prerequisites it carries

    def to_dict(self, cite: CiteFn) -> dict[str, Any]:
        e = self.entry
        return {
            "shipment": self.shipment,
            "site": self.site,
            "destination": self.destination,
            "origin": self.origin,
            "mode": self.mode,
            "incoterm": self.incoterm,
            "ship_date": self.ship_date.isoformat(),
            "importer_of_record": self.importer_of_record,
            "duties_paid_by": e.duties_paid_by,
            "currency": e.currency,
            "computed_in": e.computed_in or e.currency,
            "fx_rates": {k: _amount(v) for k, v in e.fx_rates.items()},
            "totals": self.totals.to_dict(),
            "totals_usd": self.totals_usd.to_dict(),
            "steps": [s.to_dict(cite) for s in e.steps],
            "lines": [
                {
                    "line": ln.index,
                    "sku": ln.sku,
                    "description": ln.description,
                    "quantity": ln.quantity,
                    "origin": ln.origin,
                    "tariff_code": ln.hs_code,
                    "price": _amount(ln.price.amount) if ln.price else None,
                    "customs_value": _amount(ln.customs_value.amount) if ln.customs_value else None,
                    "landed_cost": _amount(ln.landed_cost.amount) if ln.landed_cost else None,
                    "landed_cost_at_least": _amount(ln.landed_firm),
                    "landed_cost_low": _amount(ln.landed_low),
                    "landed_cost_high": _amount(ln.landed_high),
                    "grade": ln.grade,
                    "at_risk": ln.at_risk,
                    "charges": [c.to_dict(cite) for c in ln.charges],
                    "steps": [s.to_dict(cite) for s in ln.steps],
                }
                for ln in e.lines
            ],
            "entry_charges": [c.to_dict(cite) for c in e.entry_charges],
            "documents": self.documents,
            "relief": self.relief,
            "timeline": self.timeline.to_dict(cite) if self.timeline is not None else None,
            "requirements": self.requirements,
            "findings": [f.to_dict(cite) for f in e.findings],
        }


@dataclass
class DestinationSummary:
    country: str
    shipments: int
    local: Totals
    usd: Totals
    findings: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "shipments": self.shipments,
            "local": self.local.to_dict(),
            "usd": self.usd.to_dict(),
            "findings": self.findings,
        }


@dataclass
class Dossier:
    programme: str
    as_of: date
    rackclear_version: str
    rule_packs: dict[str, str]
    shipments: list[ShipmentDossier] = field(default_factory=list)
    destinations: list[DestinationSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # plan-level (map, sites, classification)
    steps: list[Step] = field(default_factory=list)
    classifications: list[tuple[str, str, Any]] = field(
        default_factory=list
    )  # (sku, country, Classification)
    export_control: list[tuple[str, Any]] = field(default_factory=list)  # (sku, EccnResult)
    licences: Any = None  # the plan's ExportControl: its licence determinations
    origins: Any = None  # the plan's OriginPlanner: preferential origin decided per line
    tariff_store: list[dict[str, Any]] = field(
        default_factory=list
    )  # imports used, if a store was given
    screening: dict[str, Any] | None = None  # algorithm, lists with versions, hits
    border: dict[str, Any] | None = None  # the programme matrix: requirements x countries
    north_america: dict[str, Any] | None = None  # CARM CAD records, US entry data, bonds, RPP
    schedule: dict[str, Any] | None = None  # go-live schedule (rackclear plan/schedule)
    schedule_svg: str | None = None  # its Gantt chart, for the HTML dossier only
    actions: list[Any] = field(default_factory=list)  # CONFIRM_RATE per rule and destination
    # findings computed from the shipments' timelines (recomputed when a schedule moves a date)
    dated_findings: list[Finding] = field(default_factory=list, repr=False)

    def programme_usd(self) -> Totals:
        """The whole programme in USD (unknown where a destination's USD figure is)."""
        total = Totals("USD")
        for i, d in enumerate(self.destinations):
            total = d.usd if i == 0 else sum_totals(total, d.usd)
        return total

    def all_findings(self) -> list[Finding]:
        return self.findings + [f for s in self.shipments for f in s.entry.findings]

    def head(self, table: CitationTable) -> dict[str, Any]:
        """Everything but the shipments and the citation table (which the shipments fill)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "programme": self.programme,
            "as_of": self.as_of.isoformat(),
            "rackclear_version": self.rackclear_version,
            "rule_packs": self.rule_packs,
            "tariff_store": self.tariff_store,
            "screening": self.screening,
            "summary": {
                "destinations": [d.to_dict() for d in self.destinations],
                "programme_usd": self.programme_usd().to_dict(),
                "findings": count_by_severity(self.all_findings()),
                "actions": [a.to_dict(table.ref) for a in self.actions],
            },
            "findings": [f.to_dict(table.ref) for f in self.findings],
            "export_control": [{"sku": sku, **r.to_dict()} for sku, r in self.export_control],
            "licence_determinations": (
                self.licences.determinations(table.ref) if self.licences is not None else []
            ),
            "border_requirements": self.border,
            "north_america": self.north_america,
            "schedule": self.schedule,
            "classifications": [
                {"sku": sku, "country": country, **_classification(result, country, table)}
                for sku, country, result in self.classifications
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        table = CitationTable()
        data = self.head(table)
        data["shipments"] = [s.to_dict(table.ref) for s in self.shipments]
        data["citations"] = table.to_dict()
        return data


def _classification(result: Any, country: str, table: CitationTable) -> dict[str, Any]:
    line = result.national.get(country)
    return {
        "hs6": result.hs6_by_country.get(country, result.hs6),
        "tariff_code": line.formatted if line is not None else None,
        "complete": bool(line is not None and line.complete),
        "rate": line.rate if line is not None else None,
        "family": result.family,
        "confidence": result.confidence,
        "evidence": result.evidence,
        "algorithm": "families-v1",
        "alternatives": result.alternatives,
        "steps": [s.to_dict(table.ref) for s in result.steps],
        "findings": [f.code for f in result.findings],
    }


def charges_of_kind(charges: list[Charge], kinds: tuple[str, ...]) -> list[Charge]:
    return [c for c in charges if c.kind in kinds]
