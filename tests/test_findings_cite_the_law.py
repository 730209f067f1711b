"""Every finding of a planned dossier that states a legal conclusion carries a citation: the
example as it is, and with every shipment exported from the US (so every licence rule runs)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rackclear import load_map, plan
from rackclear.domain.deployment import Deployment
from rackclear.domain.finding_codes import LEGAL_CONCLUSIONS
from rackclear.rulebook.registry import Rulebook

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ai-cluster-2027.yaml"


@pytest.mark.parametrize("from_us", [False, True])
@pytest.mark.parametrize("as_of", [date(2026, 11, 1), date(2024, 6, 1)])
def test_every_legal_conclusion_is_cited(book: Rulebook, from_us: bool, as_of: date) -> None:
    base, _ = load_map(EXAMPLE)
    data = base.model_dump(mode="json")
    if from_us:
        for ship in data["shipments"]:
            ship["origin_country"] = "US"
    dossier = plan(Deployment.model_validate(data), as_of, book)
    findings = dossier.all_findings()
    legal = [f for f in findings if f.code in LEGAL_CONCLUSIONS]
    assert len(legal) > 20  # the walk reaches licence, border and rate findings
    uncited = [(f.code, f.concerns.country, f.message[:80]) for f in legal if not f.citations]
    assert not uncited
