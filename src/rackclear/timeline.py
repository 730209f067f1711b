"""One timeline per shipment: the dates every dated obligation of the plan is computed from.

ship -> depart -> arrive -> release -> delivered, then the destination's own dates: in Canada the
CAD due date (N business days after release, federal and provincial holidays) and the CARM
payment due date of the release's billing period; in the United States the time of entry (the
planned release), the import date (arrival) and the entry summary due date with its deposit of
estimated duties (N working days after the time of entry). Each date says where it comes from:

* ``map`` - given in the deployment map (the ship date);
* ``lead times`` - the schedule pack's lead times (their maximum figures, as the backward plan
  uses them) or the map's overrides, applied to the map's ship date;
* ``schedule`` - the go-live schedule's plan of the shipment, when one is attached;
* ``rule`` - a pack rule applied to an earlier date of the timeline, cited.

The CAD and 7501 data, the CARM deadlines and billing periods, the US bond months, the RPP
periods and the validity checks of authorisations and certificates are all computed from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays
import numpy as np

from rackclear.carm.calendar import UnknownRule, billing, cad_due
from rackclear.domain.citations import Citation, CiteFn
from rackclear.domain.deployment import Deployment, Shipment, Site
from rackclear.rulebook.registry import Rulebook
from rackclear.schedule.leadtimes import LeadTimes, ScheduleInputError, lead_times
from rackclear.schedule.model import ShipmentPlan, SitePlan
from rackclear.schedule.timeline import forward, leg

ORDER = (
    "ship",
    "depart",
    "arrive",
    "release",
    "entry",
    "import",
    "declaration_due",
    "entry_summary_due",
    "payment_due",
    "delivered",
)
MAP, LEAD_TIMES, SCHEDULE, RULE = "map", "lead times", "schedule", "rule"


@dataclass(frozen=True, slots=True)
class Event:
    """One date of a shipment's timeline, where it comes from and how it was reached."""

    name: str
    day: date
    source: str  # map | lead times | schedule | rule
    basis: str
    citation: Citation | None = None

    def to_dict(self, cite: CiteFn) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "source": self.source,
            "basis": self.basis,
            "citation": cite(self.citation) if self.citation else None,
        }


@dataclass(slots=True)
class Timeline:
    """The dates of one shipment. ``estimated`` is the reason when the transport dates could not
    be planned (no lead times in force): release is then taken no earlier than shipping."""

    shipment: str
    events: dict[str, Event] = field(default_factory=dict)
    estimated: str | None = None
    problems: list[str] = field(default_factory=list)  # dates a rule could not give, and why

    def day(self, name: str) -> date | None:
        event = self.events.get(name)
        return event.day if event is not None else None

    @property
    def ship(self) -> date:
        return self.events["ship"].day

    @property
    def arrive(self) -> date:
        return self.events.get("arrive", self.events["ship"]).day

    @property
    def release(self) -> date:
        return self.events.get("release", self.events["ship"]).day

    def add(self, event: Event) -> None:
        self.events[event.name] = event

    def to_dict(self, cite: CiteFn) -> dict[str, Any]:
        ordered = sorted(self.events.values(), key=lambda e: ORDER.index(e.name))
        return {
            "events": {e.name: e.to_dict(cite) for e in ordered},
            "estimated": self.estimated,
            "problems": list(self.problems),
        }

    def dates(self) -> dict[str, date]:
        return {name: e.day for name, e in self.events.items()}


class TimelineBuilder:
    """Builds the timeline of each shipment from the map, the lead times and the packs' rules."""

    def __init__(self, book: Rulebook, deployment: Deployment, as_of: date) -> None:
        self.book = book
        self.as_of = as_of
        self.sites = {s.id: s for s in deployment.sites}
        self.lead: LeadTimes | None = None
        self.problem: str | None = None
        try:
            lt = lead_times(book, as_of)
            overrides = deployment.schedule.get("lead_times") or None
            self.lead = lt.with_overrides(overrides) if overrides else lt
        except ScheduleInputError as exc:
            self.problem = str(exc)
        dates = [s.ship_date for s in deployment.shipments] + [s.go_live for s in deployment.sites]
        self.span = (min(dates, default=as_of), max(dates, default=as_of))

    def build(self, ship: Shipment) -> Timeline:
        site = self.sites[ship.site]
        out = Timeline(ship.id)
        out.add(Event("ship", ship.ship_date, MAP, "planned ship date in the map"))
        self._transport(out, ship, site)
        derive(self.book, out, site)
        return out

    def _transport(self, out: Timeline, ship: Shipment, site: Site) -> None:
        lt = self.lead
        if lt is None:
            out.estimated = (
                f"no lead times in force ({self.problem}): arrival and release are taken no "
                "earlier than the ship date"
            )
            for name in ("arrive", "release"):
                out.add(Event(name, ship.ship_date, MAP, f"{out.estimated} (at the earliest)"))
            return
        try:
            plan = ShipmentPlan(
                ship.id,
                site.id,
                site.country,
                ship.origin_country,
                ship.mode,
                ship.available_from or ship.ship_date,
                ship.ship_date,
            )
            lg = leg(lt, plan, ship.mode, SitePlan(site.id, site.country, site.go_live), *self.span)
            chain = forward(lg, np.asarray([ship.ship_date.toordinal()], np.int64))
        except (ScheduleInputError, ValueError) as exc:
            out.estimated = f"the transport dates cannot be planned ({exc})"
            for name in ("arrive", "release"):
                out.add(Event(name, ship.ship_date, MAP, f"{out.estimated}: taken at the earliest"))
            return
        transit = lt.transit_rule(ship.mode, ship.origin_country, site.country)
        d = date.fromordinal
        depart, arrive = d(int(chain.depart[0])), d(int(chain.arrive[0]))
        cleared, delivered = d(int(chain.cleared[0])), d(int(chain.delivered[0]))
        cite = lt.citation
        out.add(
            Event(
                "depart",
                depart,
                LEAD_TIMES,
                f"ship date + booking {lg.booking} days ({ship.mode}; schedule.booking_lead_days)",
                cite("booking_lead_days"),
            )
        )
        out.add(
            Event(
                "arrive",
                arrive,
                LEAD_TIMES,
                f"departure + transit at its maximum, {lg.transit.max} days ({ship.mode}, "
                f"{ship.origin_country} to {site.country}; schedule.{transit})",
                cite(transit),
            )
        )
        out.add(
            Event(
                "release",
                cleared,
                LEAD_TIMES,
                f"arrival + clearance at its maximum, {lg.clearance.max} working days of "
                f"{site.country} (schedule.clearance_days)",
                cite("clearance_days"),
            )
        )
        out.add(
            Event(
                "delivered",
                delivered,
                LEAD_TIMES,
                f"release + hand-over {lg.handover} + final mile {lg.final_mile} days "
                "(schedule.handover_days, schedule.final_mile_days)",
                cite("final_mile_days"),
            )
        )


def from_schedule(out: Timeline, row: dict[str, Any], site: Site, book: Rulebook) -> bool:
    """Take the transport dates from the go-live schedule's plan of the shipment (``row``: one
    entry of ``schedule["shipments"]``); re-derive the rule dates. True if any date changed."""
    before = out.dates()
    line = row.get("timeline") or {}
    planned = row.get("chosen_ship_date") or row.get("planned_ship")
    if planned:
        ship = date.fromisoformat(planned)
        if ship != out.ship:
            out.add(Event("ship", ship, SCHEDULE, "ship date chosen by the go-live schedule"))
    names = {"depart": "depart", "arrive": "arrive", "cleared": "release", "delivered": "delivered"}
    for key, name in names.items():
        if line.get(key):
            old = out.events.get(name)
            basis = old.basis if old is not None else "the go-live schedule's plan"
            out.add(
                Event(
                    name,
                    date.fromisoformat(line[key]),
                    SCHEDULE,
                    f"go-live schedule: {basis}",
                    old.citation if old is not None else None,
                )
            )
    out.estimated = None if line else out.estimated
    for name in ("entry", "import", "declaration_due", "entry_summary_due", "payment_due"):
        out.events.pop(name, None)
    out.problems.clear()
    derive(book, out, site)
    return out.dates() != before


def derive(book: Rulebook, out: Timeline, site: Site) -> None:
    """The destination's dates that rules give from the transport dates."""
    if site.country == "CA":
        _canada(book, out, site.province)
    elif site.country == "US":
        _united_states(book, out)


def _canada(book: Rulebook, out: Timeline, province: str | None) -> None:
    release = out.release
    try:
        due = cad_due(book, release, province)
        bill = billing(book, release, province)
    except UnknownRule as exc:
        out.problems.append(f"CAD and payment dates unknown: {exc}")
        return
    days = int(book.parameter("ca", "cad_accounting", release).value["business_days"])
    where = f"federal and {province} holidays" if province else "federal holidays"
    skipped = ", ".join(f"{d} ({why})" for d, why in due.skipped) or "none"
    out.add(
        Event(
            "declaration_due",
            due.due,
            RULE,
            f"CAD due {days} business days after release {release} (day 0 {due.start}; business "
            f"days exclude weekends and {where}; skipped: {skipped})",
            due.citation,
        )
    )
    out.add(
        Event(
            "payment_due",
            bill.payment_due,
            RULE,
            f"release {release} is in the CARM billing period {bill.period_start} to "
            f"{bill.period_end}; Statement of Account {bill.statement}; payment due on the last "
            "business day of the statement month",
            book.parameter("ca", "billing_cycle", release).citation,
        )
    )


@lru_cache(maxsize=16)
def _us_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("US", years=year).items())


def us_non_working(day: date) -> str | None:
    """Why ``day`` is not a US working day (19 CFR 101.1: Saturdays, Sundays, national holidays)."""
    if day.weekday() >= 5:
        return "weekend"
    return _us_holidays(day.year).get(day)


def _united_states(book: Rulebook, out: Timeline) -> None:
    release, arrive = out.release, out.arrive
    rule = book.parameter("us", "entry_summary_timing", release)
    if rule.value is None:
        out.problems.append(
            f"entry summary due date unknown: no us.entry_summary_timing ({rule.status})"
        )
        return
    value = rule.value
    days = int(value["working_days"])
    out.add(
        Event(
            "entry",
            release,
            RULE,
            f"time of entry taken as the planned release {release} (goods released on entry "
            "documentation before the summary)",
            rule.citation,
        )
    )
    out.add(
        Event("import", arrive, RULE, "import date = planned arrival of the goods", rule.citation)
    )
    day, count, skipped = release, 0, []
    while count < days:
        day += timedelta(days=1)
        why = us_non_working(day)
        if why:
            skipped.append(f"{day} ({why})")
            continue
        count += 1
    basis = (
        f"{days} working days after the time of entry {release} (skipped: "
        f"{', '.join(skipped) or 'none'})"
    )
    out.add(Event("entry_summary_due", day, RULE, basis, rule.citation))
    out.add(
        Event(
            "payment_due",
            day,
            RULE,
            f"estimated duties are deposited with the entry summary, due {day}",
            rule.citation,
        )
    )
