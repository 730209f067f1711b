"""From a planned deployment (map + dossier) to the scheduler's inputs: sites with go-live dates,
shipments with their prerequisites (export licences, certifications and registrations still open,
with their lead times), value weights and customs-security usage, and the security capacity per
month that the importer's posted bond or RPP security allows.

Capacity comes from the packs' rules: the US continuous bond must cover ``percent_of_dtf`` of
``dtf_period_months`` of duties, taxes and fees, so a posted bond B carries at most
B / percent x 100 of DTF over the period (spread evenly per month: an approximation the findings
say); Canada's RPP security must be ``percent_of_highest_month`` of the highest month owed, so a
posted security S carries at most S / percent x 100 owed in any month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns
from rackclear.domain.months import months_between
from rackclear.rulebook.registry import Rulebook
from rackclear.schedule.model import Capacity, Prereq, ShipmentPlan, SitePlan

OPEN = ("needed", "confirm", "unknown")
MILLION = Decimal(1_000_000)


@dataclass
class Inputs:
    sites: list[SitePlan]
    shipments: list[ShipmentPlan]
    capacities: list[Capacity]
    notes: list[dict[str, Any]] = field(default_factory=list)  # finding-like dicts


def build_inputs(book: Rulebook, deployment: Deployment, dossier: Dossier, as_of: date) -> Inputs:
    """The scheduler's inputs for ``deployment`` as planned in ``dossier`` on ``as_of``."""
    sources = {s.id: s for s in deployment.shipments}
    notes: list[dict[str, Any]] = []
    lead = book.parameter("us-ear", "licence_lead_time_days", as_of)
    licence_lead = (int(lead.value["min"]), int(lead.value["max"])) if lead.value else None
    plans: list[ShipmentPlan] = []
    for ship in dossier.shipments:
        source = sources[ship.shipment]
        prereqs: list[Prereq] = []
        codes = {f.code for f in ship.entry.findings}
        if {"LICENCE_REQUIRED", "LICENCE_UNKNOWN"} & codes:
            if licence_lead is None:
                notes.append(_lead_unknown(ship.shipment, ship.site, "US export licence"))
            prereqs.append(
                Prereq(
                    f"{ship.shipment}:licence",
                    "US export licence (BIS)"
                    + (" — whether needed is unknown" if "LICENCE_REQUIRED" not in codes else ""),
                    "licence",
                    licence_lead or (0, 0),
                    verified=False,
                )
            )
        for req in ship.requirements:
            # evidence is per shipment: only what this shipment's items still need is a prerequisite
            if req["status"] not in OPEN:
                continue
            days = req["lead_time_days"]
            if days is None:
                notes.append(_lead_unknown(ship.shipment, ship.site, req["scheme"]))
            prereqs.append(
                Prereq(
                    f"{ship.shipment}:{req['requirement']}",
                    req["scheme"],
                    "certification" if req["kind"] == "conformity" else "registration",
                    (int(days[0]), int(days[1])) if days else (0, 0),
                    verified=req["lead_time_verified"] and days is not None,
                )
            )
        usd = ship.totals_usd
        weight = float(usd.customs_value / MILLION) if usd.customs_value else 1.0
        pool, usage = None, None
        if ship.destination == "US":
            pool, usage = "US-bond", usd.total_duties_taxes_fees
        elif ship.destination == "CA":
            local = ship.totals
            pool = "CA-rpp"
            usage = (
                None if local.duties is None or local.taxes is None else local.duties + local.taxes
            )
        plans.append(
            ShipmentPlan(
                ship.shipment,
                ship.site,
                ship.destination,
                source.origin_country,
                source.mode,
                source.available_from or source.ship_date,
                source.ship_date,
                tuple(prereqs),
                max(weight, 0.01),
                pool,
                usage,
                tuple(m for m in source.alt_modes if m != source.mode),
            )
        )
    site_plans = [SitePlan(s.id, s.country, s.go_live, s.warehouse_slots) for s in deployment.sites]
    capacities = _capacities(book, deployment, plans, as_of, notes)
    return Inputs(site_plans, plans, capacities, notes)


def _lead_unknown(shipment: str, site: str, what: str) -> dict[str, Any]:
    return {
        "code": "SCHEDULE_LEAD_UNKNOWN",
        "severity": "warning",
        "message": f"{what}: no lead time in the packs; it is scheduled as if instant, so the dates for {shipment} are optimistic.",
        "remedy": "Give the lead time in the map (schedule.lead_times) or in the pack.",
        "concerns": {"site": site, "shipment": shipment},
    }


def _capacities(
    book: Rulebook,
    deployment: Deployment,
    plans: list[ShipmentPlan],
    as_of: date,
    notes: list[dict[str, Any]],
) -> list[Capacity]:
    out: list[Capacity] = []
    for country, pool, pack, name in (
        ("US", "US-bond", "us", "continuous_bond"),
        ("CA", "CA-rpp", "ca", "rpp_security"),
    ):
        mine = [p for p in plans if p.security_pool == pool]
        ior = deployment.importer_of_record(country)
        posted = ior.posted_security if ior else None
        if not mine or posted is None:
            continue
        rule = book.parameter(pack, name, as_of)
        if not rule.usable:
            notes.append(
                {
                    "code": "SCHEDULE_CAPACITY_UNKNOWN",
                    "severity": "warning",
                    "message": f"The {pool} rule in force on {as_of} is not verified: its capacity is not applied.",
                    "remedy": "Confirm the rule in the pack.",
                    "concerns": {"site": None, "shipment": None},
                }
            )
            continue
        value = rule.value
        if pool == "US-bond":
            share = Decimal(str(value["percent_of_dtf"])) / 100
            months = Decimal(int(value["dtf_period_months"]))
            monthly = (posted.amount / share / months).quantize(Decimal(1))
        else:
            share = Decimal(str(value["percent_of_highest_month"])) / 100
            monthly = (posted.amount / share).quantize(Decimal(1))
        first = min(p.earliest_ship for p in mine)
        last = max(max(p.planned_ship, p.earliest_ship) for p in mine)
        out += [Capacity(pool, month, monthly) for month in months_between(first, last)]
    return out


def _retime(
    book: Rulebook, deployment: Deployment, dossier: Dossier, as_of: date, data: dict[str, Any]
) -> None:
    """The shipments' timelines take the schedule's dates; whatever runs from them (CAD and 7501
    dates, CARM deadlines and billing periods, bond months, RPP periods, validity) is recomputed
    when a date moved."""
    from rackclear.planning import dated
    from rackclear.timeline import from_schedule

    rows = {r["id"]: r for r in data.get("shipments", [])}
    sites = {s.id: s for s in deployment.sites}
    changed = False
    for ship in dossier.shipments:
        row = rows.get(ship.shipment)
        if ship.timeline is not None and row is not None:
            changed |= from_schedule(ship.timeline, row, sites[ship.site], book)
    if changed:
        dated(dossier, deployment, book, as_of)


def attach_schedule(
    book: Rulebook,
    deployment: Deployment,
    dossier: Dossier,
    as_of: date,
    *,
    optimise: bool = False,
    runs: int = 1000,
    seed: int = 7,
    time_limit_s: float = 10.0,
) -> dict[str, Any]:
    """Schedule the planned deployment and put the result (and its Gantt SVG) on the dossier."""
    from rackclear.schedule import gantt_svg, run_schedule

    inputs = build_inputs(book, deployment, dossier, as_of)
    result = run_schedule(
        book,
        inputs.sites,
        inputs.shipments,
        inputs.capacities,
        as_of,
        optimise=optimise,
        runs=runs,
        seed=seed,
        time_limit_s=time_limit_s,
        overrides=deployment.schedule.get("lead_times") or None,
    )
    data: dict[str, Any] = result.to_dict()
    data["findings"] = list(data.get("findings", [])) + inputs.notes
    dossier.schedule = data
    dossier.schedule_svg = gantt_svg(result)
    _retime(book, deployment, dossier, as_of, data)
    sites = {s.id: s.country for s in deployment.sites}
    for f in data["findings"]:
        where = f.get("concerns") or {}
        dossier.findings.append(
            make(
                str(f["code"]),
                str(f["message"]),
                str(f.get("remedy") or ""),
                Concerns(
                    site=where.get("site"),
                    shipment=where.get("shipment"),
                    country=sites.get(where.get("site") or ""),
                ),
            )
        )
    return data
