"""One shipment's chain from ship date to ready-for-install, forwards and backwards.

ship date -> booking (cut-off, loading) -> departure -> transit -> arrival -> clearance (working
days of the destination) -> hand-over from the warehouse -> final mile -> delivered. The shipment
is on time when it is delivered by go-live minus the installation buffer (its *target*). Dates are
day ordinals (``date.toordinal``) held in numpy arrays, so many ship dates or many Monte Carlo
runs move at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from rackclear.schedule.calendar import Days, WorkCalendar, calendar_for
from rackclear.schedule.leadtimes import Clearance, LeadTimes, Triple
from rackclear.schedule.model import ShipmentPlan, SitePlan


@dataclass(frozen=True)
class Leg:
    """The fixed figures of one shipment by one mode."""

    mode: str
    booking: int
    transit: Triple
    clearance: Clearance
    handover: int
    final_mile: int
    target: int  # ordinal of go-live minus the installation buffer
    calendar: WorkCalendar


@dataclass(frozen=True)
class Chain:
    """Dates (ordinals) of the chain for an array of ship dates."""

    ship: Days
    depart: Days
    arrive: Days
    cleared: Days
    delivered: Days
    storage_days: Days  # non-working days waiting at arrival

    def late_days(self, target: int) -> Days:
        return np.maximum(self.delivered - target, 0)


def leg(
    lt: LeadTimes, ship: ShipmentPlan, mode: str, site: SitePlan, first: date, last: date
) -> Leg:
    """The figures for ``ship`` by ``mode``; ``first``..``last`` is the span of dates in play."""
    target = site.go_live.toordinal() - lt.install_buffer
    return Leg(
        mode,
        lt.booking(mode),
        lt.transit(mode, ship.origin, ship.country),
        lt.clearance(ship.country),
        lt.handover,
        lt.final_mile,
        target,
        calendar_for(ship.country, first, last),
    )


def forward(
    lg: Leg, ship_days: Days, transit: Days | None = None, clearance: Days | None = None
) -> Chain:
    """The chain for each ship date; transit and clearance default to their maximum figures."""
    ship_days = np.asarray(ship_days, np.int64)
    depart = ship_days + lg.booking
    arrive = depart + (lg.transit.max if transit is None else transit)
    n = np.full_like(arrive, lg.clearance.max) if clearance is None else clearance
    cleared = lg.calendar.add(arrive, n)
    delivered = cleared + lg.handover + lg.final_mile
    return Chain(ship_days, depart, arrive, cleared, delivered, lg.calendar.waiting_days(arrive))


def latest_arrival(lg: Leg, extra_clearance: int = 0) -> int:
    """The latest arrival (ordinal) from which clearance at its maximum (plus ``extra_clearance``
    working days, e.g. a documents hold), hand-over and final mile still meet the target."""
    cleared_by = np.asarray([lg.target - lg.final_mile - lg.handover], np.int64)
    days = np.asarray([lg.clearance.max + extra_clearance], np.int64)
    return int(lg.calendar.latest_start(cleared_by, days)[0])


def latest_safe_ship(lg: Leg, extra_clearance: int = 0) -> int:
    """The latest ship date (ordinal) that is delivered by the target on the maximum figures."""
    return latest_arrival(lg, extra_clearance) - lg.transit.max - lg.booking
