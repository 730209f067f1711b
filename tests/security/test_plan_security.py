"""Bonds and RPP security inside plan, projected from the deployment's own entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from rackclear import load_map, plan


def test_rpp_recalculation_and_us_entry_summaries(example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, date(2026, 11, 23))
    na = dossier.north_america
    rpp = na["ca_rpp_security"]
    # 50 % of the highest billing period owed (duties + GST), never the outdated CAD 25,000
    highest = max(float(p["owed"]) for p in rpp["periods"])
    assert float(rpp["next_recalculation"]["security_required"]) == round(highest / 2, 2)
    assert rpp["next_recalculation"]["post_by"] == "2028-01-15"
    assert any(f.code == "RPP_SECURITY_INCREASE_DUE" for f in dossier.findings)
    us = {s["shipment"] for s in na["us_entry_summaries"]}
    assert us == {s.id for s in deployment.shipments if s.site.startswith("us-")}


def test_bond_held_below_the_requirement_is_a_blocker(example_map: Path, tmp_path: Path) -> None:
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    for party in data["parties"]:
        if party["id"] == "nw-us":
            party["posted_security"] = {"amount": 10000, "currency": "USD"}
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    dossier = plan(deployment, date(2026, 11, 23))
    found = [f for f in dossier.findings if f.code == "BOND_INSUFFICIENT"]
    assert len(found) == 1 and found[0].severity.value == "blocker"
    assert "50000 USD" in found[0].message  # the $50,000 minimum
