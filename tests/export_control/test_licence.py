"""Licence determination: Country Groups with dated memberships, the headquarters rule, NAC and
ACA, the 2026 case-by-case band, the UAE's move to A:5, and unknown kept unknown."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from rackclear.export_control import determine_licence
from rackclear.rulebook import Rulebook

SPECS = {"tpp": 15832, "dram_bandwidth_gbps": 4800}


def lic(
    book: Rulebook,
    destination: str,
    when: date,
    hq: str | None = None,
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
