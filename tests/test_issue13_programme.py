"""The issue-13 checks on a programme of our own: all eleven destinations, every shipment
exported from the US and carrying DAC cables, a CDU, a power shelf and a transceiver whose specs
say nothing of encryption, planned as of 2026-11-01 with the go-live schedule attached."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rackclear import load_map, plan
from rackclear.domain.citations import CitationTable
from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.rulebook.registry import Rulebook
from rackclear.schedule.adapter import attach_schedule

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ai-cluster-2027.yaml"
AS_OF = date(2026, 11, 1)
PLAIN = ("CBL-DAC-400G", "CDU-1MW", "PSU-54V-33KW", "OPT-400G-SR4")
A5 = ("DE", "NL", "JP", "KR", "IN", "TW")


@pytest.fixture(scope="module")
def programme(book: Rulebook) -> tuple[Deployment, Dossier, dict]:
    base, _ = load_map(EXAMPLE)
    data = base.model_dump(mode="json")
    for ship in data["shipments"]:
        ship["origin_country"] = "US"
        have = {ln["sku"] for ln in ship["lines"]}
        ship["lines"] += [{"sku": sku, "quantity": 2} for sku in PLAIN if sku not in have]
    deployment = Deployment.model_validate(data)
    dossier = plan(deployment, AS_OF, book)
    attach_schedule(book, deployment, dossier, AS_OF, runs=200)
    return deployment, dossier, dossier.head(CitationTable())


def test_eleven_destinations(programme: tuple[Deployment, Dossier, dict]) -> None:
    _, dossier, _ = programme
    assert len({s.destination for s in dossier.shipments}) == 11


def test_no_licence_unknown_where_the_rules_settle_the_eccn(
    programme: tuple[Deployment, Dossier, dict],
) -> None:
    _, dossier, head = programme
    by_sku = {e["sku"]: e for e in head["export_control"]}
    for sku in ("CBL-DAC-400G", "CDU-1MW", "PSU-54V-33KW"):
        assert by_sku[sku]["eccn"] == "EAR99", sku
    unknown = [
        (f.concerns.sku, f.concerns.country)
        for f in dossier.all_findings()
        if f.code == "LICENCE_UNKNOWN" and f.concerns.sku in PLAIN
    ]
    assert not unknown


def test_the_transceiver_asks_for_its_encryption_facts(
    programme: tuple[Deployment, Dossier, dict],
) -> None:
    _, dossier, _ = programme
    asks = [
        f
        for f in dossier.findings
        if f.code == "ECCN_DATA_NEEDED" and f.concerns.sku == "OPT-400G-SR4"
    ]
    assert asks and "encryption" in asks[0].message and asks[0].citations


def test_not_required_to_a5_is_recorded_with_citations(
    programme: tuple[Deployment, Dossier, dict],
) -> None:
    _, _, head = programme
    rows = [r for r in head["licence_determinations"] if r["destination"] in A5]
    assert {r["destination"] for r in rows} == set(A5)
    servers = [r for r in rows if r["sku"] == "SRV-HGX-H200"]
    assert servers and all(r["outcome"] == "not required" for r in servers)
    assert all(any(s["citation"] for s in r["steps"]) for r in servers)


def test_canadian_and_eu_sites_are_not_red_for_licences_they_do_not_need(
    programme: tuple[Deployment, Dossier, dict],
) -> None:
    _, dossier, _ = programme
    schedule = dossier.schedule
    for ship in schedule["shipments"]:
        if ship["country"] in ("CA", "DE", "NL"):
            names = [p["name"] for p in ship["prerequisites"]]
            assert not [n for n in names if "export licence" in n], (ship["id"], names)
    for site in schedule["sites"]:
        if site["country"] in ("CA", "DE", "NL"):
            assert "licence" not in (site.get("status_reason") or ""), site
