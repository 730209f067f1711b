"""A site's red/amber/green status from stated thresholds, with the threshold that decided it.

The rule (docs/schedule.md, "Status"): a site is **red** when the simulated on-time probability
is below ``red_p_on_time`` or one of its shipments is red in the plan (a chain's slack below
``red_slack_days``); **amber** when the probability is below ``amber_p_on_time`` or a shipment is
amber in the plan (least slack below ``amber_slack_days``, or a hold at its maximum would make it
late); **green** otherwise. Every threshold is a parameter of the ``schedule`` pack.

The plan counts every figure at its maximum; the simulation samples them at or below it. When the
plan gives a worse status than the probability alone would (red at 98.9 %, amber at 100 %), the
status names the driver: the shipment, its chain, and why the simulation does not see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rackclear.schedule.backward import (
    RANK,
    TRANSPORT,
    ShipmentSchedule,
    SiteSchedule,
    days,
    percent,
)
from rackclear.schedule.leadtimes import THRESHOLDS, LeadTimes
from rackclear.schedule.risk import SiteRisk


@dataclass(frozen=True)
class Cause:
    """One threshold crossed: the level it gives, the pack parameter, the sentence with values."""

    level: str  # red | amber
    rule: str  # a schedule pack parameter
    text: str
    shipment: str | None = None
    value: float | int | None = None
    threshold: float | int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "rule": f"schedule.{self.rule}",
            "text": self.text,
            "shipment": self.shipment,
            "value": self.value,
            "threshold": self.threshold,
        }


@dataclass(frozen=True)
class SiteStatus:
    site: str
    status: str  # red | amber | green: the worse of the plan's and the probability's
    plan_status: str  # the worst of its shipments in the backward plan
    probability_status: str  # from p_on_time and the two probability thresholds alone
    reason: str  # the causes at the deciding level, or why it is green
    causes: tuple[Cause, ...]  # every threshold crossed, red first
    driver: str | None  # when the plan makes it worse than the probability: what and why

    @property
    def basis(self) -> str:
        """What decided the status: "plan", "simulation", "plan and simulation" or "thresholds"
        (green: no threshold crossed)."""
        deciding = {c.rule.endswith("p_on_time") for c in self.causes if c.level == self.status}
        return {
            frozenset(): "thresholds",
            frozenset({True}): "simulation",
            frozenset({False}): "plan",
        }.get(frozenset(deciding), "plan and simulation")

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_reason": self.reason,
            "status_basis": self.basis,
            "plan_status": self.plan_status,
            "probability_status": self.probability_status,
            "status_causes": [c.to_dict() for c in self.causes],
            "status_driver": self.driver,
        }


def thresholds(lt: LeadTimes) -> dict[str, Any]:
    """The stated thresholds in force, each with its grade and reference, for the dossier."""
    out: dict[str, Any] = {}
    for name in THRESHOLDS:
        figure = lt.figures[name]
        cite = figure.citation
        value = {
            "red_p_on_time": lt.red_p_on_time,
            "amber_p_on_time": lt.amber_p_on_time,
            "red_slack_days": lt.red_slack,
            "amber_slack_days": lt.amber_slack,
        }[name]
        out[name] = {
            "value": float(value) if isinstance(value, Decimal) else value,
            "rule": f"schedule.{name}",
            "grade": cite.grade if cite and cite.grade else ("user" if figure.overridden else None),
            "reference": cite.reference if cite else "deployment map",
        }
    return out


def rule_text(lt: LeadTimes) -> str:
    """The status rule in one sentence, with the thresholds in force."""
    return (
        f"red if P(on time) < {percent(float(lt.red_p_on_time))} or a shipment's chain has slack"
        f" < {days(lt.red_slack)} (a prerequisite's latest start passed, a planned date after the"
        f" latest safe ship date); amber if P(on time) < {percent(float(lt.amber_p_on_time))}, a"
        f" shipment's slack < {days(lt.amber_slack)}, or a hold at its maximum would make it late;"
        " green otherwise. Slack is counted with every lead time at its maximum."
    )


def site_status(
    lt: LeadTimes, site: SiteSchedule, plans: Sequence[ShipmentSchedule], risk: SiteRisk
) -> SiteStatus:
    """The status of one site from its shipments' plan and its simulated on-time probability."""
    p = Decimal(str(risk.p_on_time))
    prob = _probability(lt, p, risk)
    plan = [
        Cause(s.status, c.rule, c.text, s.id, c.value, c.threshold)
        for s in sorted(plans, key=lambda s: (-RANK[s.status], s.slack_days, s.id))
        if s.status != "green"
        for c in s.causes
    ]
    causes = tuple(sorted([*prob, *plan], key=lambda c: -RANK[c.level]))
    status = causes[0].level if causes else "green"
    prob_status = prob[0].level if prob else "green"
    plan_status = max((s.status for s in plans), key=RANK.__getitem__, default="green")
    deciding = [c for c in causes if c.level == status]
    reason = _reason(deciding) if deciding else _green(lt, p, plans)
    driver = None
    if RANK[status] > RANK[prob_status]:
        driver = _driver(lt, p, status, prob_status, plans, risk)
    return SiteStatus(site.id, status, plan_status, prob_status, reason, causes, driver)


