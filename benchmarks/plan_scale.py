"""Scale benchmark for `plan` (customs value and landed cost).

Generates a deployment of 10,000 shipments x 10 lines over the eleven destinations, plans it on one
core and prints lines per second and peak memory. Target: >= 10,000 lines/s and < 2 GB.

    .venv/bin/python benchmarks/plan_scale.py [--shipments N] [--lines-per-shipment M]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rackclear import load_map, plan
from rackclear.domain.deployment import Deployment
from rackclear.io.dossier_json import write_json
from rackclear.rulebook import load_rulebook
from rackclear.valuation.fx import ecb_history

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ai-cluster-2027.yaml"
TARGET_LINES_PER_SECOND = 10_000
TARGET_PEAK_MB = 2_048


def build(shipments: int, lines_per_shipment: int, seed: int = 7) -> Deployment:
    """The example's catalog and sites, with many generated shipments."""
    base, _ = load_map(EXAMPLE)
    rng = random.Random(seed)
    data = base.model_dump(mode="json")
    skus = [i.sku for i in base.catalog]
    sites = [s.id for s in base.sites]
    start = date(2027, 1, 4)
    data["lines_file"] = None
    data["shipments"] = [
        {
            "id": f"B-{n:05d}",
            "origin_country": rng.choice(["TW", "MX", "US", "CN", "MY"]),
            "origin_place": "factory",
            "site": rng.choice(sites),
            "mode": rng.choice(["air", "ocean", "road"]),
            "incoterm": rng.choice(["FCA", "FOB", "CIF", "DAP", "CPT"]),
            "ship_date": (start + timedelta(days=rng.randrange(0, 330))).isoformat(),
            "freight": {"amount": str(rng.randrange(2_000, 300_000)), "currency": "USD"},
            "insurance": {"amount": str(rng.randrange(200, 20_000)), "currency": "USD"},
            "related_parties": rng.random() < 0.05,
            "lines": [
                {"sku": rng.choice(skus), "quantity": rng.randrange(1, 64)}
                for _ in range(lines_per_shipment)
            ],
        }
        for n in range(shipments)
    ]
    return Deployment.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shipments", type=int, default=10_000)
    parser.add_argument("--lines-per-shipment", type=int, default=10)
    args = parser.parse_args()
    t0 = time.perf_counter()
    deployment = build(args.shipments, args.lines_per_shipment)
    built = time.perf_counter() - t0
    lines = sum(len(s.lines) for s in deployment.shipments)
    t_start = time.perf_counter()
    load_rulebook()
    ecb_history()
    startup = time.perf_counter() - t_start
    t1 = time.perf_counter()
    dossier = plan(deployment, date(2026, 11, 23))
    planned = time.perf_counter() - t1
    plan_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        size = write_json(dossier, Path(tmp) / "dossier.json").stat().st_size
    serialised = time.perf_counter() - t2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = lines / planned
    print(f"map: {len(deployment.shipments):,} shipments, {lines:,} lines (built in {built:.1f} s)")
    print(f"start-up (rule packs + ECB history, once per process): {startup:.2f} s")
    print(
        f"plan: {planned:.2f} s -> {rate:,.0f} lines/s (target {TARGET_LINES_PER_SECOND:,}; ratio {rate / TARGET_LINES_PER_SECOND:.2f})"
    )
    print(
        f"peak memory after plan (max RSS): {plan_peak_mb:,.0f} MB (target < {TARGET_PEAK_MB:,}; ratio {plan_peak_mb / TARGET_PEAK_MB:.2f})"
    )
    print(
        f"dossier.json streamed: {size / 1e6:,.0f} MB in {serialised:.1f} s; peak memory with it {peak_mb:,.0f} MB"
    )
    print(f"findings: {len(dossier.all_findings()):,}")


if __name__ == "__main__":
    main()
