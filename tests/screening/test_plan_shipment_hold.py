"""A matched party holds each shipment it is exporter, consignee or end user of."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from rackclear import load_map, plan
from rackclear.screening import load_lists


def test_a_listed_end_user_holds_its_shipments(
    shared_data: Path, tmp_path: Path, example_map: Path
) -> None:
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    # a real SDN entity (ent_num 11195), named as the end user of the first shipment
    data["parties"].append(
        {
            "id": "bad",
            "name": "Iran Aircraft Manufacturing Industrial Co.",
            "country": "IR",
            "role": "end_user",
        }
    )
    first = data["shipments"][0]
    first["end_user"] = "bad"
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    index = load_lists([shared_data / "ofac-sdn" / "sdn_2023-01.csv"])
    dossier = plan(deployment, date(2026, 11, 23), screening=index)
    held = {
        s.shipment
        for s in dossier.shipments
        for f in s.entry.findings
        if f.code == "RESTRICTED_PARTY_MATCH"
    }
    assert held == {first["id"]}
    hit = next(
        f for s in dossier.shipments for f in s.entry.findings if f.code == "RESTRICTED_PARTY_MATCH"
    )
    assert hit.concerns.shipment == first["id"] and hit.message.startswith("End user of shipment")


def test_an_unscreenable_party_is_a_blocker(
    shared_data: Path, tmp_path: Path, example_map: Path
) -> None:
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    data["parties"].append({"id": "nameless", "name": "LLC", "country": "US", "role": "other"})
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    index = load_lists([shared_data / "ofac-sdn" / "sdn_2023-01.csv"])
    dossier = plan(deployment, date(2026, 11, 23), screening=index)
    found = [f for f in dossier.findings if f.code == "PARTY_UNSCREENABLE"]
    assert len(found) == 1 and "nameless" in found[0].message
    assert found[0].severity.value == "blocker"
