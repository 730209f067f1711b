"""Screening you can date: each list's version against the plan's date, and what an Entity List
entry itself requires of a transaction with the party (issue 13, part 8)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from rackclear import load_map, plan
from rackclear.domain.dossier import Dossier
from rackclear.screening import load_lists

AS_OF = date(2026, 11, 23)


def _codes(dossier: Dossier, code: str) -> list[str]:
    return [f.message for f in dossier.findings if f.code == code]


@pytest.fixture
def small_map(example_map: Path, tmp_path: Path) -> Path:
    """The example map without its lines file, with an end user that is on the Entity List (the
    real CSL entry '32 Group China Ltd.', Hong Kong) for the Canadian shipment CA-001."""
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    data["parties"].append(
        {"id": "hk-eu", "name": "32 Group China Limited", "country": "HK", "role": "end_user"}
    )
    ship = next(s for s in data["shipments"] if s["id"] == "CA-001")
    ship["end_user"] = "hk-eu"
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_2023_list_is_stale_on_a_2026_plan_with_the_pack_limit_cited(
    shared_data: Path, example_map: Path
) -> None:
    deployment, _ = load_map(example_map)
    index = load_lists([shared_data / "ofac-sdn" / "sdn_2023-01.csv"])
    dossier = plan(deployment, AS_OF, screening=index)
    stale = [f for f in dossier.findings if f.code == "SCREENING_LIST_STALE"]
    assert len(stale) == 1 and stale[0].severity.value == "warning"
    # version 2023-01 (from the file name) stands for January 2023: 2023-01-31 to 2026-11-23
    assert (AS_OF - date(2023, 1, 31)).days == 1392
    assert "1,392 days older" in stale[0].message and "from the file name" in stale[0].message
    assert "the most allowed is 7 days" in stale[0].message
    assert stale[0].citations and "OFAC Compliance Commitments" in stale[0].citations[0].reference
    assert dossier.screening is not None
    listed = dossier.screening["lists"][0]
    assert listed["stands_for"] == ["2023-01-01", "2023-01-31"] and listed["stale"] is True
    assert listed["age_days"] == 1392 and listed["max_age_days"] == 7
    assert not _codes(dossier, "SCREENING_LIST_AFTER_AS_OF")


def test_a_list_published_after_the_plan_date_is_a_warning(
    shared_data: Path, example_map: Path
) -> None:
    deployment, _ = load_map(example_map)
    path = shared_data / "csl" / "csl_sample.csv"
    index = load_lists([path], {str(path): "2026-12-03"})
    dossier = plan(deployment, AS_OF, screening=index)
    after = _codes(dossier, "SCREENING_LIST_AFTER_AS_OF")
    # one warning for the file, naming the nine CSL sources it holds
    assert len(after) == 1 and "9 lists (" in after[0] and "Entity List (EL)" in after[0]
    assert "version 2026-12-03 (from the caller)" in after[0]
    assert "after the plan date 2026-11-23" in after[0]
    assert not _codes(dossier, "SCREENING_LIST_STALE")


def test_a_version_older_than_the_lists_own_entries_is_doubtful(
    shared_data: Path, example_map: Path
) -> None:
    path = shared_data / "csl" / "csl_sample.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    latest = max(r["start_date"] for r in rows if r["source"].startswith("Denied Persons"))
    assert latest == "2019-08-13"  # the file's latest Denied Persons listing
    deployment, _ = load_map(example_map)
    index = load_lists([path], {str(path): "2019-07-01"})
    dossier = plan(deployment, date(2019, 7, 5), screening=index)
    doubtful = _codes(dossier, "SCREENING_LIST_VERSION_DOUBTFUL")
    assert len(doubtful) == 1 and "version 2019-07-01 (from the caller)" in doubtful[0]
    assert (
        "Denied Persons List (DPL) - Bureau of Industry and Security holds an entry listed on 2019-08-13"
        in doubtful[0]
    )
    assert dossier.screening is not None
    by_name = {v["name"]: v for v in dossier.screening["lists"]}
    assert by_name["Denied Persons List (DPL) - Bureau of Industry and Security"][
        "latest_listing"
    ] == ("2019-08-13")


def test_a_version_that_is_not_a_date_cannot_be_aged(shared_data: Path, example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    path = shared_data / "csl" / "csl_sample.csv"
    index = load_lists([path], {str(path): "release 7"})
    dossier = plan(deployment, AS_OF, screening=index)
    undated = _codes(dossier, "SCREENING_LIST_UNDATED")
    assert undated and all("release 7" in m for m in undated)
    assert not _codes(dossier, "SCREENING_LIST_STALE")


def test_a_csl_json_list_is_dated_from_its_own_content(example_map: Path, tmp_path: Path) -> None:
    document = {
        "sources_used": [
            {
                "source": "Entity List (EL) - Bureau of Industry and Security",
                "source_last_updated": "2026-11-20T10:02:11",
            }
        ],
        "results": [
            {
                "source": "Entity List (EL) - Bureau of Industry and Security",
                "name": "32 Group China Ltd.",
                "addresses": [{"address": "148 Wing Lok Street", "country": "HK"}],
                "license_requirement": "For all items subject to the EAR.  (See §744.11 of the EAR)",
                "license_policy": "Presumption of denial.",
                "federal_register_notice": "80 FR 69852",
                "start_date": "2015-11-12",
            }
        ],
    }
    path = tmp_path / "consolidated_2020-01-01.json"  # the content wins over the name
    path.write_text(json.dumps(document), encoding="utf-8")
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, AS_OF, screening=load_lists([path]))
    assert dossier.screening is not None
    listed = dossier.screening["lists"][0]
    assert listed["version"] == "2026-11-20" and listed["version_from"] == "file content"
    assert listed["age_days"] == 3 and listed["stale"] is False
    assert not _codes(dossier, "SCREENING_LIST_STALE")
    assert not _codes(dossier, "SCREENING_LIST_AFTER_AS_OF")


def test_an_entity_list_hit_states_the_entrys_licence_requirement_and_policy(
    shared_data: Path, small_map: Path
) -> None:
    deployment, _ = load_map(small_map)
    index = load_lists([shared_data / "csl" / "csl_sample.csv"])
    dossier = plan(deployment, AS_OF, screening=index)
    found = [f for f in dossier.findings if f.code == "ENTITY_LIST_LICENCE_REQUIRED"]
    assert len(found) == 1 and found[0].severity.value == "blocker"
    message = found[0].message
    # the real CSL row: 80 FR 69852, listed 2015-11-12, "For all items subject to the EAR.
    # (See §744.11 of the EAR)", "Presumption of denial."
    assert "listed 2015-11-12, by 80 FR 69852" in message
    assert "For all items subject to the EAR. (See §744.11 of the EAR)" in message
    assert "Its licence review policy: Presumption of denial." in message
    assert found[0].citations and "15 CFR 744.11" in found[0].citations[0].reference
    # on the shipment the party is the end user of, next to the match itself
    ca = next(s for s in dossier.shipments if s.shipment == "CA-001")
    codes = {f.code for f in ca.entry.findings}
    assert {"RESTRICTED_PARTY_MATCH", "ENTITY_LIST_LICENCE_REQUIRED"} <= codes
    assert dossier.screening is not None
    match = dossier.screening["hits"][0]["match"]
    assert match["licence_policy"] == "Presumption of denial."
    assert match["federal_register_notice"] == "80 FR 69852"


def test_a_listed_exporter_is_a_match_but_not_an_entity_list_licence(
    shared_data: Path, example_map: Path, tmp_path: Path
) -> None:
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    exporter = next(p for p in data["parties"] if p["id"] == "opt-cn")
    exporter.update(name="32 Group China Limited", country="HK")
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    dossier = plan(
        deployment, AS_OF, screening=load_lists([shared_data / "csl" / "csl_sample.csv"])
    )
    held = [
        f.code
        for s in dossier.shipments
        for f in s.entry.findings
        if f.code in {"RESTRICTED_PARTY_MATCH", "ENTITY_LIST_LICENCE_REQUIRED"}
    ]
    assert held and set(held) == {"RESTRICTED_PARTY_MATCH"}


def _plan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from rackclear.cli import main; main()", "plan", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_list_versions_are_checked_all_at_once(
    shared_data: Path, example_map: Path, tmp_path: Path
) -> None:
    listed = str(shared_data / "csl" / "csl_sample.csv")
    run = _plan(
        str(example_map),
        "--out",
        str(tmp_path),
        "--list",
        listed,
        "--list-version",
        f"{listed}=2026-13-01",
        "--list-version",
        "other.csv=2026-11-01",
        "--list-version",
        "no-equals-sign",
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "'2026-13-01' is not a date" in run.stderr
    assert "other.csv: not one of the --list files" in run.stderr
    assert "expected FILE=YYYY-MM-DD" in run.stderr
    assert not (tmp_path / "dossier.json").exists()
