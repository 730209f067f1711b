"""Licence determination: Country Groups with dated memberships, the headquarters rule, NAC and
ACA, the 2026 case-by-case band, the UAE's move to A:5, and unknown kept unknown."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from rackclear.export_control import determine_licence
from rackclear.rulebook import Rulebook

SPECS = {"tpp": 15832, "dram_bandwidth_gbps": 4800}


def lic(
    book: Rulebook,
    destination: str,
    when: date,
    hq: str | None = "US",
    eccn: str = "4A090.a",
    datacenter: bool = True,
):  # type: ignore[no-untyped-def]
    return determine_licence(book, eccn, destination, when, hq, SPECS, "3A090.a.1", datacenter)


def test_a5_and_a6_destinations_need_no_licence(book: Rulebook) -> None:
    for country in ("DE", "NL", "JP", "KR", "CA", "IN", "SG", "TW"):
        assert lic(book, country, date(2026, 11, 23)).licence_required is False, country


def test_china_needs_a_licence_with_case_by_case_review_from_2026(book: Rulebook) -> None:
    before = lic(book, "CN", date(2025, 6, 1))
    after = lic(book, "CN", date(2026, 1, 15))
    assert before.licence_required is after.licence_required is True
    assert before.policy and "presumption of denial" in before.policy
    assert after.policy and after.policy.startswith("case-by-case")


def test_headquarters_rule_reaches_every_destination(book: Rulebook) -> None:
    result = lic(book, "DE", date(2026, 11, 23), hq="CN")
    assert result.licence_required is True
    assert any(
        "742.6(a)(6)(iii)(A)" in s.text or "every destination" in s.text for s in result.steps
    )


def test_uae_d4_before_2026_07_10_and_unknown_after(book: Rulebook) -> None:
    assert lic(book, "AE", date(2026, 7, 9)).licence_required is True
    after = lic(book, "AE", date(2026, 7, 10))
    assert after.licence_required is None and "LICENCE_UNKNOWN" in {f.code for f in after.findings}


def test_unverified_membership_is_unknown_not_free(book: Rulebook) -> None:
    result = lic(book, "SA", date(2026, 11, 23))
    assert result.licence_required is None
    unplaced = lic(book, "MX", date(2026, 11, 23))
    assert unplaced.licence_required is None


def test_exceptions_exclude_datacenter_3a090a_items(book: Rulebook) -> None:
    result = lic(book, "AE", date(2026, 6, 1))
    assert {e["name"]: e["eligible"] for e in result.exceptions} == {"NAC": False, "ACA": False}
    consumer = determine_licence(
        book, "3A090.a", "AE", date(2026, 6, 1), None, SPECS, "3A090.a.1", False
    )
    assert {e["name"]: e["eligible"] for e in consumer.exceptions} == {"NAC": False, "ACA": True}


def test_ai_diffusion_is_recorded_as_rescinded(book: Rulebook) -> None:
    result = lic(book, "DE", date(2026, 11, 23))
    assert any("rescinded" in s.text for s in result.steps)


def test_licence_cli_contract() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "licence",
            "--eccn",
            "4A090.a",
            "--destination",
            "CN",
            "--date",
            "2026-11-23",
            "--spec",
            "tpp=15832",
            "--spec",
            "dram_bandwidth_gbps=4800",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(run.stdout)
    assert data["licence_required"] is True
    assert [e["name"] for e in data["exceptions"]] == ["NAC", "ACA"]
    assert {"name", "eligible", "conditions"} <= set(data["exceptions"][0])


def test_eccn_cli_contract() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "eccn",
            "--spec",
            "kind=gpu",
            "--spec",
            "dense_tops.fp8=660.8",
            "--date",
            "2026-11-23",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(run.stdout)
    assert (data["eccn"], data["paragraph"], data["tpp"]) == ("3A090.a", "3A090.a.1", "5286.4")
    assert {"performance_density", "steps", "findings"} <= set(data)


def _eligible(result) -> dict[str, bool | None]:  # type: ignore[no-untyped-def]
    return {e["name"]: e["eligible"] for e in result.exceptions}


def test_missing_headquarters_leaves_the_answer_unknown(book: Rulebook) -> None:
    # DE is A:5, but the worldwide headquarters rule (742.6(a)(6)(iii)(A)) is untested
    result = lic(book, "DE", date(2026, 11, 23), hq=None)
    assert result.licence_required is None
    assert {"LICENCE_HQ_NOT_TESTED", "LICENCE_UNKNOWN"} <= {f.code for f in result.findings}


def test_headquarters_without_recorded_memberships_is_unknown(book: Rulebook) -> None:
    result = lic(book, "DE", date(2026, 11, 23), hq="BR")
    assert result.licence_required is None
    assert any("not recorded" in s.text for s in result.steps)


def test_nac_aca_depend_on_the_paragraph_and_datacenter(book: Rulebook) -> None:
    when = date(2026, 6, 1)  # AE in D:4: licence required, ACA reachable

    def run(paragraph: str | None, datacenter: bool | None):  # type: ignore[no-untyped-def]
        return determine_licence(book, "4A090", "AE", when, "US", SPECS, paragraph, datacenter)

    assert _eligible(run("3A090.b.1", True)) == {"NAC": False, "ACA": True}
    assert _eligible(run("3A090.a.1", None)) == {"NAC": False, "ACA": None}
    assert _eligible(run("3A090.A.1", False)) == {"NAC": False, "ACA": True}
    assert _eligible(run("3A090.c", False)) == {"NAC": False, "ACA": None}
    assert _eligible(run(None, False)) == {"NAC": False, "ACA": None}


def test_exceptions_before_the_2024_split_are_unknown(book: Rulebook) -> None:
    result = lic(book, "AE", date(2024, 1, 15))
    assert result.licence_required is True and result.exceptions == []
    assert "LICENCE_EXCEPTIONS_UNKNOWN" in {f.code for f in result.findings}


def test_case_by_case_band_uses_the_computed_tpp_and_the_bandwidth_alias(book: Rulebook) -> None:
    # H200: TPP 15,832 (1,979 dense FP8 x 8), 4,800 GB/s HBM3e: below 21,000 and 6,500 GB/s
    specs = {"accelerator.dense_tops.fp8": 1979, "accelerator.dram_bandwidth_gbs": 4800}
    result = determine_licence(
        book,
        "4A090.a",
        "CN",
        date(2026, 11, 23),
        "CN",
        specs,
        "3A090.a.1",
        True,
        None,
        Decimal(15832),
    )
    assert result.policy and result.policy.startswith("case-by-case")


def test_bad_tpp_in_case_by_case_does_not_crash(book: Rulebook) -> None:
    result = determine_licence(
        book,
        "4A090.a",
        "CN",
        date(2026, 11, 23),
        "CN",
        {"tpp": "abc", "dram_bandwidth_gbps": "NaN"},
    )
    assert result.licence_required is True
    assert any("not both given" in s.text for s in result.steps)


def test_lead_time_is_marked_as_an_unverified_assumption(book: Rulebook) -> None:
    result = lic(book, "CN", date(2026, 11, 23))
    assert result.lead_time_days and result.lead_time_days["verified"] is False


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from rackclear.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_licence_cli_origin_outside_the_us_asks_for_fdp_review() -> None:
    run = _cli(
        "licence",
        "--eccn",
        "4A090.a",
        "--destination",
        "DE",
        "--end-user-hq",
        "US",
        "--origin",
        "TW",
        "--date",
        "2026-11-23",
        "--json",
    )
    data = json.loads(run.stdout)
    assert data["findings"][0]["code"] == "FDP_REVIEW"


@pytest.mark.parametrize("bad", ["datacenter=maybe"])
def test_licence_cli_rejects_a_non_boolean_datacenter(bad: str) -> None:
    run = _cli("licence", "--eccn", "4A090.a", "--destination", "DE", "--spec", bad)
    assert run.returncode == 2 and "expected true or false" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr
