"""The choices the optimiser and the greedy baseline pick from: for each shipment, every (mode,
ship day) in its window, with the days late, storage days, ship month and delivery week of each,
and the customs-security pools' monthly limits in integer units.

A shipment's window opens on its first feasible day (earliest availability, or later while a
prerequisite that is not ready takes its maximum lead from the planning date) and is
``optimise_horizon_days`` long. Each shipment may also be *deferred* (not shipped in its window),
at a cost above any of its options, so that a plan always exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np
import numpy.typing as npt

from rackclear.schedule.backward import span
from rackclear.schedule.leadtimes import LeadTimes
from rackclear.schedule.model import Capacity, ShipmentPlan, SitePlan
from rackclear.schedule.timeline import forward, latest_safe_ship, leg

SCALE = 1000  # objective units per weight-day
CENTS = Decimal(100)
Ints = npt.NDArray[np.int64]


def month_key(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_of(key: int) -> date:
    return date(key // 12, key % 12 + 1, 1)


def week_of(key: int) -> date:
    """The Monday that starts week ``key`` (weeks counted from ordinal 1, a Monday)."""
    return date.fromordinal(key * 7 + 1)


@dataclass(frozen=True)
class Options:
    """One shipment's options, indexed ``mode_index * width + day_offset``."""

    ship: ShipmentPlan
    modes: tuple[str, ...]
    lo: int  # first feasible ship day (ordinal)
    width: int
    due: int  # latest safe ship day of the planned mode (ordinal)
    cost: Ints  # scaled objective of each option
    late: Ints
    storage: Ints
    month: Ints
    week: Ints
    defer_cost: int
    usage: int  # security usage in cents (0 when none or unknown)
    candidates: Ints  # the cheapest option of each (ship month, delivery week) cell that binds

    def pick(self, i: int) -> tuple[date, str]:
        return date.fromordinal(self.lo + i % self.width), self.modes[i // self.width]

    def index(self, when: date, mode: str) -> int | None:
        off = when.toordinal() - self.lo
        if mode not in self.modes or not 0 <= off < self.width:
            return None
        return self.modes.index(mode) * self.width + off


@dataclass(frozen=True)
class Problem:
    options: tuple[Options, ...]
    limits: dict[str, dict[int, int]]  # pool -> month key -> limit in cents
    slots: dict[str, int]  # site -> deliveries per week
    storage_cost: Decimal
    usd_per_weight_day: Decimal
    horizon: int
    unknown_usage: tuple[str, ...]

    def limit(self, pool: str | None, month: int) -> int | None:
        """The pool's limit in a month: its own record, else the latest earlier one carried
        forward, else the first; ``None`` when the pool has no capacity at all."""
        table = self.limits.get(pool or "")
        if not table:
            return None
        if month in table:
            return table[month]
        earlier = [m for m in table if m <= month]
        return table[max(earlier)] if earlier else table[min(table)]


def cents(amount: Decimal, up: bool) -> int:
    return int((amount * CENTS).to_integral_value(ROUND_CEILING if up else ROUND_FLOOR))


def build_problem(
    lt: LeadTimes,
    sites: Sequence[SitePlan],
    shipments: Sequence[ShipmentPlan],
    capacities: Sequence[Capacity],
    as_of: date,
) -> Problem:
    by_id = {s.id: s for s in sites}
    first, last = span(sites, shipments, as_of)
    last = date.fromordinal(last.toordinal() + lt.horizon + 400)
    limits: dict[str, dict[int, int]] = {}
    for cap in capacities:
        limits.setdefault(cap.pool, {})[month_key(cap.month)] = cents(cap.limit, up=False)
    slots = {s.id: s.warehouse_slots for s in sites if s.warehouse_slots is not None}
    opts = tuple(
        _options(
            lt, s, by_id[s.site], as_of, first, last, s.site in slots, s.security_pool in limits
        )
        for s in shipments
    )
    unknown = tuple(s.id for s in shipments if s.security_pool and s.security_usage is None)
    return Problem(
        opts, limits, slots, lt.storage_cost_per_day, lt.usd_per_weight_day, lt.horizon, unknown
    )


def _options(
    lt: LeadTimes,
    ship: ShipmentPlan,
    site: SitePlan,
    as_of: date,
    first: date,
    last: date,
    slotted: bool,
    pooled: bool,
) -> Options:
    ready = [as_of.toordinal() + p.lead_days[1] for p in ship.prereqs if not p.ready]
    lo = max([ship.earliest_ship.toordinal(), *ready])
    width = lt.horizon + 1
    days = np.arange(lo, lo + width, dtype=np.int64)
    late, storage, week = [], [], []
    for mode in ship.modes:
        lg = leg(lt, ship, mode, site, first, last)
        chain = forward(lg, days)
        late.append(chain.late_days(lg.target))
        storage.append(chain.storage_days)
        week.append((chain.delivered - 1) // 7)
    late_a, storage_a = np.concatenate(late), np.concatenate(storage)
    per_storage = float(lt.storage_cost_per_day / lt.usd_per_weight_day)
    cost = np.rint(SCALE * (ship.weight * late_a + per_storage * storage_a)).astype(np.int64)
    months = np.asarray([month_key(date.fromordinal(int(d))) for d in days], np.int64)
    due = latest_safe_ship(leg(lt, ship, ship.mode, site, first, last))
    defer = int(cost.max()) + round(SCALE * ship.weight * lt.horizon) + 1
    usage = cents(ship.security_usage, up=True) if ship.security_usage is not None else 0
    usage = usage if ship.security_pool else 0
    month_a, week_a = np.tile(months, len(ship.modes)), np.concatenate(week)
    cell = (month_a if pooled and usage else 0) * 10_000_000 + (week_a if slotted else 0)
    return Options(
        ship,
        ship.modes,
        lo,
        width,
        due,
        cost,
        late_a,
        storage_a,
        month_a,
        week_a,
        defer,
        usage,
        _cheapest_per_cell(np.asarray(cell, np.int64) + np.zeros_like(cost), cost),
    )


def _cheapest_per_cell(cell: Ints, cost: Ints) -> Ints:
    """Options that use the same capacities (ship month for the pool, delivery week for the
    site's slots) are interchangeable but for their cost: only the cheapest of each cell (the
    earliest of equals) can be in an optimal plan, and the greedy would take it first."""
    order = np.lexsort((np.arange(cost.size), cost, cell))
    _, first = np.unique(cell[order], return_index=True)
    return np.sort(order[first]).astype(np.int64)
