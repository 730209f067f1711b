"""Choosing ship dates and modes: CP-SAT (OR-Tools) against a greedy earliest-due-date baseline.

Minimise sum(weight x days late against go-live) + storage cost (converted to weight-days by
``objective_usd_per_weight_day``), subject to the customs-security capacity of each pool per
month (sum of the usage of the shipments shipped in that month <= limit, in cents), the delivery
slots of each site per week, and the prerequisites (no ship date before the planning date plus the
maximum lead of each prerequisite that is not ready). Days late are on the maximum figures, the
same ones the latest safe ship dates rest on.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from rackclear.schedule.leadtimes import LeadTimes
from rackclear.schedule.model import Capacity, ShipmentPlan, SitePlan
from rackclear.schedule.options import SCALE, Problem, build_problem
from rackclear.schedule.solution import DEFERRED, Solution, evaluate


@dataclass(frozen=True)
class OptimisationResult:
    cpsat: Solution
    greedy: Solution
    status: str
    bound: float | None
    gap: float | None
    time_limit_s: float
    num_workers: int
    seed: int
    wall_s: float
    unknown_usage: tuple[str, ...] = ()

    @property
    def gain(self) -> float:
        return self.greedy.objective - self.cpsat.objective

    def to_dict(self) -> dict[str, Any]:
        g, c = self.greedy.objective, self.cpsat.objective
        return {
            "objective_cpsat": round(c, 3),
            "objective_greedy": round(g, 3),
            "gain": round(self.gain, 3),
            "gain_ratio": round(g / c, 4) if c > 0 else None,
            "bound": round(self.bound, 3) if self.bound is not None else None,
            "gap": round(self.gap, 4) if self.gap is not None else None,
            "status": self.status,
            "time_limit_s": self.time_limit_s,
            "num_workers": self.num_workers,
            "seed": self.seed,
            "wall_s": round(self.wall_s, 3),
            "late_weight_days": round(self.cpsat.late_weight_days, 3),
            "storage_usd": str(self.cpsat.storage_usd),
            "deferred": self.cpsat.deferred,
            "security_usage_unknown": list(self.unknown_usage),
        }


def greedy_picks(problem: Problem) -> list[int]:
    """Earliest due date first; each shipment takes its cheapest option that still fits
    (ties: earliest day, planned mode first), or is deferred."""
    picks = [DEFERRED] * len(problem.options)
    used: dict[tuple[str, int], int] = defaultdict(int)
    arrivals: dict[tuple[str, int], int] = defaultdict(int)
    order = sorted(range(len(problem.options)), key=lambda k: (problem.options[k].due, k))
    for k in order:
        opt = problem.options[k]
        pool, site = opt.ship.security_pool, opt.ship.site
        cand = opt.candidates
        for i in cand[np.lexsort((cand, opt.cost[cand]))].tolist():
            month, week = int(opt.month[i]), int(opt.week[i])
            limit = problem.limit(pool, month) if opt.usage else None
            if limit is not None and used[(pool or "", month)] + opt.usage > limit:
                continue
            slots = problem.slots.get(site)
            if slots is not None and arrivals[(site, week)] >= slots:
                continue
            picks[k] = i
            used[(pool or "", month)] += opt.usage
            arrivals[(site, week)] += 1
            break
    return picks


def greedy(
    lt: LeadTimes,
    sites: Sequence[SitePlan],
    shipments: Sequence[ShipmentPlan],
    capacities: Sequence[Capacity],
    as_of: date,
) -> Solution:
    """The greedy earliest-due-date plan."""
    problem = build_problem(lt, sites, shipments, capacities, as_of)
    return evaluate(problem, greedy_picks(problem), "greedy")


def planned(problem: Problem) -> Solution:
    """The plan as the map has it (a date outside the window moves to its nearest end)."""
    picks = []
    for opt in problem.options:
        off = min(max(opt.ship.planned_ship.toordinal() - opt.lo, 0), opt.width - 1)
        picks.append(off)  # the planned mode is the first
    return evaluate(problem, picks, "planned")


def _model(
    problem: Problem, hint: Sequence[int]
) -> tuple[cp_model.CpModel, list[list[cp_model.IntVar]]]:
    """One literal per candidate option and one for deferral; exactly one per shipment."""
    model = cp_model.CpModel()
    lits: list[list[cp_model.IntVar]] = []
    objective: list[tuple[int, cp_model.IntVar]] = []
    pool_terms: dict[tuple[str, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    week_terms: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for k, opt in enumerate(problem.options):
        row = []
        pool, site = opt.ship.security_pool or "", opt.ship.site
        for i in opt.candidates.tolist():
            lit = model.new_bool_var(f"x{k}_{i}")
            model.add_hint(lit, hint[k] == i)
            row.append(lit)
            objective.append((int(opt.cost[i]), lit))
            if opt.usage and pool in problem.limits:
                pool_terms[(pool, int(opt.month[i]))].append((opt.usage, lit))
            if site in problem.slots:
                week_terms[(site, int(opt.week[i]))].append(lit)
        defer = model.new_bool_var(f"d{k}")
        model.add_hint(defer, hint[k] == DEFERRED)
        objective.append((opt.defer_cost, defer))
        model.add_exactly_one([*row, defer])
        lits.append(row)
    for (pool, m), terms in pool_terms.items():
        limit = problem.limit(pool, m)
        if limit is not None and sum(u for u, _ in terms) > limit:
            model.add(sum(u * lit for u, lit in terms) <= limit)
    for (site, _w), week in week_terms.items():
        if len(week) > problem.slots[site]:
            model.add(sum(week) <= problem.slots[site])
    model.minimize(sum(c * lit for c, lit in objective))
    return model, lits


def optimise(
    lt: LeadTimes,
    sites: Sequence[SitePlan],
    shipments: Sequence[ShipmentPlan],
    capacities: Sequence[Capacity],
    as_of: date,
    *,
    time_limit_s: float = 10.0,
    num_workers: int = 2,
    seed: int = 7,
) -> OptimisationResult:
    """CP-SAT plan against the greedy baseline. CP-SAT starts from the greedy plan as a hint and
    its plan is kept only when it is no worse, so it never loses to the baseline."""
    started = time.perf_counter()
    problem = build_problem(lt, sites, shipments, capacities, as_of)
    base = greedy_picks(problem)
    baseline = evaluate(problem, base, "greedy")
    model, xs = _model(problem, base)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    solver.parameters.max_presolve_iterations = 1  # large models spend the limit presolving
    code = solver.solve(model)
    status = solver.status_name(code)
    best, bound = baseline, None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        picks = [
            next(
                (int(i) for i, x in zip(opt.candidates, row, strict=True) if solver.value(x)),
                DEFERRED,
            )
            for row, opt in zip(xs, problem.options, strict=True)
        ]
        found = evaluate(problem, picks, "cp-sat")
        bound = solver.best_objective_bound / SCALE
        if found.objective <= baseline.objective:
            best = found
        else:
            status += " (greedy plan kept: better)"
    else:
        status += " (no CP-SAT plan: greedy plan kept)"
    gap = None if bound is None else max(best.objective - bound, 0.0) / max(best.objective, 1e-9)
    return OptimisationResult(
        best,
        baseline,
        status,
        bound,
        gap,
        time_limit_s,
        num_workers,
        seed,
        time.perf_counter() - started,
        problem.unknown_usage,
    )
