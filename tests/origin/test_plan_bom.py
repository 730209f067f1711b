"""Origin from the bill of materials inside ``plan`` (issue 14, part 1 and the MPF of part 2):
one answer per line, used by the duty, the merchandise processing fee and the CUSMA block.

The rule applied is the real CUSMA rule for 8471.41 held in the cusma pack (Annex 4-B; HTSUS
GN 11 chapter 84 rule 201): "A change to a good of subheading 8471.41 from any other good within
that subheading or any other subheading, except from subheadings 8471.30 or 8471.49 through
8471.50." Both countries' MFN rate for 8471.41 is Free (CBSA tariff 2026 rev. 3: 8471.41.00 Free;
HTSUS 8471.41.0150 Free), so the claim saves no duty; in the US it still decides the MPF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rackclear import load_map, plan
from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.rulebook.registry import Rulebook

AS_OF = date(2026, 11, 23)
ASSEMBLED = {
    "sku": "EDGE-41",
    "description": "Edge inference appliance: CPU, memory, storage and I/O in one housing",
    "kind": "server",
    "manufacturer": "Northwind Integración",
    "model": "NWI-E41",
    "country_of_origin": "MX",
    "unit_value": "2500",
    "currency": "USD",
    "declared": {"hs": {"CA": "8471.41.00", "US": "8471.41.0150"}},
    "production": {"country": "MX", "operation": "assembly", "producer": "int-mx"},
    "bom": [
        {
            "material": "motherboard",
            "hs": "8473.30",
            "value": "900",
            "country": "TW",
            "originating": False,
        },
        {
            "material": "power supply",
            "hs": "8504.40",
            "value": "150",
            "country": "CN",
            "originating": False,
        },
        {
            "material": "steel chassis",
            "hs": "8473.30",
            "value": "120",
            "country": "MX",
            "originating": True,
            "supplier_certification": "Aceros del Norte blanket certification 2026",
        },
    ],
}
TESTED = {
    **ASSEMBLED,
    "sku": "EDGE-41-TW",
    "manufacturer": "Formosa Server Manufacturing",
    "model": "FSM-E41",
    "country_of_origin": "TW",
    "production": {
        "country": "MX",
        "operation": "testing",
        "description": "burn-in and firmware configuration",
    },
    "bom": [
        {
            "material": "complete appliance",
            "hs": "8471.41",
            "value": "2300",
            "country": "TW",
            "originating": False,
        }
    ],
}
SWITCH = {
    "sku": "SW-TESTED",
    "description": "Ethernet switch, 64 x 400G ports, tested and configured in Mexico",
    "kind": "switch",
    "manufacturer": "Formosa Server Manufacturing",
    "model": "FSM-S64",
    "country_of_origin": "TW",
    "unit_value": "30000",
    "currency": "USD",
    "declared": {"hs": {"CA": "8517.62"}},
    "production": {"country": "MX", "operation": "configuration"},
    "bom": [
        {
            "material": "complete switch",
            "hs": "8517.62",
            "value": "29000",
            "country": "TW",
            "originating": False,
        }
    ],
}
UNKNOWN = {
    **ASSEMBLED,
    "sku": "EDGE-41-X",
    "bom": [
        *ASSEMBLED["bom"],
        {"material": "compute module", "hs": "8471.50", "value": "700", "originating": None},
    ],
}
CABLE = "CBL-DAC-400G"


def _ship(sid: str, site: str, skus: list[str], origin: str = "MX") -> dict[str, Any]:
    return {
        "id": sid,
        "origin_country": origin,
        "origin_place": "Ciudad Juárez, Chihuahua"
        if origin == "MX"
        else "Yokohama distribution centre",
        "site": site,
        "mode": "road",
        "incoterm": "DAP",
        "ship_date": "2027-02-01",
        "exporter": "int-mx",
        "consignee": "nw-us" if site == "us-ash1" else "nw-ca",
        "end_user": "nw-parent",
        "lines": [
            {
                "sku": s,
                "quantity": 10,
                **(
                    {"preference": "USMCA" if site == "us-ash1" else "CUSMA", "origin_proof": True}
                    if s != CABLE
                    else {}
                ),
            }
            for s in skus
        ],
    }


@pytest.fixture(scope="module")
def dossier(book: Rulebook, example_map: Path) -> Dossier:
    base, _ = load_map(example_map)
    data = base.model_dump(mode="json")
    data["catalog"] += [ASSEMBLED, TESTED, UNKNOWN, SWITCH]
    data["shipments"] = [
        _ship("US-A", "us-ash1", ["EDGE-41", CABLE]),
        _ship("US-T", "us-ash1", ["EDGE-41-TW"]),
        _ship("CA-A", "ca-mtl1", ["EDGE-41"]),
        _ship("CA-T", "ca-mtl1", ["EDGE-41-TW"]),
        _ship("CA-X", "ca-mtl1", ["EDGE-41-X"], "JP"),
        _ship("CA-S", "ca-mtl1", ["SW-TESTED"]),
    ]
    data.pop("lines_file", None)
    return plan(Deployment.model_validate(data), AS_OF, book)


def _origin(dossier: Dossier, shipment: str) -> dict[str, Any]:
    assert dossier.north_america is not None
    return next(c for c in dossier.north_america["cusma_origin"] if c["shipment"] == shipment)


def _codes(dossier: Dossier, shipment: str) -> dict[str, str]:
    ship = next(s for s in dossier.shipments if s.shipment == shipment)
    return {f.code: f.message for f in ship.entry.findings}


def test_assembly_in_mexico_from_taiwanese_boards_originates_by_tariff_shift(
    dossier: Dossier,
) -> None:
    for sid in ("US-A", "CA-A"):
        found = _origin(dossier, sid)
        assert found["qualifies"] is True and found["rule_applied"] == "tariff_shift", sid
        assert found["preference_applied"] is True and found["duty_saved"] == "0.00"
        codes = _codes(dossier, sid)
        assert "PREFERENCE_NOT_ELIGIBLE" not in codes and "PREFERENCE_SAVES_NOTHING" in codes
    assert "MXT" in _codes(dossier, "CA-A")["PREFERENCE_APPLIED"]  # produced in Mexico


def test_configuration_in_mexico_is_not_production(dossier: Dossier) -> None:
    # 8517.62 is not in Schedule 2 of SOR/2020-155 (only its parts, 8517.70, are)
    found = _origin(dossier, "CA-S")
    assert found["qualifies"] is False and found["rule_applied"] == "no production in the territory"
    codes = _codes(dossier, "CA-S")
    assert (
        "its only operation in MX was configuration, which is not production"
        in codes["PREFERENCE_NOT_ELIGIBLE"]
    )
    assert "PREFERENCE_APPLIED" not in codes
    # one answer for the line: no "needs data" or "confirm the rule" next to the refusal
    assert "ORIGIN_NEEDS_DATA" not in codes and "ORIGIN_RULE_UNVERIFIED" not in codes


def test_into_canada_a_tested_computer_is_deemed_originating_by_schedule_2(
    dossier: Dossier,
) -> None:
    # SOR/2020-155 s. 3(7): "A good is originating in the territory of a CUSMA country if the
    # good is referred to in Schedule 2 and is imported from the territory of a CUSMA country."
    found = _origin(dossier, "CA-T")
    assert found["qualifies"] is True and found["rule_applied"] == "deemed_originating_ca"
    assert "SOR/2020-155" in found["basis"]
    codes = _codes(dossier, "CA-T")
    assert "PREFERENCE_APPLIED" in codes and "PREFERENCE_NOT_ELIGIBLE" not in codes


def test_into_the_us_the_same_goods_are_deemed_originating_but_pay_the_mpf(
    dossier: Dossier,
) -> None:
    found = _origin(dossier, "US-T")
    assert found["qualifies"] is True and found["rule_applied"] == "deemed_originating_us"
    codes = _codes(dossier, "US-T")
    assert "PREFERENCE_NOT_ELIGIBLE" not in codes and "PREFERENCE_APPLIED" in codes
    ship = next(s for s in dossier.shipments if s.shipment == "US-T")
    mpf = next(c for c in ship.entry.entry_charges if c.id == "mpf")
    # Taiwanese origin for marking: deemed originating, but not exempt from the fee
    assert mpf.amount is not None and mpf.amount.amount > 0
    assert any("its origin for marking is TW, not CA or MX" in st.text for st in mpf.steps)


def test_the_mpf_leaves_out_originating_goods_marked_as_mexican(dossier: Dossier) -> None:
    ship = next(s for s in dossier.shipments if s.shipment == "US-A")
    mpf = next(c for c in ship.entry.entry_charges if c.id == "mpf")
    _edge, cable = ship.entry.lines
    assert any(st.result == "exempt" and "EDGE-41" in st.text for st in mpf.steps)
    assert cable.customs_value is not None and mpf.base is not None
    assert mpf.base.amount == cable.customs_value.amount  # the appliance's value is left out
    rate = Decimal("0.3464")  # 19 CFR 24.23(b)(1), FY2026 (90 FR 34665)
    raw = (cable.customs_value.amount * rate / 100).quantize(Decimal("0.01"))
    expected = min(max(raw, Decimal("33.58")), Decimal("651.50"))
    assert mpf.amount is not None and mpf.amount.amount == expected


def test_a_material_of_unknown_origin_that_decides_the_answer_is_named(dossier: Dossier) -> None:
    found = _origin(dossier, "CA-X")
    assert found["qualifies"] is None
    assert any("compute module (8471.50" in m for m in found["missing"])
    assert "compute module" in _codes(dossier, "CA-X")["ORIGIN_NEEDS_DATA"]
