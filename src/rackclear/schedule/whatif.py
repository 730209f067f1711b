"""What-ifs: each returns a changed copy of a ``Scenario``; plan, optimise or simulate it as usual
(``Scenario.risk`` runs the Monte Carlo with the scenario's refused prerequisites)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from rackclear.schedule.leadtimes import LeadTimes
from rackclear.schedule.model import Capacity, Prereq, ShipmentPlan, SitePlan
from rackclear.schedule.risk import RiskResult, monte_carlo


@dataclass(frozen=True)
class Scenario:
    sites: tuple[SitePlan, ...]
    shipments: tuple[ShipmentPlan, ...]
    capacities: tuple[Capacity, ...]
    as_of: date
    blocked: frozenset[str] = frozenset()  # prerequisites that will never be ready

    def risk(self, lt: LeadTimes, *, runs: int = 1000, seed: int = 7) -> RiskResult:
        return monte_carlo(
            lt, self.sites, self.shipments, self.as_of, runs=runs, seed=seed, blocked=self.blocked
        )


def _known(sc: Scenario, shipment_id: str) -> None:
    if all(s.id != shipment_id for s in sc.shipments):
        raise KeyError(f"no shipment {shipment_id!r}")


def _prereq_known(sc: Scenario, prereq_id: str) -> None:
    if all(p.id != prereq_id for s in sc.shipments for p in s.prereqs):
        raise KeyError(f"no prerequisite {prereq_id!r}")


def what_if_hold(sc: Scenario, shipment_id: str, days: int) -> Scenario:
    """The shipment is held ``days`` days: its earliest and planned ship dates move later."""
    _known(sc, shipment_id)
    shift = timedelta(days=days)
    ships = tuple(
        replace(s, earliest_ship=s.earliest_ship + shift, planned_ship=s.planned_ship + shift)
        if s.id == shipment_id
        else s
        for s in sc.shipments
    )
    return replace(sc, shipments=ships)


def _map_prereq(sc: Scenario, prereq_id: str, change: dict[str, object]) -> Scenario:
    def fix(p: Prereq) -> Prereq:
        return replace(p, **change) if p.id == prereq_id else p  # type: ignore[arg-type]

    ships = tuple(replace(s, prereqs=tuple(fix(p) for p in s.prereqs)) for s in sc.shipments)
    return replace(sc, shipments=ships)


def what_if_licence_denied(
    sc: Scenario, prereq_id: str, reroute: ShipmentPlan | None = None
) -> Scenario:
    """The licence (or any prerequisite) is refused: it is never ready, so its shipment never
    arrives and its site is late, unless ``reroute`` replaces that shipment (another origin or
    supplier without the refused prerequisite)."""
    _prereq_known(sc, prereq_id)
    out = replace(_map_prereq(sc, prereq_id, {"ready": False}), blocked=sc.blocked | {prereq_id})
    if reroute is None:
        return out
    holder = next(s.id for s in out.shipments if any(p.id == prereq_id for p in s.prereqs))
    ships = tuple(reroute if s.id == holder else s for s in out.shipments)
    return replace(out, shipments=ships, blocked=out.blocked - {prereq_id})


def what_if_certificate_late(sc: Scenario, prereq_id: str, days: int) -> Scenario:
    """The certificate (or any prerequisite) comes ``days`` days later than its lead time says,
    counted from the planning date: it is not ready and its lead time grows by ``days``."""
    _prereq_known(sc, prereq_id)
    found = next(p for s in sc.shipments for p in s.prereqs if p.id == prereq_id)
    lo, hi = (0, 0) if found.ready else found.lead_days
    return _map_prereq(sc, prereq_id, {"ready": False, "lead_days": (lo + days, hi + days)})


def what_if_bond_refused(sc: Scenario, pool: str) -> Scenario:
    """The increase of the pool's security is refused: from the planning month on, every month's
    limit stays at the limit in force in the planning month (the latest month on or before it,
    else the first)."""
    mine = sorted((c for c in sc.capacities if c.pool == pool), key=lambda c: c.month)
    if not mine:
        raise KeyError(f"no capacity for pool {pool!r}")
    month = sc.as_of.replace(day=1)
    current = next((c for c in reversed(mine) if c.month <= month), mine[0]).limit
    caps = tuple(
        replace(c, limit=min(c.limit, current)) if c.pool == pool and c.month >= month else c
        for c in sc.capacities
    )
    return replace(sc, capacities=caps)
