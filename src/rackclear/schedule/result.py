"""``run_schedule``: the backward plan, the Monte Carlo risk, optionally the optimised plan, and
the findings, in one result with ``to_dict()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rackclear.rulebook.registry import Rulebook
from rackclear.schedule.backward import BackwardPlan, ShipmentSchedule, backward_plan
from rackclear.schedule.gantt import gantt_svg
from rackclear.schedule.leadtimes import LeadTimes, lead_times
from rackclear.schedule.model import Capacity, ShipmentPlan, SitePlan
from rackclear.schedule.optimise import OptimisationResult, planned
from rackclear.schedule.optimise import optimise as optimise_fn
from rackclear.schedule.options import build_problem
from rackclear.schedule.risk import RiskResult, monte_carlo
from rackclear.schedule.solution import Binding
from rackclear.schedule.status import SiteStatus, rule_text, site_status, thresholds


@dataclass(frozen=True)
class ScheduleResult:
    as_of: date
    lead_times: LeadTimes
    plan: BackwardPlan
    risk: RiskResult
    binding: tuple[Binding, ...]
    optimisation: OptimisationResult | None = None
    risk_optimised: RiskResult | None = None
    findings: tuple[dict[str, Any], ...] = field(default=())

    def gantt(self) -> str:
        return gantt_svg(self.plan)

    def statuses(self) -> tuple[SiteStatus, ...]:
        """Each site's status from the stated thresholds, with what decided it."""
        return site_statuses(self.lead_times, self.plan, self.risk)

    def to_dict(self) -> dict[str, Any]:
        chosen = {}
        if self.optimisation is not None:
            chosen = {c.shipment: c for c in self.optimisation.cpsat.choices}
        sites = []
        status = {st.site: st for st in self.statuses()}
        for s in self.plan.sites:
            r = self.risk.site(s.id)
            row: dict[str, Any] = {
                "id": s.id,
                "country": s.country,
                "go_live": s.go_live.isoformat(),
                "latest_safe_ship_date": s.latest_safe_ship.isoformat()
                if s.latest_safe_ship
                else None,
                "p_on_time": r.p_on_time,
                "expected_days_late": r.expected_days_late,
                "p90_days_late": r.p90_days_late,
                "drivers": [d.to_dict() for d in r.drivers],
                **status[s.id].to_dict(),
                "critical_shipment": s.critical_shipment,
                "critical": s.critical,
                "slack_days": s.slack_days,
            }
            if self.risk_optimised is not None:
                o = self.risk_optimised.site(s.id)
                row["optimised"] = {
                    "p_on_time": o.p_on_time,
                    "expected_days_late": o.expected_days_late,
                }
            sites.append(row)
        shipments = []
        for p in self.plan.shipments:
            row = p.to_dict()
            row["p_on_time"] = self.risk.site(p.site).shipment_p_on_time(p.id)
            row["critical_prerequisite"] = None if p.critical == "transport" else p.critical
            if p.id in chosen:
                c = chosen[p.id]
                row["chosen_ship_date"] = c.ship.isoformat() if c.ship else None
                row["chosen_mode"] = c.mode
                row["chosen_late_days"] = c.late_days
                row["deferred"] = c.deferred
            shipments.append(row)
        return {
            "as_of": self.as_of.isoformat(),
            "sites": sites,
            "shipments": shipments,
            "constraints_binding": [b.to_dict() for b in self.binding],
            "optimisation": self.optimisation.to_dict() if self.optimisation else None,
            "risk": {"runs": self.risk.runs, "seed": self.risk.seed},
            "status_rule": rule_text(self.lead_times),
            "status_thresholds": thresholds(self.lead_times),
            "assumptions": list(self.plan.assumptions),
            "findings": list(self.findings),
        }


def site_statuses(lt: LeadTimes, plan: BackwardPlan, risk: RiskResult) -> tuple[SiteStatus, ...]:
    return tuple(
        site_status(lt, s, [p for p in plan.shipments if p.site == s.id], risk.site(s.id))
        for s in plan.sites
    )


def _finding(
    code: str, severity: str, message: str, remedy: str, site: str | None, shipment: str | None
) -> dict[str, Any]:
    return {
        "code": code,
        "severity": severity,
        "message": message,
        "remedy": remedy,
        "concerns": {"site": site, "shipment": shipment},
    }


