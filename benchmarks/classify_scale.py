"""Batch classification speed: 10,000 invoice descriptions on one core.

Target: at least 1,000 descriptions per second. The descriptions are built from the product
families' vocabulary with random specs, model numbers and tails, plus a share of vague and
unknown texts, so the matcher, the vague filter and the suggestion search are all exercised.

    .venv/bin/python benchmarks/classify_scale.py [--n 10000] [--destinations US,CA,DE]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from rackclear.classification import classify
from rackclear.rulebook import load_rulebook

TARGET_PER_SECOND = 1_000
HEADS = [
    "Rack server, {n}U, 2 x CPU, {g} x GPU",
    "GPU accelerator card, PCIe Gen5, {g}0 GB HBM3e",
    "Ethernet switch, {g}4 x 400GbE, 2U",
    "Optical transceiver module, 800G OSFP DR8",
    "Network interface card, {g}00 Gb/s, PCIe",
    "DDR5 RDIMM memory module, {g}4 GB",
    "NVMe solid state drive, U.2, {g}.84 TB",
    "Hard disk drive, 3.5 inch, 2{g} TB",
    "Direct attach copper cable, 400G, {g} m",
    "Server power supply unit, {g}000 W",
    "Uninterruptible power supply, {g} kVA",
    "Switched rack PDU, {g}8 outlets, network managed",
    "Coolant distribution unit, {g}00 kW",
    "Rear door heat exchanger, {g}0 kW",
    "Fan tray, {g} fans, hot-swap",
    "Empty server rack cabinet, steel, 4{g}U",
    "KVM switch, {g}6 ports",
    "Intel Xeon processor, {g}4 cores",
]
TAILS = [
    "",
    " for data centre use",
    " with redundant power supplies",
    " model XR-{m}",
    " (item {m})",
    ", new, in original packaging",
]
OTHERS = [
    "IT equipment",
    "server parts",
    "spare parts for network gear",
    "Frobnicating widget model {m}",
    "Quantum flux stabiliser {m}",
]


def descriptions(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pattern = (
            rng.choice(OTHERS) if rng.random() < 0.1 else rng.choice(HEADS) + rng.choice(TAILS)
        )
        out.append(
            pattern.format(n=rng.randint(1, 8), g=rng.randint(1, 9), m=rng.randint(100, 9999))
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--destinations", default="US,CA,DE")
    args = parser.parse_args()
    book = load_rulebook()
    items = descriptions(args.n)
    countries = tuple(c for c in args.destinations.split(",") if c)
    classify(book, items[0], None, {}, countries, date(2026, 11, 23))  # compile the rules once
    start = time.perf_counter()
    refused = unknown = 0
    for text in items:
        result = classify(book, text, None, {}, countries, date(2026, 11, 23))
        refused += result.evidence == "refused"
        unknown += result.evidence == "suggestions"
    elapsed = time.perf_counter() - start
    rate = len(items) / elapsed
    print(
        f"classified {len(items):,} descriptions for {', '.join(countries) or 'no destination'} in {elapsed:.2f} s"
    )
    print(
        f"{rate:,.0f} descriptions/s (target {TARGET_PER_SECOND:,}; ratio {rate / TARGET_PER_SECOND:.2f})"
    )
    print(f"refused as vague: {refused:,}; no rule (suggestions only): {unknown:,}")


if __name__ == "__main__":
    main()
