"""Evidence per shipment and per sku (issue 13): a prerequisite is open only for the shipments
that carry an item still needing it; evidence counts while it is valid on the date the shipment
uses it; a scheme whose current documents end before a shipment clears says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rackclear import load_map, plan
from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.rulebook.registry import Rulebook
from rackclear.schedule.adapter import build_inputs

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ai-cluster-2027.yaml"
AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def planned(book: Rulebook) -> tuple[Deployment, Dossier]:
    deployment, _ = load_map(EXAMPLE)
    return deployment, plan(deployment, AS_OF, book)


def _req(dossier: Dossier, shipment: str, requirement: str) -> dict | None:
    ship = next(s for s in dossier.shipments if s.shipment == shipment)
    return next((r for r in ship.requirements if r["requirement"] == requirement), None)


def test_recorded_evidence_satisfies_every_shipment_carrying_that_item(
    book: Rulebook, planned: tuple[Deployment, Dossier]
) -> None:
    deployment, dossier = planned
    # US-001 carries only the H200 server (FCC SDoC recorded in the map) and a NIC
    fcc = _req(dossier, "US-001", "us-fcc-part15-sdoc")
    assert fcc is not None and fcc["status"] == "satisfied" and fcc["skus"] == ["SRV-HGX-H200"]
    assert fcc["evidence"] and fcc["evidence"][0]["sku"] == "SRV-HGX-H200"
    # US-002 carries the B200 server, which has none: open there only
    assert _req(dossier, "US-002", "us-fcc-part15-sdoc")["status"] == "needed"
    # US-003 carries no item the scheme covers: the requirement is not on it at all
    assert _req(dossier, "US-003", "us-fcc-part15-sdoc") is None
    inputs = build_inputs(book, deployment, dossier, AS_OF)
    prereqs = {p.id: {q.id for q in p.prereqs} for p in inputs.shipments}
    assert "US-001:us-fcc-part15-sdoc" not in prereqs["US-001"]
    assert "US-002:us-fcc-part15-sdoc" in prereqs["US-002"]


def test_the_matrix_due_date_is_that_of_the_shipments_still_needing_it(
    planned: tuple[Deployment, Dossier],
) -> None:
    _, dossier = planned
    row = next(r for r in dossier.border["matrix"] if r["requirement"] == "us-fcc-part15-sdoc")
    us002 = next(s for s in dossier.shipments if s.shipment == "US-002")
    assert row["due"] == us002.timeline.arrive.isoformat()


def test_evidence_that_lapses_before_the_shipment_uses_it(book: Rulebook) -> None:
    base, _ = load_map(EXAMPLE)
    data = base.model_dump(mode="json")
    server = next(i for i in data["catalog"] if i["sku"] == "SRV-HGX-H200")
    held = server["conformity"]["kr-kc-emc-registration"]
    held["valid_until"] = "2027-01-31"
    dossier = plan(Deployment.model_validate(data), AS_OF, book)
    kr = next(s for s in dossier.shipments if s.destination == "KR")
    assert kr.timeline.release > date(2027, 1, 31)
    req = _req(dossier, kr.shipment, "kr-kc-emc-registration")
    assert req["status"] == "needed" and "valid until 2027-01-31" in req["notes"][0]
    (found,) = [f for f in dossier.findings if f.code == "EVIDENCE_EXPIRES"]
    assert found.concerns.shipment == kr.shipment and found.citations
    # the same evidence, valid long enough, satisfies it
    held["valid_until"] = "2030-12-31"
    again = plan(Deployment.model_validate(data), AS_OF, book)
    assert not [f for f in again.findings if f.code == "EVIDENCE_EXPIRES"]


def test_india_ims_authorisation_of_2026_does_not_cover_a_2027_clearance(
    planned: tuple[Deployment, Dossier],
) -> None:
    _, dossier = planned
    (found,) = [f for f in dossier.findings if f.code == "DOCUMENT_VALIDITY_ENDS"]
    assert found.concerns.shipment == "IN-001" and found.concerns.country == "IN"
    assert "2026-12-31" in found.message and "2027 IMS cycle" in found.message
    assert found.citations and "Policy" in found.citations[0].reference
    # the switch-only shipment to India carries no server: it is not told
    assert not [
        f
        for f in dossier.findings
        if f.concerns.shipment == "IN-002" and f.code == "DOCUMENT_VALIDITY_ENDS"
    ]
