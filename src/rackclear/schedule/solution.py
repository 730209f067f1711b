"""A plan (one option or deferral per shipment), its objective, and which capacities bind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.schedule.options import CENTS, SCALE, Problem, month_of, week_of

DEFERRED = -1


@dataclass(frozen=True)
class Choice:
    shipment: str
    site: str
    ship: date | None  # None when deferred
    mode: str | None
    late_days: int | None
    storage_days: int
    deferred: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "shipment": self.shipment,
            "ship": self.ship.isoformat() if self.ship else None,
            "mode": self.mode,
            "late_days": self.late_days,
            "storage_days": self.storage_days,
            "deferred": self.deferred,
        }


@dataclass(frozen=True)
class Binding:
    """A pool-month or site-week at (or, for a given plan, over) capacity."""

    kind: str  # pool-month | site-week
    key: str  # the pool or the site
    period: date  # first day of the month, or the Monday of the week
    used: str
    limit: str
    over: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "period": self.period.isoformat(),
            "used": self.used,
            "limit": self.limit,
            "over": self.over,
        }


@dataclass(frozen=True)
class Solution:
    method: str
    picks: tuple[int, ...]
    choices: tuple[Choice, ...]
    objective: float  # weight-days late + storage cost in weight-days (deferrals included)
    late_weight_days: float
    storage_usd: Decimal
    binding: tuple[Binding, ...]

    @property
    def deferred(self) -> list[str]:
        return [c.shipment for c in self.choices if c.deferred]


def evaluate(problem: Problem, picks: Sequence[int], method: str) -> Solution:
    choices, scaled, late, storage = [], 0, 0.0, 0
    for opt, i in zip(problem.options, picks, strict=True):
        s = opt.ship
        if i == DEFERRED:
            choices.append(Choice(s.id, s.site, None, None, None, 0, True))
            scaled += opt.defer_cost
            continue
        when, mode = opt.pick(i)
        lat, sto = int(opt.late[i]), int(opt.storage[i])
        choices.append(Choice(s.id, s.site, when, mode, lat, sto, False))
        scaled += int(opt.cost[i])
        late += s.weight * lat
        storage += sto
    return Solution(
        method,
        tuple(picks),
        tuple(choices),
        scaled / SCALE,
        late,
        storage * problem.storage_cost,
        tuple(binding(problem, picks)),
    )


def binding(problem: Problem, picks: Sequence[int]) -> list[Binding]:
    """Pool-months where no other shipment of the pool could still fit (or that are over), and
    site-weeks whose delivery slots are all taken (or over)."""
    used: dict[tuple[str, int], int] = defaultdict(int)
    smallest: dict[tuple[str, int], int] = {}
    arrivals: dict[tuple[str, int], int] = defaultdict(int)
    for opt, i in zip(problem.options, picks, strict=True):
        pool = opt.ship.security_pool
        if pool and opt.usage > 0:
            for m in set(opt.month.tolist()):
                key = (pool, int(m))
                smallest[key] = min(smallest.get(key, opt.usage), opt.usage)
            if i != DEFERRED:
                used[(pool, int(opt.month[i]))] += opt.usage
        if i != DEFERRED and opt.ship.site in problem.slots:
            arrivals[(opt.ship.site, int(opt.week[i]))] += 1
    out = []
    for (pool, m), total in sorted(used.items()):
        limit = problem.limit(pool, m)
        if limit is not None and limit - total < smallest[(pool, m)]:
            out.append(
                Binding(
                    "pool-month",
                    pool,
                    month_of(m),
                    str(Decimal(total) / CENTS),
                    str(Decimal(limit) / CENTS),
                    total > limit,
                )
            )
    for (site, w), count in sorted(arrivals.items()):
        slots = problem.slots[site]
        if count >= slots:
            out.append(
                Binding("site-week", site, week_of(w), str(count), str(slots), count > slots)
            )
    return out
