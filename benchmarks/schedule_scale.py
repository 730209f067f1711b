"""Scale benchmark for the go-live scheduler.

1. Optimisation: 5,000 shipments over 100 sites and 12 months, with a customs-security pool per
   destination country (monthly limits below peak demand) and weekly delivery slots per site.
   CP-SAT (default 60 s) against the greedy earliest-due-date baseline: objectives, gain ratio,
   bound and gap.
2. Monte Carlo: 10,000 runs on the bundled example (examples/ai-cluster-2027.yaml), with simple
   shipment plans built from the map (no adapter), timed against a 10-second target.

Prints figures and ratios; asserts nothing.

    .venv/bin/python benchmarks/schedule_scale.py [--time-limit 60] [--workers 8] [--runs 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import rackclear
from rackclear.rulebook import load_rulebook
from rackclear.schedule import (
    Capacity,
    Prereq,
    ShipmentPlan,
    SitePlan,
    backward_plan,
    lead_times,
    monte_carlo,
    optimise,
)

COUNTRIES = ["US", "CA", "DE", "NL", "SG", "IN", "AE", "SA", "TW", "JP", "KR"]
ORIGINS = ["TW", "MY", "CN", "MX", "US"]
AS_OF = date(2026, 11, 23)
MC_TARGET_S = 10.0
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ai-cluster-2027.yaml"


def synthetic(
    n_ships: int, n_sites: int, seed: int = 5
) -> tuple[list[SitePlan], list[ShipmentPlan], list[Capacity]]:
    rng = random.Random(seed)
    sites = [
        SitePlan(
            f"site-{k:03d}",
            COUNTRIES[k % len(COUNTRIES)],
            date(2027, 2, 1) + timedelta(days=rng.randrange(0, 365)),
            warehouse_slots=rng.choice([3, 4, 5]),
        )
        for k in range(n_sites)
    ]
    ships = []
    for k in range(n_ships):
        site = sites[k % n_sites]
        mode = rng.choice(["air", "ocean", "ocean", "road"])
        origin = rng.choice([o for o in ORIGINS if o != site.country])
        if mode == "road":  # trucks only across the North American borders
            mode, origin = (
                ("road", "MX" if site.country == "US" else "US")
                if site.country in ("US", "CA")
                else ("ocean", origin)
            )
        lead = 30 if mode == "air" else 75
        earliest = site.go_live - timedelta(days=lead + rng.randrange(0, 45))
        prereqs = ()
        if rng.random() < 0.2:
            prereqs = (Prereq(f"P{k}:lic", "BIS licence", "licence", (30, 90), verified=False),)
        ships.append(
            ShipmentPlan(
                f"P{k:05d}",
                site.id,
                site.country,
                origin,
                mode,
                max(earliest, AS_OF),
                max(earliest, AS_OF) + timedelta(days=rng.randrange(0, 10)),
                prereqs,
                weight=round(rng.uniform(0.1, 5.0), 2),
                security_pool=f"{site.country}-security",
                security_usage=Decimal(rng.randrange(5_000, 60_000)),
                alt_modes=("air",) if mode != "air" else (),
            )
        )
    demand: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for s in ships:
        demand[(s.security_pool or "", s.earliest_ship.replace(day=1))] += s.security_usage or 0
    peaks: dict[str, Decimal] = defaultdict(Decimal)
    for (pool, _), total in demand.items():
        peaks[pool] = max(peaks[pool], total)
    caps = [
        Capacity(
            pool,
            date(2026 + (m + 10) // 12, (m + 10) % 12 + 1, 1),
            (peak * 7 / 10).quantize(Decimal(1)),
        )
        for pool, peak in sorted(peaks.items())
        for m in range(16)
    ]
    return sites, ships, caps


def bench_optimise(args: argparse.Namespace) -> None:
    book = load_rulebook()
    lt = lead_times(book, AS_OF)
    sites, ships, caps = synthetic(args.shipments, args.sites)
    print(f"optimisation: {len(ships)} shipments, {len(sites)} sites, {len(caps)} pool-months")
    t0 = time.perf_counter()
    result = optimise(
        lt, sites, ships, caps, AS_OF, time_limit_s=args.time_limit, num_workers=args.workers
    )
    wall = time.perf_counter() - t0
    d = result.to_dict()
    g, c = d["objective_greedy"], d["objective_cpsat"]
    print(f"  greedy objective : {g:,.1f} weight-days")
    print(f"  CP-SAT objective : {c:,.1f} weight-days  (status {d['status']})")
    print(
        f"  gain             : {d['gain']:,.1f}  ratio greedy/CP-SAT {g / c if c else float('inf'):.3f}"
    )
    bound = d["bound"]
    print(f"  bound            : {bound if bound is None else f'{bound:,.1f}'}  gap {d['gap']}")
    print(
        f"  deferred         : {len(d['deferred'])} (CP-SAT), {len(result.greedy.deferred)} (greedy)"
    )
    kinds = defaultdict(int)
    for b in result.cpsat.binding:
        kinds[b.kind] += 1
    print(f"  binding          : {dict(kinds)}")
    print(
        f"  wall             : {wall:.1f} s (time limit {args.time_limit} s, {args.workers} workers)"
    )


def example_plans() -> tuple[list[SitePlan], list[ShipmentPlan]]:
    deployment, _ = rackclear.load_map(EXAMPLE)
    values = {i.sku: i.unit_value for i in deployment.catalog}
    sites = [SitePlan(s.id, s.country, s.go_live) for s in deployment.sites]
    country = {s.id: s.country for s in deployment.sites}
    ships = []
    for s in deployment.shipments:
        value = sum(values[ln.sku] * ln.quantity for ln in s.lines)
        prereqs = ()
        if s.origin_country in ("TW", "MY", "CN") and country[s.site] not in ("US",):
            prereqs = (Prereq(f"{s.id}:lic", "BIS licence", "licence", (30, 90), verified=False),)
        ships.append(
            ShipmentPlan(
                s.id,
                s.site,
                country[s.site],
                s.origin_country,
                s.mode,
                s.ship_date,
                s.ship_date,
                prereqs,
                weight=float(value) / 1e6,
            )
        )
    return sites, ships


def bench_monte_carlo(args: argparse.Namespace) -> None:
    lt = lead_times(load_rulebook(), AS_OF)
    sites, ships = example_plans()
    t0 = time.perf_counter()
    risk = monte_carlo(lt, sites, ships, AS_OF, runs=args.runs, seed=7)
    wall = time.perf_counter() - t0
    plan = backward_plan(lt, sites, ships, AS_OF)
    print(f"monte carlo: {args.runs} runs, {len(ships)} shipments, {len(sites)} sites")
    print(
        f"  wall             : {wall:.2f} s (target {MC_TARGET_S:.0f} s, ratio {wall / MC_TARGET_S:.3f})"
    )
    for s in risk.sites:
        status = plan.site(s.site).status
        top = f"{s.drivers[0].shipment} {s.drivers[0].cause}" if s.drivers else "-"
        print(
            f"  {s.site:8} {status:5} p_on_time {s.p_on_time:.3f} "
            f"E[late] {s.expected_days_late} p90 {s.p90_days_late}  driver {top}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--shipments", type=int, default=5000)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    bench_optimise(args)
    bench_monte_carlo(args)


if __name__ == "__main__":
    main()
