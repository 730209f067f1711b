"""Relief regimes per shipment: eligibility by purpose and free-zone site, deadline, amount at
stake (Canada drawback relieves duties, never GST: Customs Tariff s.113, FACTS.md section e)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from rackclear import load_map, plan


def _plan(example_map: Path, tmp_path: Path, purposes: dict[str, str]) -> Any:
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    for ship in data["shipments"]:
        if ship["id"] in purposes:
            ship["purpose"] = purposes[ship["id"]]
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    return plan(deployment, date(2026, 11, 23))


def test_temporary_import_into_canada(example_map: Path, tmp_path: Path) -> None:
    dossier = _plan(example_map, tmp_path, {"CA-002": "temporary"})
    ship = next(s for s in dossier.shipments if s.shipment == "CA-002")
    regimes = {r["id"]: r for r in ship.relief}
    assert set(regimes) == {"drawback", "temporary_admission"}
    drawback = regimes["drawback"]
    assert drawback["relieves"] == ["duties"] and "GST" in drawback["not_relieved"]
    assert (
        drawback["deadline_date"] == date.fromordinal(ship.ship_date.toordinal() + 1461).isoformat()
    )
    assert "BSF865" in regimes["temporary_admission"]["form"]
    # the amount at stake is the shipment's duties (unknown stays unknown, never 0)
    expected = None if ship.totals.duties is None else format(ship.totals.duties, "f")
    assert (drawback["at_stake"] is None) == (expected is None)
    assert any(f.code == "RELIEF_AVAILABLE" for f in ship.entry.findings)


def test_permanent_imports_get_no_relief_except_a_free_zone(
    example_map: Path, tmp_path: Path
) -> None:
    dossier = _plan(example_map, tmp_path, {})
    with_relief = {s.shipment: [r["id"] for r in s.relief] for s in dossier.shipments if s.relief}
    ae = [s.shipment for s in dossier.shipments if s.destination == "AE"]
    assert with_relief == {a: ["free_zone"] for a in ae}


def test_unverified_regime_says_confirm(example_map: Path, tmp_path: Path) -> None:
    dossier = _plan(example_map, tmp_path, {"US-001": "return"})
    ship = next(s for s in dossier.shipments if s.shipment == "US-001")
    agr = next(r for r in ship.relief if r["id"] == "american_goods_returned")
    assert agr["verified"] is False and agr["confirm"]
