"""Monte Carlo of go-live risk (numpy, seeded, vectorised across runs).

Each run samples, per shipment: the ready date of each prerequisite that is not ready (planning
date + a whole number of days uniform on [min, max] lead), which can push the ship date later;
transit (triangular on min/likely/max, rounded to whole days); clearance (triangular, in working
days of the destination) plus a documents hold or inspection (Bernoulli p_hold) of uniform
[min, max] extra working days. Hand-over, final mile and the installation buffer are fixed.
A site's delay in a run is the greatest, over its shipments, of delivered date - (go-live -
installation buffer); days late are the positive part.

A shipment whose prerequisite is refused (``blocked``) never arrives: its site is late in every
run and its days late are unknown (``None``), never a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from rackclear.schedule.backward import span
from rackclear.schedule.leadtimes import LeadTimes
from rackclear.schedule.model import ShipmentPlan, SitePlan
from rackclear.schedule.timeline import forward, leg

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Driver:
    shipment: str
    cause: str  # "prerequisite <id>", "transit", "clearance", "hold", "plan" or "blocked"
    # "plan": nothing ran over its likely figure, the planned date itself is late
    share: float  # of the runs counted (the late runs, or all runs when none is late)

    def to_dict(self) -> dict[str, Any]:
        return {"shipment": self.shipment, "cause": self.cause, "share": self.share}


@dataclass(frozen=True)
class SiteRisk:
    site: str
    p_on_time: float
    expected_days_late: float | None  # None when a shipment never arrives
    p90_days_late: float | None
    drivers: tuple[Driver, ...]
    blocked: tuple[str, ...] = ()
    drivers_basis: str = "late runs"  # or "all runs" when no run is late
    shipments: tuple[tuple[str, float], ...] = ()  # (shipment, its own share of runs on time)

    def shipment_p_on_time(self, shipment: str) -> float | None:
        return dict(self.shipments).get(shipment)

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "p_on_time": self.p_on_time,
            "expected_days_late": self.expected_days_late,
            "p90_days_late": self.p90_days_late,
            "drivers": [d.to_dict() for d in self.drivers],
            "blocked": list(self.blocked),
            "drivers_basis": self.drivers_basis,
            "shipments": {s: p for s, p in self.shipments},
        }


@dataclass(frozen=True)
class RiskResult:
    runs: int
    seed: int
    sites: tuple[SiteRisk, ...]

    def site(self, site_id: str) -> SiteRisk:
        return next(s for s in self.sites if s.site == site_id)

    def to_dict(self) -> dict[str, Any]:
        return {"runs": self.runs, "seed": self.seed, "sites": [s.to_dict() for s in self.sites]}


@dataclass(frozen=True)
class _Sampled:
    ship: ShipmentPlan
    delay: Floats  # days after the target (inf when blocked)
    cause: Ints  # per run: index into ``names``, or -1 when nothing ran over (the plan is late)
    names: tuple[str, ...]


def _triangular(rng: np.random.Generator, lo: int, mid: int, hi: int, runs: int) -> Ints:
    if lo == hi:
        return np.full(runs, lo, np.int64)
    return np.rint(rng.triangular(lo, mid, hi, runs)).astype(np.int64)


def _sample(
    lt: LeadTimes,
    ship: ShipmentPlan,
    site: SitePlan,
    as_of: date,
    when: tuple[date, str],
    blocked: Collection[str],
    rng: np.random.Generator,
    runs: int,
    span_: tuple[date, date],
) -> _Sampled:
    """Delays of one shipment and what pushed it most in each run."""
    planned, mode = when
    lg = leg(lt, ship, mode, site, *span_)
    base = planned.toordinal()
    open_ = [p for p in ship.prereqs if not p.ready]
    ready = np.stack(
        [np.full(runs, base, np.int64)]
        + [
            as_of.toordinal() + rng.integers(p.lead_days[0], p.lead_days[1] + 1, runs)
            for p in open_
        ]
    )
    ship_day = ready.max(axis=0)
    pushes = ready[1:] - base
    transit = _triangular(rng, *lg.transit, runs)
    c = lg.clearance
    clear = _triangular(rng, c.min, c.likely, c.max, runs)
    hold = (rng.random(runs) < c.p_hold) * rng.integers(c.hold_extra[0], c.hold_extra[1] + 1, runs)
    chain = forward(lg, ship_day, transit, clear + hold)
    delay = (chain.delivered - lg.target).astype(np.float64)
    if any(p.id in blocked for p in ship.prereqs):
        delay[:] = np.inf
    parts = np.concatenate(
        [pushes, np.stack([transit - lg.transit.likely, clear - c.likely, hold])]
    )
    cause = np.where(parts.max(axis=0) > 0, parts.argmax(axis=0), -1)
    names = (*(f"prerequisite {p.id}" for p in open_), "transit", "clearance", "hold")
    return _Sampled(ship, delay, cause, names)


def monte_carlo(
    lt: LeadTimes,
    sites: Sequence[SitePlan],
    shipments: Sequence[ShipmentPlan],
    as_of: date,
    *,
    runs: int = 1000,
    seed: int = 7,
    chosen: Mapping[str, tuple[date, str]] | None = None,
    blocked: Collection[str] = (),
) -> RiskResult:
    """Per site: probability of being on time, expected and 90th-percentile days late, and the
    drivers. ``chosen`` replaces planned ship dates and modes; ``blocked`` names prerequisites
    that will never be ready (a refused licence)."""
    rng = np.random.default_rng(seed)
    chosen = chosen or {}
    span_ = span(sites, shipments, as_of)
    site_of = {s.id: s for s in sites}
    by_site: dict[str, list[_Sampled]] = {s.id: [] for s in sites}
    for ship in shipments:
        when = chosen.get(ship.id, (ship.planned_ship, ship.mode))
        sampled = _sample(lt, ship, site_of[ship.site], as_of, when, blocked, rng, runs, span_)
        by_site[ship.site].append(sampled)
    return RiskResult(runs, seed, tuple(_site(s.id, by_site[s.id], blocked, runs) for s in sites))


def _site(site: str, rows: list[_Sampled], blocked: Collection[str], runs: int) -> SiteRisk:
    if not rows:
        return SiteRisk(site, 1.0, 0.0, 0.0, ())
    delays = np.stack([r.delay for r in rows])
    worst = delays.argmax(axis=0)
    site_delay = delays[worst, np.arange(runs)]
    late = np.maximum(site_delay, 0.0)
    stopped = tuple(r.ship.id for r in rows if any(p.id in blocked for p in r.ship.prereqs))
    expected = None if stopped else round(float(late.mean()), 3)
    p90 = None if stopped else float(np.percentile(late, 90))
    counted = np.flatnonzero(site_delay > 0)
    basis = counted if counted.size else np.arange(runs)
    tally: Counter[tuple[str, str]] = Counter()
    for run in basis.tolist():
        row = rows[int(worst[run])]
        tally[(row.ship.id, _label(row, run))] += 1
    drivers = tuple(Driver(s, c, round(n / basis.size, 4)) for (s, c), n in tally.most_common(5))
    p_on = round(float((site_delay <= 0).mean()), 4)
    basis_name = "late runs" if counted.size else "all runs"
    own = tuple((r.ship.id, round(float((r.delay <= 0).mean()), 4)) for r in rows)
    return SiteRisk(site, p_on, expected, p90, drivers, stopped, basis_name, own)


def _label(row: _Sampled, run: int) -> str:
    if np.isinf(row.delay[run]):
        return "blocked"
    cause = int(row.cause[run])
    return "plan" if cause < 0 else row.names[cause]
