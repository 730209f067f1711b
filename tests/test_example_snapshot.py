"""A committed snapshot of the example dossier, so that any rule or engine change shows up as a
reviewable diff. Refresh deliberately with RACKCLEAR_UPDATE_SNAPSHOTS=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rackclear import load_map, plan
from rackclear.io.dossier_json import dossier_json
from tests.conftest import AS_OF

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "example-dossier.json"


def test_example_dossier_matches_snapshot(example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    current = dossier_json(plan(deployment, AS_OF)) + "\n"
    if os.environ.get("RACKCLEAR_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(current, encoding="utf-8")
    recorded = SNAPSHOT.read_text(encoding="utf-8")
    assert json.loads(current) == json.loads(recorded), (
        "the example dossier changed: review the diff and refresh the snapshot"
    )


def test_example_figures_that_matter(example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, AS_OF)
    by_id = {s.shipment: s for s in dossier.shipments}
    sg = by_id["SG-001"].totals
    assert sg.complete and sg.duties == 0 and sg.taxes is not None and sg.taxes > 0
    us3 = by_id["US-003"].entry
    assert any(
        c.id == "s301_list3" and c.amount is not None for c in us3.charges()
    )  # Chinese-origin rack, List 3
    assert any(f.code == "RELATED_PARTIES" for f in by_id["US-002"].entry.findings)
    assert any(f.code == "FX_RATE_UNKNOWN" for f in by_id["TW-001"].entry.findings)
    assert any(f.code == "DDP_SELLER_IS_IOR" for f in by_id["TW-001"].entry.findings)
