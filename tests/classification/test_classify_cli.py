"""`rackclear classify` contract and batch, and classification inside `plan`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from rackclear import load_map, plan

CLI = [sys.executable, "-c", "from rackclear.cli import main; main()"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, env=env)


def test_classify_json_contract() -> None:
    run = _run(
        "classify",
        "Rack server, 8U, with 8 x H200 GPUs",
        "--kind",
        "gpu_server",
        "--spec",
        "cpus=2",
        "--destination",
        "US",
        "--destination",
        "CA",
        "--date",
        "2026-11-23",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert {"hs6", "national", "confidence", "alternatives", "steps", "findings"} <= set(data)
    assert data["hs6"] == "847150"
    assert data["national"]["US"] == {
        "code": "8471500150",
        "formatted": "8471.50.0150",
        "rate": "Free",
        "complete": True,
        "description": data["national"]["US"]["description"],
    }
    assert data["national"]["CA"]["code"] == "84715000"
    assert all({"code", "severity", "message"} <= set(f) for f in data["findings"])


def test_classify_refuses_vague_text_with_a_blocker() -> None:
    run = _run("classify", "server parts", "--destination", "CA", "--json")
    data = json.loads(run.stdout)
    assert data["hs6"] is None and data["national"] == {}
    assert [f["code"] for f in data["findings"]] == ["VAGUE_DESCRIPTION"]


def test_classify_batch_csv(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text(
        "description,kind,specs\nEthernet switch 32 x 400G,,\nIT equipment,,\nServer power supply 2700 W,,internal=true;watts=2700\n"
    )
    out = tmp_path / "result.csv"
    run = _run("classify", "--file", str(items), "--destination", "US", "--output", str(out))
    assert run.returncode == 0, run.stderr
    rows = out.read_text().splitlines()
    assert rows[0].startswith("row,description,hs6") and len(rows) == 4
    assert (
        "8517.62.0020" in rows[1] and "VAGUE_DESCRIPTION" in rows[2] and "8504.40.6018" in rows[3]
    )


def test_classify_batch_bad_specs_exit_2(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text("description,kind,specs\nEthernet switch,,ports\n")
    run = _run("classify", "--file", str(items))
    assert (
        run.returncode == 2
        and "row 2, column specs" in run.stderr
        and "Traceback" not in run.stderr
    )


def test_plan_blocks_vague_lines_and_flags_inconsistent_codes(
    tmp_path: Path, example_map: Path
) -> None:
    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    data["catalog"].append(
        {
            "sku": "MISC",
            "description": "server parts",
            "kind": "other",
            "manufacturer": "X",
            "model": "Y",
            "country_of_origin": "TW",
            "unit_value": 100,
            "currency": "USD",
        }
    )
    nic = next(i for i in data["catalog"] if i["sku"] == "NIC-CX7-400G")
    nic["declared"] = {"hs": {"US": "8517.62.0090", "CA": "8471.80.10"}}
    data["shipments"][0]["lines"].append({"sku": "MISC", "quantity": 1})
    data["shipments"][3]["lines"].append({"sku": "NIC-CX7-400G", "quantity": 4})
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    dossier = plan(deployment, date(2026, 11, 23))
    codes = {(f.code, f.concerns.sku) for f in dossier.findings}
    assert ("VAGUE_DESCRIPTION", "MISC") in codes
    assert ("INCONSISTENT_CLASSIFICATION", "NIC-CX7-400G") in codes
    us1 = dossier.shipments[0].entry
    assert any(
        f.code == "CLASSIFICATION_MISSING" and f.concerns.sku == "MISC" for f in us1.findings
    )
