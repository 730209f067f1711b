"""Classifier behaviour on the product families of the issue, with the legal basis each rests on."""

from __future__ import annotations

from datetime import date

import pytest

from rackclear.classification import classify
from rackclear.rulebook import Rulebook

AS_OF = date(2026, 11, 23)


def codes(result: object) -> set[str]:
    return {f.code for f in result.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "IT equipment",
        "server parts",
        "computer parts",
        "electronic components",
        "hardware",
        "accessories",
        "Network equipment",
        "Misc. spare parts",
        "GPU server parts",
        "data center equipment",
    ],
)
def test_vague_descriptions_are_refused(book: Rulebook, text: str) -> None:
    result = classify(book, text, None, {}, ("CA",), AS_OF)
    assert result.hs6 is None and result.national == {}
    assert "VAGUE_DESCRIPTION" in codes(result)
    assert result.findings[0].severity.value == "blocker"


def test_card_for_servers_is_a_part_and_server_with_cards_is_a_machine(book: Rulebook) -> None:
    card = classify(
        book,
        "GPU accelerator card, PCIe Gen5, 141 GB HBM3e, for installation in servers",
        None,
        {},
        ("US",),
        AS_OF,
    )
    server = classify(
        book,
        "Rack server with 8 GPU accelerator cards, 2 x CPU, 2 TB DDR5",
        None,
        {},
        ("US",),
        AS_OF,
    )
    assert (card.hs6, card.code_for("US")) == ("8473.30", "8473.30.1180")
    assert (server.hs6, server.code_for("US")) == ("8471.50", "8471.50.0150")
    assert any("Section XVI Note 2(b)" in s.text for s in card.steps)
    assert any(a["hs6"] == "8471.80" for a in card.alternatives)


def test_ssd_is_classified_differently_in_the_us_and_the_eu(book: Rulebook) -> None:
    result = classify(
        book, "NVMe solid state drive, U.2, 7.68 TB", None, {}, ("US", "DE", "NL"), AS_OF
    )
    assert result.code_for("US") == "8523.51.0000"
    assert result.hs6_by_country == {"US": "8523.51", "DE": "8471.70", "NL": "8471.70"}
    assert "JURISDICTION_VIEW" in codes(result)


def test_wifi_adapter_suffix_moved_in_2021(book: Rulebook) -> None:
    # CBP HQ H316155 (revoking NY N301141): from 2021-10-17 Wi-Fi adapters are 8517.62.0090, not .0020
    before = classify(book, "Wi-Fi network adapter, PCIe card", None, {}, ("US",), date(2021, 6, 1))
    after = classify(book, "Wi-Fi network adapter, PCIe card", None, {}, ("US",), date(2022, 1, 1))
    assert before.code_for("US") == "8517.62.0020"
    assert after.code_for("US") == "8517.62.0090"


def test_ups_takes_the_last_national_line_under_gri_3c(book: Rulebook) -> None:
    result = classify(
        book,
        "Uninterruptible power supply, 6 kVA, double conversion, rack-mount, for servers and telecom",
        None,
        {},
        ("US",),
        AS_OF,
    )
    assert result.hs6 == "8504.40" and result.code_for("US") == "8504.40.8500"
    assert any("GRI 3(c)" in s.text for s in result.steps)


def test_power_supply_line_depends_on_specs(book: Rulebook) -> None:
    given = classify(
        book,
        "Server power supply unit, 2700 W, hot-swap",
        None,
        {"internal": "true", "watts": 2700},
        ("US",),
        AS_OF,
    )
    assert given.code_for("US") == "8504.40.6018"
    missing = classify(book, "Server power supply unit, hot-swap", None, {}, ("US",), AS_OF)
    assert "NATIONAL_LINE_NEEDS_SPEC" in codes(missing)
    assert missing.national["US"].candidates and not missing.national["US"].complete


def test_cooling_machines_stay_out_of_8473(book: Rulebook) -> None:
    cdu = classify(
        book,
        "Coolant distribution unit, 1.2 MW, liquid-to-liquid, with pumps and plate heat exchanger",
        None,
        {},
        ("US",),
        AS_OF,
    )
    plate = classify(
        book, "Cold plate for GPU direct liquid cooling, copper", None, {}, ("US",), AS_OF
    )
    fan = classify(book, "Fan tray with 6 hot-swap fans for 1U switch", None, {}, ("US",), AS_OF)
    assert cdu.hs6 == "8419.89" and plate.hs6 == "8419.50" and fan.hs6 == "8414.59"
    assert any("Section XVI Note 2(a)" in s.text for s in cdu.steps)
    assert any(a["hs6"] == "8473.30" for a in cdu.alternatives)


def test_dac_cable_shows_both_sources(book: Rulebook) -> None:
    result = classify(
        book,
        "Direct attach copper cable, 400G QSFP112, 2 m, passive",
        None,
        {},
        ("US", "DE"),
        AS_OF,
    )
    assert result.hs6_by_country == {"US": "8517.62", "DE": "8544.42"}
    assert result.confidence == "medium"
    assert any(a["hs6"] == "8517.62" for a in result.alternatives)


