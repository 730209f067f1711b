"""The border-requirement engine on a fictional pack (tests/fixtures/border_pack): conditions,
exclusions, versions in force, unverified rules as "confirm", unknown never "none", importer
eligibility and lane documents, and the programme matrix in ``plan``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from rackclear.border.requirements import (
    family_for_kind,
    has_requirements,
    importer_rules,
    requirements_for,
)
from rackclear.io.map_reader import read_map
from rackclear.planning import plan
from rackclear.rulebook import Rulebook, load_rulebook

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "border_pack"
NOW = date(2026, 11, 23)


@pytest.fixture(scope="module")
def zz() -> Rulebook:
    return load_rulebook((str(FIXTURE),))


def _status(book: Rulebook, family: str, specs: dict[str, Any], when: date = NOW) -> dict[str, str]:
    return {c.spec.id: c.status for c in requirements_for(book, "BV", family, specs, when)}


def test_kind_maps_to_its_classification_family(zz: Rulebook) -> None:
    assert family_for_kind(zz, "GPU Server") == "server"
    assert family_for_kind(zz, "ups") == "ups"
    assert family_for_kind(zz, "toaster") is None


def test_each_scheme_is_judged_on_the_specs(zz: Rulebook) -> None:
    got = _status(zz, "server", {"radio": False, "sockets": 2, "server_type": "standard"})
    assert got == {
        "zz-emc-mark": "required",
        "zz-radio-approval": "not_applicable",
        "zz-server-energy": "required",
        "zz-safety-scheme": "confirm",
        "zz-voluntary-mark": "voluntary",
    }


def test_a_missing_spec_is_unknown_not_not_required(zz: Rulebook) -> None:
    assert _status(zz, "network_switch", {})["zz-radio-approval"] == "unknown"


def test_exclusions_apply_when_their_condition_holds(zz: Rulebook) -> None:
    assert _status(zz, "server", {"sockets": 8})["zz-server-energy"] == "excluded"
    assert _status(zz, "server", {"server_type": "large"})["zz-server-energy"] == "excluded"
    checks = requirements_for(zz, "BV", "server", {"sockets": 2}, NOW)
    energy = next(c for c in checks if c.spec.id == "zz-server-energy")
    # server_type not given and 'appliance' not checkable: both stay open, the rule applies
    assert energy.status == "required"
    assert {e.id for e in energy.open_exclusions} == {"large", "appliance"}


def test_the_version_in_force_on_the_date_is_used(zz: Rulebook) -> None:
    old = requirements_for(zz, "BV", "server", {}, date(2022, 6, 1))
    new = requirements_for(zz, "BV", "server", {}, NOW)
    assert next(c for c in old if c.spec.id == "zz-emc-mark").spec.lead_time_days == (10, 20)
    assert next(c for c in new if c.spec.id == "zz-emc-mark").spec.lead_time_days == (30, 60)
    assert "zz-server-energy" not in {
        c.spec.id for c in requirements_for(zz, "BV", "server", {}, date(2019, 1, 1))
    }


def test_unverified_rule_says_confirm_with_the_authority(zz: Rulebook) -> None:
    checks = requirements_for(zz, "BV", "ups", {}, NOW)
    safety = next(c for c in checks if c.spec.id == "zz-safety-scheme").to_dict()
    assert safety["status"] == "confirm" and safety["verified"] is False
    assert safety["remedy"].startswith("Confirm with the authority (ZZ Standards Bureau)")


def test_a_country_without_rules_is_not_covered(zz: Rulebook) -> None:
    assert has_requirements(zz, "BV") and not has_requirements(zz, "AQ")
    assert importer_rules(zz, "AQ", NOW).pack is None


def _map(
    tmp_path: Path,
    importer_country: str,
    registrations: dict[str, str],
    conformity: dict[str, Any],
    free_zone: bool = False,
    ship: str = "2027-03-01",
) -> Path:
    data = {
        "programme": "border test",
        "importers_of_record": {"BV": "imp"},
        "parties": [
            {
                "id": "imp",
                "name": "Importer Co",
                "country": importer_country,
                "role": "importer",
                "registrations": registrations,
            }
        ],
        "catalog": [
            {
                "sku": "SRV",
                "description": "Rack server, 2U, 2 x CPUs, 1 TB DDR5",
                "kind": "server",
                "manufacturer": "M",
                "model": "m",
                "country_of_origin": "US",
                "unit_value": 50000,
                "currency": "USD",
                "specs": {
                    "radio": True,
                    "sockets": 2,
                    "server_type": "standard",
                    "lithium_battery": False,
                },
                "conformity": conformity,
            }
        ],
        "sites": [
            {
                "id": "s",
                "country": "BV",
                "city": "Test",
                "go_live": "2027-06-01",
                "free_zone": free_zone,
            }
        ],
        "shipments": [
            {
                "id": "S1",
                "origin_country": "US",
                "origin_place": "Port",
                "site": "s",
                "mode": "air",
                "incoterm": "DAP",
                "ship_date": ship,
                "lines": [{"sku": "SRV", "quantity": 4}],
            }
        ],
    }
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _plan(zz: Rulebook, path: Path) -> Any:
    deployment, _ = read_map(path)
    return plan(deployment, NOW, zz)


def test_matrix_rows_statuses_and_dates(zz: Rulebook, tmp_path: Path) -> None:
    dossier = _plan(
        zz,
        _map(tmp_path, "BV", {"zz_trader": "ZZ-123"}, {"zz-emc-mark": {"reference": "EMC-REG-1"}}),
    )
    rows = {r["requirement"]: r for r in dossier.border["matrix"]}
    assert rows["zz-emc-mark"]["status"] == "satisfied"
    radio = rows["zz-radio-approval"]
    assert radio["status"] == "needed" and radio["due"] == "2027-03-01"
    assert radio["start_by"] == "2027-01-20"  # 2027-03-01 - 40 days
    # needed before clearance: due on the planned arrival of the shipment's timeline (issue 13)
    arrival = dossier.shipments[0].timeline.arrive
    assert arrival > date(2027, 3, 1)
    assert rows["zz-server-energy"]["due"] == arrival.isoformat()
    assert "planned arrival" in rows["zz-server-energy"]["due_basis"]
    assert rows["zz-safety-scheme"]["status"] == "confirm"
    assert rows["zz-trader-number"]["status"] == "satisfied"
    assert "zz-representative" not in rows  # a resident importer needs none
    codes = {(f.code, f.concerns.rule) for f in dossier.findings}
    assert ("CONFORMITY_NEEDED", "zz-radio-approval") in codes
    assert ("CONFORMITY_CONFIRM", "zz-safety-scheme") in codes
    bv = next(d for d in dossier.destinations if d.country == "BV")
    assert bv.findings["blocker"] >= 2


def test_non_resident_importer_needs_its_representative(zz: Rulebook, tmp_path: Path) -> None:
    dossier = _plan(zz, _map(tmp_path, "US", {}, {}))
    rows = {r["requirement"]: r for r in dossier.border["matrix"]}
    assert rows["non-resident-importer"]["status"] == "needed"
    assert rows["zz-representative"]["status"] == "needed"
    codes = {f.code for f in dossier.findings}
    assert {"IOR_NOT_ELIGIBLE", "IOR_REGISTRATION_MISSING"} <= codes
    fixed = _plan(zz, _map(tmp_path, "US", {"zz_representative": "Rep BV", "zz_trader": "1"}, {}))
    rows = {r["requirement"]: r for r in fixed.border["matrix"]}
    assert rows["non-resident-importer"]["status"] == "satisfied"


def test_free_zone_rule_and_unverified_importer_rule(zz: Rulebook, tmp_path: Path) -> None:
    dossier = _plan(zz, _map(tmp_path, "BV", {"zz_trader": "1"}, {}, free_zone=True))
    rows = {r["requirement"]: r for r in dossier.border["matrix"]}
    assert rows["zz-free-zone-licence"]["status"] == "confirm"
    assert "IOR_CONFIRM" in {f.code for f in dossier.findings}


def test_late_requirement_is_a_blocker(zz: Rulebook, tmp_path: Path) -> None:
    dossier = _plan(zz, _map(tmp_path, "BV", {"zz_trader": "1"}, {}, ship="2026-12-01"))
    late = [f for f in dossier.findings if f.code == "REQUIREMENT_LATE"]
    assert any(f.concerns.rule == "zz-emc-mark" for f in late)  # 60 days before 2026-12-01


def test_lane_documents(zz: Rulebook, tmp_path: Path) -> None:
    dossier = _plan(zz, _map(tmp_path, "BV", {"zz_trader": "1"}, {}))
    docs = {d["id"]: d for d in dossier.shipments[0].documents}
    assert {"commercial-invoice", "zz-import-licence-copy", "technical-specification-sheet"} <= set(
        docs
    )
    assert "lithium-battery-test-summary" not in docs  # lithium_battery: false
    assert "export-licence-record" not in docs
    assert docs["certificate:zz-radio-approval"]["needed"] is True
