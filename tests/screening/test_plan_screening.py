"""Every party of a map is screened in plan; a hit is a blocker with its evidence and list version."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from rackclear import load_map, plan
from rackclear.screening import load_lists


def test_a_listed_party_is_a_blocker_with_evidence(
    shared_data: Path, tmp_path: Path, example_map: Path
) -> None:
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    # a real SDN entity (ent_num 11195) appears as the consignee's parent, slightly misspelt
    data["parties"].append(
        {
            "id": "bad",
            "name": "Iran Aircraft Manufacturing Industrial Co.",
            "country": "IR",
            "role": "other",
        }
    )
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    index = load_lists([shared_data / "ofac-sdn" / "sdn_2023-01.csv"])
    dossier = plan(deployment, date(2026, 11, 23), screening=index)
    hits = [f for f in dossier.findings if f.code == "RESTRICTED_PARTY_MATCH"]
    assert len(hits) == 1 and hits[0].severity.value == "blocker"
    assert (
        "IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY" in hits[0].message
        and "2023-01" in hits[0].message
    )
    assert dossier.screening is not None and dossier.screening["hits"][0]["party_id"] == "bad"
    assert all(f.code != "SCREENING_NOT_PERFORMED" for f in dossier.findings)


def test_without_a_list_the_dossier_says_screening_was_not_performed(example_map: Path) -> None:
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, date(2026, 11, 23))
    assert any(f.code == "SCREENING_NOT_PERFORMED" for f in dossier.findings)


def test_plan_refuses_a_malformed_list_with_exit_2(
    shared_data: Path, example_map: Path, tmp_path: Path
) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "plan",
            str(example_map),
            "--out",
            str(tmp_path),
            "--list",
            str(shared_data / "csl" / "invalid_csl.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "invalid_csl.csv" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "dossier.json").exists()


def test_screen_cli_is_wired(shared_data: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "screen",
            "Iran Aircraft Manufacturing Industrial Company",
            "--list",
            str(shared_data / "ofac-sdn" / "sdn_2023-01.csv"),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    data = json.loads(run.stdout)
    assert data["matches"] and data["matches"][0]["list"].startswith(
        "Specially Designated Nationals"
    )
    assert {"name", "version"} <= set(data["lists"][0])


def test_plan_refuses_lists_without_entries_with_exit_2(
    shared_data: Path, example_map: Path, tmp_path: Path
) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "plan",
            str(example_map),
            "--out",
            str(tmp_path),
            "--list",
            str(shared_data / "ofac-sdn" / "alt_sample.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "no entries were loaded" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "dossier.json").exists()


def test_screen_cli_refuses_an_unscreenable_name(shared_data: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "screen",
            "LLC",
            "--list",
            str(shared_data / "ofac-sdn" / "sdn_sample.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "cannot be screened" in run.stderr
    assert "Traceback" not in run.stderr
