"""From the planned example to the scheduler: prerequisites from the dossier (licences, open
certifications and registrations with their lead times), security capacity from the posted bond
and RPP security under the packs' rules, and the schedule CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from rackclear import load_map, plan
from rackclear.rulebook import Rulebook
from rackclear.schedule.adapter import attach_schedule, build_inputs

AS_OF = date(2026, 11, 23)


def test_inputs_from_the_example(book: Rulebook, example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, AS_OF, book)
    inputs = build_inputs(book, deployment, dossier, AS_OF)
    ships = {s.id: s for s in inputs.shipments}
    assert set(ships) == {s.id for s in deployment.shipments}
    # India's DGFT import authorisation for the H200 servers is an open prerequisite of IN-001
    in_ship = next(
        s for s in inputs.shipments if s.country == "IN" and any("dgft" in p.id for p in s.prereqs)
    )
    dgft = next(p for p in in_ship.prereqs if "dgft" in p.id)
    assert dgft.kind == "certification" and dgft.lead_days[1] >= dgft.lead_days[0] > 0
    # capacity: RPP security of CAD 50,000 at 50 % of the highest month carries CAD 100,000 a month
    ca = [c for c in inputs.capacities if c.pool == "CA-rpp"]
    assert ca and all(c.limit == Decimal(100000) for c in ca)
    # US bond of USD 50,000 at 10 % of 12 months' DTF: USD 500,000 a year, 41,667 a month
    us = [c for c in inputs.capacities if c.pool == "US-bond"]
    assert us and all(c.limit == Decimal(41667) for c in us)


def test_schedule_on_the_dossier(book: Rulebook, example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, AS_OF, book)
    data = attach_schedule(book, deployment, dossier, AS_OF, runs=200)
    assert {s["id"] for s in data["sites"]} == {s.id for s in deployment.sites}
    assert dossier.schedule_svg and dossier.schedule_svg.lstrip().startswith("<svg")
    # the RPP capacity the example's security allows is exceeded in March 2027
    assert any("CA-rpp" in str(b) for b in data["constraints_binding"])
    assert any(f.code == "SCHEDULE_CAPACITY_BINDING" for f in dossier.findings)


def test_schedule_cli_contract(example_map: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "schedule",
            str(example_map),
            "--as-of",
            "2026-11-23",
            "--runs",
            "200",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    data = json.loads(run.stdout)
    site = data["sites"][0]
    assert {
        "id",
        "country",
        "go_live",
        "latest_safe_ship_date",
        "p_on_time",
        "expected_days_late",
        "status",
    } <= set(site)
    assert {"sites", "shipments", "constraints_binding", "findings"} <= set(data)
    bad = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "schedule",
            str(example_map),
            "--as-of",
            "tomorrow",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_unknown_security_use_is_said_not_taken_as_zero(book: Rulebook, example_map: Path) -> None:
    # Every North American shipment of the example now has an estimate of its duties and taxes
    # (rates graded secondary count as estimates), so no capacity use is unknown; remove a
    # shipment's price and its use becomes unknown, which the schedule says, never taking it as 0.
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, AS_OF, book)
    data = attach_schedule(book, deployment, dossier, AS_OF, runs=50)
    assert not [f for f in data["findings"] if f["code"] == "SCHEDULE_CAPACITY_UNKNOWN"]
    ca = next(s for s in dossier.shipments if s.shipment == "CA-001")
    ca.totals.duties = None  # as if one duty had no value at all
    data = attach_schedule(book, deployment, dossier, AS_OF, runs=50)
    unknown = [f for f in data["findings"] if f["code"] == "SCHEDULE_CAPACITY_UNKNOWN"]
    assert len(unknown) == 1 and "CA-001" in unknown[0]["message"]
