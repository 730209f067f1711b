"""ECCN determination with real chips and their public figures (FACTS.md section i), the
thresholds' boundaries, Note 2 and the rule versions in time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from rackclear.export_control import determine_eccn
from rackclear.rulebook import Rulebook

NOW = date(2026, 11, 23)


def eccn(book: Rulebook, specs: dict[str, Any], when: date = NOW) -> Any:
    return determine_eccn(book, specs, when)


def test_rtx_4090_tpp_from_dense_fp8(book: Rulebook) -> None:
    # 660.8 dense FP8 TFLOPS x 8 = TPP 5,286 (published); consumer card, but TPP >= 4,800: 3A090.a
    result = eccn(book, {"kind": "gpu", "dense_tops.fp8": "660.8", "datacenter": "false"})
    assert result.tpp == Decimal("5286.4")
    assert (result.eccn, result.paragraph) == ("3A090.a", "3A090.a.1")


def test_rtx_4090d_is_outside_by_note_2(book: Rulebook) -> None:
    result = eccn(book, {"kind": "gpu", "tpp": 4707, "datacenter": "false"})
    assert result.eccn is None and any("Note 2" in s.text for s in result.steps)
    # outside 3A090: 3A991 or 5A992.c by the pack's reading, both AT-only, to confirm
    assert {f.code for f in result.findings} == {"ECCN_CONFIRM"}
    assert result.candidates == ["3A991", "5A992.c"]


def test_h100_tpp_and_performance_density(book: Rulebook) -> None:
    result = eccn(
        book,
        {
            "kind": "gpu",
            "dense_tops.fp8": 1979,
            "dense_tops.fp16": "989.5",
            "die_area_mm2": 814,
            "datacenter": True,
        },
    )
    assert result.tpp == Decimal(15832) and result.performance_density == Decimal("19.450")
    assert result.eccn == "3A090.a"


def test_highest_precision_counts(book: Rulebook) -> None:
    # Gaudi 3: 1,835 dense TFLOPS at both FP8 and BF16: BF16 gives the higher TPP (29,360)
    result = eccn(book, {"kind": "accelerator", "dense_tops.fp8": 1835, "dense_tops.bf16": 1835})
    assert result.tpp == Decimal(29360)


def test_bis_example_int8_and_fp16_both_give_4800(book: Rulebook) -> None:
    for specs in ({"dense_tops.int8": 600}, {"dense_tops.fp16": 300}):
        assert eccn(book, {"kind": "gpu", **specs}).tpp == Decimal(4800)


def test_a800_outside_in_mid_2023_inside_after_2023_11_17(book: Rulebook) -> None:
    specs = {
        "kind": "gpu",
        "dense_tops.int8": 624,
        "dense_tops.fp16": 312,
        "interconnect_gbps": 400,
        "datacenter": True,
    }
    assert (
        eccn(book, specs, date(2023, 6, 1)).eccn is None
    )  # 87 FR 62186 also required >= 600 GB/s interconnect
    assert eccn(book, specs, date(2023, 11, 17)).eccn == "3A090.a"


@pytest.mark.parametrize(
    ("tpp", "pd", "expected"),
    [
        (4800, None, "3A090.a.1"),
        (4799, "5.92", "3A090.a.2"),
        (1600, "5.92", "3A090.a.2"),
        (1599, "5.92", None),
        (2400, "1.6", "3A090.b.1"),
        (2399, "3.2", "3A090.b.2"),
        (2399, "3.19", None),
        (4799, "5.91", "3A090.b.1"),
    ],
)
def test_threshold_boundaries(
    book: Rulebook, tpp: int, pd: str | None, expected: str | None
) -> None:
    specs: dict[str, Any] = {"kind": "gpu", "tpp": tpp, "datacenter": True}
    if pd is not None:
        specs["die_area_mm2"] = str(Decimal(tpp) / Decimal(pd))
    assert eccn(book, specs).paragraph == expected


def test_missing_die_area_is_a_finding_not_a_guess(book: Rulebook) -> None:
    result = eccn(book, {"kind": "gpu", "tpp": 3000, "datacenter": True})
    assert result.eccn is None
    assert "ECCN_DATA_NEEDED" in {f.code for f in result.findings}
    assert "die area" in result.findings[0].remedy


def test_sparse_figures_are_ignored(book: Rulebook) -> None:
    result = eccn(book, {"kind": "gpu", "sparse_tops.fp8": 3958, "dense_tops.fp8": 1979})
    assert result.tpp == Decimal(15832) and "SPARSE_FIGURES_IGNORED" in {
        f.code for f in result.findings
    }


def test_server_takes_its_accelerators_paragraph_in_4a090(book: Rulebook) -> None:
    result = eccn(
        book,
        {
            "kind": "gpu_server",
            "accelerator_count": 8,
            "accelerator.dense_tops.fp8": 1979,
            "accelerator.datacenter": True,
        },
    )
    assert (result.eccn, result.paragraph) == ("4A090.a", "3A090.a.1")


def test_hbm_paragraph_only_from_december_2024(book: Rulebook) -> None:
    specs = {"kind": "hbm", "hbm_bandwidth_density": "2.5"}
    assert eccn(book, specs, date(2024, 12, 2)).eccn == "3A090.c"
    assert eccn(book, specs, date(2024, 11, 1)).eccn is None


def test_network_gear_is_5a002_only_when_its_specs_say_encryption_and_not_mass_market(
    book: Rulebook,
) -> None:
    switch = eccn(book, {"kind": "switch", "encryption": True, "mass_market": False})
    assert switch.eccn == "5A002.a" and "ENC_CLASSIFICATION_REQUEST" in {
        f.code for f in switch.findings
    }
    nic = eccn(book, {"kind": "nic", "encryption": "yes", "mass_market": True})
    assert nic.eccn == "5A992.c"
    plain = eccn(book, {"kind": "switch", "encryption": "no"})
    assert plain.eccn is None and plain.candidates == ["5A991", "EAR99"]
    assert "ENC_CLASSIFICATION_REQUEST" not in {f.code for f in plain.findings}


def test_a_transceiver_without_encryption_facts_asks_for_them_and_gets_no_5a002(
    book: Rulebook,
) -> None:
    # the 400G SR4 of the issue: its specs say nothing of encryption
    result = eccn(book, {"kind": "optical_transceiver", "speed_gbps": 400})
    assert result.eccn is None
    assert result.candidates == ["5A991", "EAR99", "5A992.c", "5A002.a"]
    (request,) = [f for f in result.findings if f.code == "ECCN_DATA_NEEDED"]
    assert request.severity.value == "warning" and "encryption" in request.message
    assert "specs.encryption" in request.remedy and request.citations
    assert "ENC_CLASSIFICATION_REQUEST" not in {f.code for f in result.findings}


@pytest.mark.parametrize("kind", ["cable", "dac_cable", "cdu", "power_supply", "pdu", "rack"])
def test_passive_and_facility_hardware_is_ear99_with_its_reasoning_cited(
    book: Rulebook, kind: str
) -> None:
    result = eccn(book, {"kind": kind})
    assert result.eccn == "EAR99" and result.grade == "secondary"
    reasoning = [s for s in result.steps if s.result == "EAR99"]
    assert reasoning and reasoning[0].citation is not None
    assert "no" in reasoning[0].text.lower() and "EAR99" in reasoning[0].text
    assert "ECCN_CONFIRM" in {f.code for f in result.findings}


def test_stated_tpp_is_cross_checked_and_the_higher_decides(book: Rulebook) -> None:
    # H100 SXM: 1,979 dense FP8 TFLOPS x 8 = 15,832; a stated 10,000 understates it
    result = eccn(book, {"kind": "gpu", "tpp": 10000, "dense_tops.fp8": 1979})
    assert result.tpp == Decimal(15832) and "TPP_MISMATCH" in {f.code for f in result.findings}


def test_contested_tpp_never_takes_note_2(book: Rulebook) -> None:
    # stated 4,000 (< 4,800) with datacenter=false would fall out by Note 2; computed from
    # RTX 4090 dense FP8 (660.8 x 8 = 5,286.4) it does not: the higher decides, 3A090.a
    result = eccn(
        book, {"kind": "gpu", "tpp": 4000, "dense_tops.fp8": "660.8", "datacenter": "false"}
    )
    assert result.tpp_contested and result.eccn == "3A090.a"
    assert any("Note 2" in s.text and "contested" in s.text for s in result.steps)


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "-5", "0"])
def test_unusable_stated_tpp_is_reported_not_used(book: Rulebook, bad: str) -> None:
    result = eccn(book, {"kind": "gpu", "tpp": bad, "datacenter": "true"})
    assert result.tpp is None and result.eccn is None
    codes = {f.code for f in result.findings}
    assert {"ECCN_SPEC_INVALID", "ECCN_DATA_NEEDED"} <= codes


def test_datacenter_that_is_not_boolean_is_unknown_and_reported(book: Rulebook) -> None:
    result = eccn(book, {"kind": "gpu", "tpp": 4707, "datacenter": "maybe"})
    assert result.eccn is None
    codes = [f.code for f in result.findings]
    assert "ECCN_SPEC_INVALID" in codes and "ECCN_DATA_NEEDED" in codes


@pytest.mark.parametrize("kind", ["GPU Server", "gpu-server", " gpu_server "])
def test_kind_is_normalised(book: Rulebook, kind: str) -> None:
    result = eccn(book, {"kind": kind, "accelerator.dense_tops.fp8": 1979})
    assert result.eccn == "4A090.a"


def test_unknown_kind_with_performance_figures_is_still_evaluated(book: Rulebook) -> None:
    assert eccn(book, {"kind": "widget", "dense_tops.fp8": 1979}).eccn == "3A090.a"
    assert eccn(book, {"kind": "appliance", "accelerator.tpp": 15832}).eccn == "4A090.a"


def test_before_october_2022_3a090_is_not_yet_in_force(book: Rulebook) -> None:
    result = eccn(book, {"kind": "gpu", "dense_tops.fp8": 1979}, date(2022, 6, 1))
    assert result.eccn is None
    assert any("not yet in force" in f.message for f in result.findings)


def test_declared_eccn_cannot_lower_the_spec_result(book: Rulebook) -> None:
    result = determine_eccn(book, {"kind": "gpu", "dense_tops.fp8": 1979}, NOW, "EAR99")
    assert result.eccn == "3A090.a"
    assert "ECCN_CONFLICT" in {f.code for f in result.findings}
