"""Export control inside ``plan``: the ECCN a licence rests on, foreign-made items, origin regimes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from rackclear.domain.findings import Finding
from rackclear.io.map_reader import read_map
from rackclear.planning import plan
from rackclear.rulebook import Rulebook

AS_OF = date(2026, 11, 23)


def _map(
    tmp_path: Path, item: dict[str, Any], origin: str = "US", dest: str = "DE", hq: str = "US"
) -> Path:
    data = {
        "programme": "export test",
        "importers_of_record": {dest: "imp"},
        "parties": [
            {"id": "imp", "name": "Importer GmbH", "country": dest, "role": "importer"},
            {
                "id": "eu",
                "name": "Parent Inc.",
                "country": "US",
                "role": "end_user",
                "parent_headquarters": hq,
            },
        ],
        "catalog": [
            {
                "sku": "X",
                "description": "GPU accelerator card, PCIe",
                "manufacturer": "M",
                "model": "m",
                "country_of_origin": origin,
                "unit_value": 10000,
                "currency": "USD",
                "weight_kg": 1,
                **item,
            }
        ],
        "sites": [{"id": "s", "country": dest, "city": "Frankfurt", "go_live": "2027-05-03"}],
        "shipments": [
            {
                "id": "S1",
                "origin_country": origin,
                "origin_place": "Port",
                "site": "s",
                "mode": "air",
                "incoterm": "DAP",
                "ship_date": "2027-01-18",
                "freight": {"amount": 1000, "currency": "USD"},
                "insurance": {"amount": 10, "currency": "USD"},
                "consignee": "imp",
                "end_user": "eu",
                "lines": [{"sku": "X", "quantity": 1}],
            }
        ],
    }
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _findings(book: Rulebook, path: Path) -> list[Finding]:
    deployment, issues = read_map(path)
    assert not [i for i in issues if i.severity == "error"], issues
    return plan(deployment, AS_OF, book).all_findings()


def test_declared_ear99_cannot_set_aside_the_spec_4a090(book: Rulebook, tmp_path: Path) -> None:
    item = {
        "kind": "gpu_server",
        "specs": {"tpp": 15832, "datacenter": True},
        "declared": {"eccn": "EAR99"},
    }
    found = _findings(book, _map(tmp_path, item, dest="AE"))
    codes = {f.code for f in found}
    assert "ECCN_CONFLICT" in codes
    # 4A090 to AE after 2026-07-10: unknown (residual requirement), never "no licence"
    assert "LICENCE_UNKNOWN" in codes or "LICENCE_REQUIRED" in codes


def test_declared_4a090_counts_when_the_specs_cannot_decide(book: Rulebook, tmp_path: Path) -> None:
    item = {"kind": "gpu_server", "specs": {}, "declared": {"eccn": "4A090.a"}}
    found = _findings(book, _map(tmp_path, item, hq="CN"))  # headquarters rule: everywhere
    assert "LICENCE_REQUIRED" in {f.code for f in found}


def test_foreign_made_undecided_chip_gets_fdp_review_and_unknown_licence(
    book: Rulebook, tmp_path: Path
) -> None:
    item = {"kind": "accelerator card", "specs": {"form_factor": "PCIe"}}
    found = [
        f for f in _findings(book, _map(tmp_path, item, origin="TW")) if f.concerns.line is not None
    ]
    codes = {f.code for f in found}
    assert {"FDP_REVIEW", "LICENCE_UNKNOWN"} <= codes


def test_origin_regime_before_the_2025_annex_is_still_reported(
    book: Rulebook, tmp_path: Path
) -> None:
    item = {"kind": "rack", "specs": {}}
    deployment, _ = read_map(_map(tmp_path, item, origin="NL", dest="US"))
    found = plan(deployment, date(2024, 5, 1), book).all_findings()
    origin = [f for f in found if f.code == "ORIGIN_EXPORT_CONTROL"]
    assert origin and "2021/821" in origin[0].message