def test_switched_and_basic_pdus(book: Rulebook) -> None:
    switched = classify(
        book, "Switched rack PDU, 3-phase, 48 outlets, network managed", None, {}, ("US",), AS_OF
    )
    basic = classify(book, "Basic rack PDU, 24 C13 outlets, 1U", None, {}, ("US",), AS_OF)
    assert (switched.hs6, switched.code_for("US")) == ("8537.10", "8537.10.9170")
    assert (basic.hs6, basic.code_for("US")) == ("8536.69", "8536.69.8000")


@pytest.mark.parametrize(
    ("text", "hs6"),
    [
        ("Ethernet switch, 64 x 800GbE OSFP, 2U", "8517.62"),
        ("Optical transceiver module, 800G OSFP DR8, 500 m single-mode", "8517.62"),
        ("ConnectX-7 network interface card, 400 Gb/s", "8517.62"),
        ("BlueField-3 DPU, data processing unit, 2 x 200 GbE", "8517.62"),
        ("Intel Xeon 6 processor, 64 cores", "8542.31"),
        ("DDR5 RDIMM memory module, 64 GB, 6400 MT/s", "8473.30"),
        ("Hard disk drive, 3.5 inch, 24 TB, SATA", "8471.70"),
        ("All-flash storage array, 2U, 24 NVMe drives, dual controllers", "8471.70"),
        ("KVM switch, 16 ports, rack-mount", "8471.80"),
        ("Rack console drawer, 17-inch LCD with keyboard", "8471.60"),
        ("Empty server rack cabinet, steel, 48U", "9403.20"),
        ("Computer room air conditioner, 100 kW, DX", "8415.82"),
        ("Rear door heat exchanger, 50 kW, for 42U racks", "8419.50"),
        ("Server chassis, 2U, sheet metal, without motherboard", "8473.30"),
        ("Barebone server, 1U, with motherboard, without CPU and memory", "8471.50"),
        ("OM4 fibre patch cord, LC-LC, 3 m", "8544.70"),
    ],
)
def test_families(book: Rulebook, text: str, hs6: str) -> None:
    assert classify(book, text, None, {}, (), AS_OF).hs6 == hs6


def test_declared_code_is_evidence_checked_not_overridden(book: Rulebook) -> None:
    result = classify(
        book,
        "Rack server, 2 x CPU, 1 TB RAM",
        None,
        {},
        ("US",),
        AS_OF,
        declared={"US": "8471.80.1000"},
    )
    assert result.code_for("US") == "8471.80.1000"  # the declared code is kept
    assert result.evidence == "declared" and "DECLARED_CODE_DISAGREES" in codes(result)
    unknown = classify(
        book, "Rack server, 2 x CPU", None, {}, ("US",), AS_OF, declared={"US": "8471.50.0199"}
    )
    assert "DECLARED_CODE_NOT_IN_TARIFF" in codes(unknown)


def test_advance_ruling_is_reported(book: Rulebook) -> None:
    result = classify(
        book,
        "Rack server, 2 x CPU",
        None,
        {},
        ("CA",),
        AS_OF,
        declared={"CA": "8471.50.00.90"},
        advance_ruling="CBSA AR-2025-001234",
    )
    assert result.evidence == "advance_ruling" and "ADVANCE_RULING_USED" in codes(result)
    assert "DECLARED_CODE_DISAGREES" not in codes(result)


def test_unknown_item_gives_suggestions_only(book: Rulebook) -> None:
    result = classify(book, "Frobnicating widget assembly, model FW-3000", None, {}, ("US",), AS_OF)
    assert result.hs6 is None and result.evidence == "suggestions"
    assert "NO_RULE_MATCHED" in codes(result)
    assert any(a["source"] == "search" for a in result.alternatives)


def test_extend_nationally_where_the_pack_knows_only_six_digits(book: Rulebook) -> None:
    result = classify(book, "Rack server, 2 x CPU", None, {}, ("IN",), AS_OF)
    assert result.national["IN"].code == "847150" and not result.national["IN"].complete
    assert "EXTEND_NATIONALLY" in codes(result)


def test_unverified_national_mapping_is_not_used(book: Rulebook) -> None:
    result = classify(book, "DDR5 RDIMM memory module, 64 GB", None, {}, ("JP",), AS_OF)
    line = result.national["JP"]
    assert line.formatted == "8473.30" and not line.complete and line.candidates == ["8473.30.011"]
    assert "NATIONAL_MAPPING_UNVERIFIED" in codes(result)


def test_declared_code_is_checked_even_when_the_description_is_vague(book: Rulebook) -> None:
    result = classify(
        book, "server parts", None, {}, ("US",), AS_OF, declared={"US": "8473.30.5100"}
    )
    assert result.hs6 is None and result.code_for("US") == "8473.30.5100"
    assert {"VAGUE_DESCRIPTION", "DECLARED_CODE_UNCHECKED"} <= codes(result)


def test_destination_without_a_pack_is_reported(book: Rulebook) -> None:
    result = classify(book, "Rack server, 2 x CPU", None, {}, ("BR",), AS_OF)
    assert "NO_JURISDICTION_PACK" in codes(result) and result.national["BR"].code is None


def test_as_of_is_required(book: Rulebook) -> None:
    with pytest.raises(ValueError, match="as_of"):
        classify(book, "Rack server", None, {}, ())
