"""Backward planning: from each site's go-live to the latest safe ship date of each shipment, the
latest start of each prerequisite, the slack and the critical chain, and a red/amber/green status
as of the planning date.

latest safe ship = go-live - installation buffer - final mile - hand-over - clearance (maximum,
in working days of the destination) - transit (maximum) - booking. A prerequisite's latest start
is the latest safe ship date minus its maximum lead time. Slack is counted in calendar days:
for the shipment itself, latest safe ship - planned ship; for an open prerequisite, its latest
start - the planning date. The shipment's slack is the least of them (its critical chain).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np

from rackclear.domain.determination import Step
from rackclear.schedule.leadtimes import Clearance, LeadTimes, Triple
from rackclear.schedule.model import Prereq, ShipmentPlan, SitePlan
from rackclear.schedule.timeline import Leg, forward, latest_arrival, latest_safe_ship, leg

TRANSPORT = "transport"
RANK = {"green": 0, "amber": 1, "red": 2}


class StatusCause(NamedTuple):
    """One threshold that decided a status: the schedule pack's parameter, the sentence with the
    values, and the value and threshold compared (None where no number is compared)."""

    rule: str
    text: str
    value: int | None = None
    threshold: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": f"schedule.{self.rule}",
            "text": self.text,
            "value": self.value,
            "threshold": self.threshold,
        }


@dataclass(frozen=True)
class PrereqSchedule:
    id: str
    name: str
    kind: str
    ready: bool
    verified: bool
    latest_start: date
    ready_by: date | None  # planning date + maximum lead, when not ready
    slack_days: int | None  # latest start - planning date, when not ready
    lead_days: tuple[int, int] = (0, 0)  # (min, max), as the simulation samples it

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "ready": self.ready,
            "lead_time_verified": self.verified,
            "latest_start": self.latest_start.isoformat(),
            "ready_by": self.ready_by.isoformat() if self.ready_by else None,
            "slack_days": self.slack_days,
            "lead_days": list(self.lead_days),
        }


@dataclass(frozen=True)
class ShipmentSchedule:
    id: str
    site: str
    country: str
    mode: str
    earliest_ship: date
    ship: date  # the planned (or chosen) ship date
    latest_safe_ship: date
    latest_arrival: date
    slack_days: int  # least slack of any chain
    transport_slack_days: int
    critical: str  # "transport" or the id of a prerequisite
    status: str  # red | amber | green
    reasons: tuple[str, ...]
    prereqs: tuple[PrereqSchedule, ...]
    depart: date
    arrive: date
    cleared: date
    delivered: date
    storage_days: int
    storage_cost_usd: Decimal
    hold_makes_late: bool
    steps: tuple[Step, ...] = ()
    status_reason: str = ""  # which threshold decided the status, with the values
    causes: tuple[StatusCause, ...] = ()  # the thresholds behind ``reasons``, one each
    transit: Triple | None = None  # the [min, likely, max] figures the plan (at max) and the
    clearance: Clearance | None = None  # simulation (sampled) use

    @property
    def unreachable(self) -> bool:
        """Not even the earliest availability is safe."""
        return self.latest_safe_ship < self.earliest_ship

    def to_dict(self) -> dict[str, Any]:
        iso = date.isoformat
        return {
            "id": self.id,
            "site": self.site,
            "country": self.country,
            "mode": self.mode,
            "earliest_ship": iso(self.earliest_ship),
            "planned_ship": iso(self.ship),
            "latest_safe_ship_date": iso(self.latest_safe_ship),
            "latest_arrival": iso(self.latest_arrival),
            "slack_days": self.slack_days,
            "transport_slack_days": self.transport_slack_days,
            "critical": self.critical,
            "status": self.status,
            "status_reason": self.status_reason,
            "reasons": list(self.reasons),
            "status_causes": [c.to_dict() for c in self.causes],
            "prerequisites": [p.to_dict() for p in self.prereqs],
            "timeline": {
                "depart": iso(self.depart),
                "arrive": iso(self.arrive),
                "cleared": iso(self.cleared),
                "delivered": iso(self.delivered),
            },
            "storage_days": self.storage_days,
            "storage_cost_usd": str(self.storage_cost_usd),
            "hold_makes_late": self.hold_makes_late,
            "steps": [s.to_dict() for s in self.steps],
        }


@dataclass(frozen=True)
class SiteSchedule:
    id: str
    country: str
    go_live: date
    target: date  # go-live minus the installation buffer
    latest_safe_ship: date | None
    slack_days: int | None
    critical_shipment: str | None
    critical: str | None
    status: str


@dataclass(frozen=True)
class BackwardPlan:
    as_of: date
    sites: tuple[SiteSchedule, ...]
    shipments: tuple[ShipmentSchedule, ...]
    assumptions: tuple[str, ...] = field(default=())

    def shipment(self, shipment_id: str) -> ShipmentSchedule:
        return next(s for s in self.shipments if s.id == shipment_id)

    def site(self, site_id: str) -> SiteSchedule:
        return next(s for s in self.sites if s.id == site_id)


def span(
    sites: Sequence[SitePlan], shipments: Sequence[ShipmentPlan], as_of: date
) -> tuple[date, date]:
    """The dates in play, for the working-day calendars."""
    first = min(
        [as_of, *(s.earliest_ship for s in shipments), *(s.planned_ship for s in shipments)]
    )
    last = max([as_of, *(s.go_live for s in sites), *(s.planned_ship for s in shipments)])
    return first, last


def _steps(
    lt: LeadTimes, lg: Leg, ship: ShipmentPlan, site: SitePlan, latest: int
) -> tuple[Step, ...]:
    cite = lt.citation
    return (
        Step("go-live", site.go_live.isoformat()),
        Step("minus installation buffer", f"{lt.install_buffer} days", cite("install_buffer_days")),
        Step("minus final mile", f"{lg.final_mile} days", cite("final_mile_days")),
        Step("minus warehouse hand-over", f"{lg.handover} days", cite("handover_days")),
        Step(
            "minus customs clearance (maximum, working days of the destination)",
            f"{lg.clearance.max} working days",
            cite("clearance_days"),
        ),
        Step(
            "minus transit (maximum)",
            f"{lg.transit.max} days",
            cite(lt.transit_rule(lg.mode, ship.origin, ship.country)),
        ),
        Step("minus booking lead", f"{lg.booking} days", cite("booking_lead_days")),
        Step("latest safe ship date", date.fromordinal(latest).isoformat()),
    )


def plan_shipment(
    lt: LeadTimes,
    ship: ShipmentPlan,
    site: SitePlan,
    as_of: date,
    span_: tuple[date, date],
    chosen: tuple[date, str] | None = None,
) -> ShipmentSchedule:
    """The backward plan of one shipment (on its planned date and mode, or the chosen ones)."""
    when, mode = chosen or (ship.planned_ship, ship.mode)
    lg = leg(lt, ship, mode, site, *span_)
    latest = latest_safe_ship(lg)
    chain = forward(lg, np.asarray([when.toordinal()], np.int64))
    prereqs = tuple(_prereq(p, latest, as_of) for p in ship.prereqs)
    transport = latest - when.toordinal()
    chains = [(transport, TRANSPORT)] + [
        (p.slack_days, p.id) for p in prereqs if p.slack_days is not None
    ]
    slack, critical = min(chains, key=lambda c: c[0])
    hold = lg.clearance.p_hold > 0 and when.toordinal() > latest_safe_ship(
        lg, lg.clearance.hold_extra[1]
    )
    status, causes = _status(lt, ship, prereqs, (slack, critical), transport, hold, lg, when)
    reasons = tuple(c.text for c in causes)
    storage = int(chain.storage_days[0])
    d = date.fromordinal
    return ShipmentSchedule(
        ship.id,
        ship.site,
        ship.country,
        mode,
        ship.earliest_ship,
        when,
        d(latest),
        d(latest_arrival(lg)),
        slack,
        transport,
        critical,
        status,
        reasons,
        prereqs,
        d(int(chain.depart[0])),
        d(int(chain.arrive[0])),
        d(int(chain.cleared[0])),
        d(int(chain.delivered[0])),
        storage,
        storage * lt.storage_cost_per_day,
        hold,
        _steps(lt, lg, ship, site, latest),
        "; ".join(reasons) or f"least slack {days(slack)} ≥ amber threshold {days(lt.amber_slack)}",
        causes,
        lg.transit,
        lg.clearance,
    )


def _prereq(p: Prereq, latest: int, as_of: date) -> PrereqSchedule:
    start = date.fromordinal(latest - p.lead_days[1])
    if p.ready:
        return PrereqSchedule(
            p.id, p.name, p.kind, True, p.verified, start, None, None, p.lead_days
        )
    ready_by = date.fromordinal(as_of.toordinal() + p.lead_days[1])
    slack = (start - as_of).days
    return PrereqSchedule(
        p.id, p.name, p.kind, False, p.verified, start, ready_by, slack, p.lead_days
    )


def _status(
    lt: LeadTimes,
    ship: ShipmentPlan,
    prereqs: tuple[PrereqSchedule, ...],
    least: tuple[int, str],
    transport: int,
    hold: bool,
    lg: Leg,
    when: date,
) -> tuple[str, tuple[StatusCause, ...]]:
    """The plan's status of one shipment and, for each threshold that decided it, why (with the
    values): red when a chain's slack is under ``red_slack_days``; amber when the least slack is
    under ``amber_slack_days`` or a hold at its maximum would make it late; else green."""
    red_at, amber_at = lt.red_slack, lt.amber_slack
    latest = date.fromordinal(when.toordinal() + transport)
    red: list[StatusCause] = []
    available = (latest - ship.earliest_ship).days
    if available < red_at:
        red.append(
            StatusCause(
                "red_slack_days",
                f"latest safe ship date {latest} is {_days(-available, 'before')} the goods are"
                f" available ({ship.earliest_ship}): slack {days(available)} < red threshold"
                f" {days(red_at)}",
                available,
                red_at,
            )
        )
    if transport < red_at:
        red.append(
            StatusCause(
                "red_slack_days",
                f"planned ship date {when} is {_days(-transport, 'after')} the latest safe ship"
                f" date {latest}: transport slack {days(transport)} < red threshold {days(red_at)}",
                transport,
                red_at,
            )
        )
    red += [
        StatusCause(
            "red_slack_days",
            f"prerequisite {p.name}: latest start {p.latest_start}"
            f" {'has passed' if p.slack_days < 0 else 'is close'} and it is not ready: slack"
            f" {days(p.slack_days)} < red threshold {days(red_at)}",
            p.slack_days,
            red_at,
        )
        for p in prereqs
        if p.slack_days is not None and p.slack_days < red_at
    ]
    if red:
        return "red", tuple(red)
    slack, critical = least
    amber: list[StatusCause] = []
    if slack < amber_at:
        chain = next((f"prerequisite {p.name}" for p in prereqs if p.id == critical), "transport")
        amber.append(
            StatusCause(
                "amber_slack_days",
                f"slack {days(slack)} < amber threshold {days(amber_at)} (critical chain: {chain})",
                slack,
                amber_at,
            )
        )
    if hold:
        c = lg.clearance
        amber.append(
            StatusCause(
                "clearance_days",
                f"a documents hold or inspection of its maximum {c.hold_extra[1]} extra working"
                f" days (chance {percent(c.p_hold)}) would make it late",
            )
        )
    return ("amber", tuple(amber)) if amber else ("green", ())


def days(n: int) -> str:
    """'1 day', '-1 day', '3 days'."""
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def _days(n: int, side: str) -> str:
    """'3 days after' for n > 0; for n <= 0 the other way round ('2 days before')."""
    other = {"after": "before", "before": "after"}[side]
    return f"{days(n)} {side}" if n > 0 else f"{days(-n)} {other}"


def percent(share: float) -> str:
    """A share as a percentage with at most two decimals: 0.05 -> '5 %', 0.9887 -> '98.87 %'."""
    return f"{share * 100:.2f}".rstrip("0").rstrip(".") + " %"


def backward_plan(
    lt: LeadTimes,
    sites: Sequence[SitePlan],
    shipments: Sequence[ShipmentPlan],
    as_of: date,
    chosen: Mapping[str, tuple[date, str]] | None = None,
) -> BackwardPlan:
    """The backward plan of every shipment and site; ``chosen`` maps shipment ids to a ship date
    and mode (e.g. from ``optimise``) that replace the planned ones."""
    by_id = {s.id: s for s in sites}
    unknown = sorted({s.site for s in shipments} - set(by_id))
    if unknown:
        raise ValueError(f"shipments name unknown sites: {unknown}")
    span_ = span(sites, shipments, as_of)
    chosen = chosen or {}
    plans = tuple(
        plan_shipment(lt, s, by_id[s.site], as_of, span_, chosen.get(s.id)) for s in shipments
    )
    out = [_site(lt, site, [p for p in plans if p.site == site.id]) for site in sites]
    return BackwardPlan(as_of, tuple(out), plans, tuple(lt.assumptions()))


def _site(lt: LeadTimes, site: SitePlan, plans: list[ShipmentSchedule]) -> SiteSchedule:
    target = date.fromordinal(site.go_live.toordinal() - lt.install_buffer)
    if not plans:
        return SiteSchedule(
            site.id, site.country, site.go_live, target, None, None, None, None, "green"
        )
    worst = min(plans, key=lambda p: (p.slack_days, p.id))
    return SiteSchedule(
        site.id,
        site.country,
        site.go_live,
        target,
        min(p.latest_safe_ship for p in plans),
        worst.slack_days,
        worst.id,
        worst.critical,
        max((p.status for p in plans), key=RANK.__getitem__),
    )