def _shipment_findings(p: ShipmentSchedule) -> list[dict[str, Any]]:
    out = []
    if p.unreachable or p.transport_slack_days < 0:
        why = (
            f"its latest safe ship date {p.latest_safe_ship} is before the goods are available "
            f"({p.earliest_ship})"
            if p.unreachable
            else f"it is planned to ship {p.ship}, {-p.transport_slack_days} days after its "
            f"latest safe ship date {p.latest_safe_ship}"
        )
        out.append(
            _finding(
                "SCHEDULE_LATE",
                "blocker",
                f"Shipment {p.id} cannot make go-live at {p.site}: {why}.",
                "Ship earlier, by a faster mode, or move the go-live date.",
                p.site,
                p.id,
            )
        )
    for q in p.prereqs:
        if q.slack_days is not None and q.slack_days < 0:
            out.append(
                _finding(
                    "PREREQ_START_PASSED",
                    "blocker",
                    f"{q.name} for shipment {p.id} had to start by {q.latest_start} to meet the "
                    f"latest safe ship date {p.latest_safe_ship}; it is not ready (ready by "
                    f"{q.ready_by} at its maximum lead).",
                    "Start it now and expedite, ship by a faster mode, or move the go-live date.",
                    p.site,
                    p.id,
                )
            )
    if p.status == "amber":
        out.append(
            _finding(
                "SCHEDULE_AT_RISK",
                "warning",
                f"Shipment {p.id} to {p.site} is amber: {p.status_reason}.",
                "Ship earlier or prepare documents to avoid holds.",
                p.site,
                p.id,
            )
        )
    return out


def findings(
    lt: LeadTimes,
    plan: BackwardPlan,
    risk: RiskResult,
    binding: Sequence[Binding],
    unknown_usage: Sequence[str] = (),
) -> list[dict[str, Any]]:
    out = [f for p in plan.shipments for f in _shipment_findings(p)]
    if unknown_usage:
        out.append(
            _finding(
                "SCHEDULE_CAPACITY_UNKNOWN",
                "warning",
                f"What {', '.join(unknown_usage)} use of customs security is unknown (duties or taxes"
                " unknown): they are counted as using none of it, so the capacity check is optimistic.",
                "Resolve the unknown rates so the security each shipment uses is known.",
                None,
                None,
            )
        )
    for st in site_statuses(lt, plan, risk):
        if st.probability_status == "green":
            continue
        r = risk.site(st.site)
        top = r.drivers[0] if r.drivers else None
        driver = f"; most often driven by {top.shipment} ({top.cause})" if top else ""
        why = next(c.text for c in st.causes if c.rule.endswith("p_on_time"))
        out.append(
            _finding(
                "SCHEDULE_AT_RISK",
                "warning",
                f"Site {r.site} is {st.probability_status} by the simulation: {why} over"
                f" {risk.runs} simulated runs{driver}.",
                "Act on the drivers: start prerequisites, ship earlier or by a faster mode.",
                r.site,
                top.shipment if top else None,
            )
        )
    for b in binding:
        what = "over" if b.over else "at"
        out.append(
            _finding(
                "SCHEDULE_CAPACITY_BINDING",
                "warning",
                f"{b.kind} {b.key} {b.period}: {b.used} used of {b.limit} ({what} capacity).",
                "Increase the customs security (bond, RPP security) or the warehouse slots, "
                "or spread shipments over other months or weeks.",
                b.key if b.kind == "site-week" else None,
                None,
            )
        )
    return out


def run_schedule(
    book: Rulebook,
    sites: Sequence[SitePlan],
    shipments: Sequence[ShipmentPlan],
    capacities: Sequence[Capacity],
    as_of: date,
    *,
    optimise: bool = False,
    runs: int = 1000,
    seed: int = 7,
    time_limit_s: float = 10.0,
    num_workers: int = 2,
    overrides: Mapping[str, Any] | None = None,
    lead: LeadTimes | None = None,
) -> ScheduleResult:
    """Plan backwards, simulate, and (with ``optimise``) choose ship dates and modes. ``lead``
    replaces the pack's lead times; ``overrides`` (the map's, keyed by the pack's parameter names)
    are applied on top (``LeadTimes.with_overrides``)."""
    lt = lead or lead_times(book, as_of)
    if overrides:
        lt = lt.with_overrides(overrides)
    plan = backward_plan(lt, sites, shipments, as_of)
    risk = monte_carlo(lt, sites, shipments, as_of, runs=runs, seed=seed)
    if not optimise:
        problem = build_problem(lt, sites, shipments, capacities, as_of)
        binding = planned(problem).binding
        return ScheduleResult(
            as_of,
            lt,
            plan,
            risk,
            binding,
            findings=tuple(findings(lt, plan, risk, binding, problem.unknown_usage)),
        )
    opt = optimise_fn(
        lt,
        sites,
        shipments,
        capacities,
        as_of,
        time_limit_s=time_limit_s,
        num_workers=num_workers,
        seed=seed,
    )
    chosen = {c.shipment: (c.ship, c.mode) for c in opt.cpsat.choices if c.ship and c.mode}
    risk_opt = monte_carlo(lt, sites, shipments, as_of, runs=runs, seed=seed, chosen=chosen)
    binding = opt.cpsat.binding
    return ScheduleResult(
        as_of,
        lt,
        plan,
        risk,
        binding,
        opt,
        risk_opt,
        tuple(findings(lt, plan, risk, binding, opt.unknown_usage)),
    )
