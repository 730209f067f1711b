"""Export control inside ``plan``, on the example programme with every shipment exported from
the US (so every item meets the EAR): an ECCN or candidate set per item, every licence
determination recorded with its steps and citations, and no licence blocker on an item whose
ECCN the rules settle."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rackclear import load_map, plan
from rackclear.domain.citations import CitationTable
from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.rulebook.registry import Rulebook

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ai-cluster-2027.yaml"
AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def planned(book: Rulebook) -> tuple[Dossier, dict]:
    base, _ = load_map(EXAMPLE)
    data = base.model_dump(mode="json")
    for ship in data["shipments"]:
        ship["origin_country"] = "US"
    dossier = plan(Deployment.model_validate(data), AS_OF, book)
    return dossier, dossier.head(CitationTable())


def test_no_licence_blocker_where_the_rules_settle_the_eccn(planned: tuple[Dossier, dict]) -> None:
    dossier, head = planned
    kinds = {}
    for e in head["export_control"]:
        kinds[e["sku"]] = e
    settled = {sku for sku, e in kinds.items() if e["eccn"] or e["candidates"]}
    blockers = [
        f
        for f in dossier.all_findings()
        if f.code == "LICENCE_UNKNOWN"
        and f.concerns.sku in settled
        and f.concerns.country not in ("AE", "SA")  # AE residual rule and SA's D:4 are unsettled
    ]
    assert not blockers, [(f.concerns.sku, f.concerns.country, f.message) for f in blockers]
    assert kinds["CBL-DAC-400G"]["eccn"] == "EAR99"
    assert kinds["CDU-1MW"]["eccn"] == "EAR99"


def test_the_transceiver_asks_for_its_encryption_facts(planned: tuple[Dossier, dict]) -> None:
    dossier, head = planned
    (opt,) = [e for e in head["export_control"] if e["sku"] == "OPT-400G-SR4"]
    assert opt["eccn"] is None and "5A002.a" in opt["candidates"]
    asks = [
        f
        for f in dossier.findings
        if f.code == "ECCN_DATA_NEEDED" and f.concerns.sku == "OPT-400G-SR4"
    ]
    assert asks and "encryption" in asks[0].message
    assert not any(
        f.code == "ENC_CLASSIFICATION_REQUEST" and f.concerns.sku == "OPT-400G-SR4"
        for f in dossier.all_findings()
    )


def test_not_required_to_a5_destinations_is_recorded_with_citations(
    planned: tuple[Dossier, dict],
) -> None:
    _, head = planned
    rows = head["licence_determinations"]
    gpu_de = [r for r in rows if r["sku"] == "SRV-HGX-H200" and r["destination"] == "DE"]
    assert gpu_de and gpu_de[0]["outcome"] == "not required"
    a5 = [s for s in gpu_de[0]["steps"] if "A:5" in s["text"]]
    assert a5 and a5[0]["citation"] and a5[0]["result"] == "not required"
    assert gpu_de[0]["facts"]["end_user_headquarters"] == "US"
    cables = [r for r in rows if r["sku"] == "CBL-DAC-400G"]
    assert cables and all(r["outcome"] == "not required" for r in cables)
    assert all(s["citation"] for r in cables if r["destination"] != "US" for s in r["steps"])
    destinations = {r["destination"] for r in rows}
    assert {"CA", "DE", "NL", "SG", "JP", "KR", "TW", "IN"} <= destinations
