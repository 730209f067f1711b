"""CUSMA origin inside plan: each line that claims the preference is assessed, and where MFN is
already Free the dossier says plainly that the claim saves nothing (FACTS.md section a)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rackclear import load_map, plan


def test_claimed_preferences_are_assessed(example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, date(2026, 11, 23))
    rows = {(r["shipment"], r["sku"]): r for r in dossier.north_america["cusma_origin"]}
    server = rows[("US-002", "SRV-HGX-B200")]
    # Mexican-made 8471.50 server into the US: deemed originating (HTSUS GN 11(p)), MFN Free
    assert server["qualifies"] is True and server["duty_saved"] == "0.00"
    cdu = rows[("CA-001", "CDU-1MW")]
    # 8419.89 rule not in the pack and the Canadian MFN rate not verified: unknown, never 0
    assert cdu["qualifies"] is None and cdu["duty_saved"] is None
    codes = {f.code for s in dossier.shipments for f in s.entry.findings}
    assert {"PREFERENCE_SAVES_NOTHING", "ORIGIN_NEEDS_DATA", "PREFERENCE_SAVING_UNKNOWN"} <= codes