def _probability(lt: LeadTimes, p: Decimal, risk: SiteRisk) -> list[Cause]:
    blocked = f" ({', '.join(risk.blocked)} never arrives)" if risk.blocked else ""
    for level, name, threshold in (
        ("red", "red_p_on_time", lt.red_p_on_time),
        ("amber", "amber_p_on_time", lt.amber_p_on_time),
    ):
        if p < threshold:
            text = (
                f"P(on time) {percent(float(p))} < {level} threshold {percent(float(threshold))}"
                f"{blocked}"
            )
            return [Cause(level, name, text, None, float(p), float(threshold))]
    return []


def _reason(causes: Sequence[Cause]) -> str:
    """The deciding causes in one sentence, grouped by shipment: 'P(on time) ...; S1: a; b'."""
    groups: dict[str | None, list[str]] = {}
    for c in causes:
        groups.setdefault(c.shipment, []).append(c.text)
    return "; ".join(
        "; ".join(texts) if sid is None else f"{sid}: {'; '.join(texts)}"
        for sid, texts in groups.items()
    )


def _green(lt: LeadTimes, p: Decimal, plans: Sequence[ShipmentSchedule]) -> str:
    if not plans:
        return "no shipments to this site"
    least = min(plans, key=lambda s: (s.slack_days, s.id))
    return (
        f"P(on time) {percent(float(p))} ≥ amber threshold {percent(float(lt.amber_p_on_time))}, and"
        f" least slack {days(least.slack_days)} ({least.id}) ≥ amber threshold"
        f" {days(lt.amber_slack)}"
    )


def _driver(
    lt: LeadTimes,
    p: Decimal,
    status: str,
    prob_status: str,
    plans: Sequence[ShipmentSchedule],
    risk: SiteRisk,
) -> str:
    """Why the site is worse than its probability: the driving shipment and chain, and why the
    simulation does not see what the plan sees."""
    ship = min((s for s in plans if s.status == status), key=lambda s: (s.slack_days, s.id))
    own = risk.shipment_p_on_time(ship.id)
    seen = (
        f"the simulation finds {ship.id} on time in {percent(own)} of runs"
        if own is not None
        else f"the simulation does not report {ship.id} on its own"
    )
    threshold = lt.amber_p_on_time if prob_status == "green" else lt.red_p_on_time
    level = "amber" if prob_status == "green" else "red"
    head = (
        f"{status} though P(on time) {percent(float(p))} ≥ {level} threshold"
        f" {percent(float(threshold))}: the plan decides it, not the simulation."
    )
    return f"{head} Driver: {ship.id}, {_why(lt, ship, status)}; {seen}."


def _why(lt: LeadTimes, ship: ShipmentSchedule, status: str) -> str:
    t, c = ship.transit, ship.clearance
    sampled = (
        f"transit (triangular, {t.min}/{t.likely}/{t.max} days) and clearance"
        f" (triangular, {c.min}/{c.likely}/{c.max} working days)"
        if t and c
        else "transit and clearance on their [min, likely, max] ranges"
    )
    hold = (
        f"a documents hold or inspection (chance {percent(c.p_hold)}, {c.hold_extra[0]}-"
        f"{c.hold_extra[1]} extra working days)"
        if c
        else "a documents hold or inspection"
    )
    prereq = next((q for q in ship.prereqs if q.id == ship.critical), None)
    if status == "red" and prereq is not None and (prereq.slack_days or 0) < lt.red_slack:
        lo, hi = prereq.lead_days
        runs = hi - lo + 1
        later = min(max(-(prereq.slack_days or 0), 0), runs)
        return (
            f"prerequisite {prereq.name}: the plan counts its maximum lead of {days(hi)}, so"
            f" started today it is ready by {prereq.ready_by},"
            f" {days(-(prereq.slack_days or 0))} after the latest safe ship date"
            f" {ship.latest_safe_ship}; the simulation samples the lead uniformly on {lo}-{hi}"
            f" days, so it is ready after that date in only {percent(later / runs)} of runs, and"
            f" even then {sampled} seldom both reach their maxima, so the lost days are usually"
            " made up on the way"
        )
    if status == "red":
        return (
            f"transport (slack {days(ship.transport_slack_days)}): the plan takes transit at its"
            f" maximum of {t.max if t else '?'} days and clearance at its maximum of"
            f" {c.max if c else '?'} working days; the simulation samples {sampled}, and they"
            " seldom reach their maxima together"
        )
    if ship.slack_days < lt.amber_slack:
        chain = f"prerequisite {prereq.name}" if prereq else TRANSPORT
        return (
            f"{chain} (slack {days(ship.slack_days)} < amber threshold {days(lt.amber_slack)}):"
            " the slack is counted with every figure at its maximum and the simulation samples"
            f" every figure at or below it, so only {hold} can make it late in a run; the amber"
            " threshold keeps a margin for what neither models (a missed cut-off, an unlisted"
            " holiday)"
        )
    return (
        f"{hold} of its maximum length would make it late, but the simulation draws a hold in"
        " only that share of runs and samples its length"
    )
