"""The `rackclear cost --json` contract that other tools depend on, and `plan` writing the dossier."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from rackclear.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_cost_json_contract() -> None:
    run = _run(
        "cost",
        "--destination",
        "CA",
        "--value",
        "115",
        "--currency",
        "CAD",
        "--hs",
        "8471.50.00",
        "--duty-rate",
        "4",
        "--origin",
        "TW",
        "--date",
        "2026-11-23",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) == {
        "destination",
        "as_of",
        "currency",
        "customs_value",
        "duties",
        "taxes",
        "fees",
        "total_duties_taxes_fees",
        "landed_cost",
        "grade",
        "low",
        "high",
        "landed_cost_low",
        "landed_cost_high",
        "value_at_risk",
        "computed_in",
        "findings",
        "steps",
    }
    assert data["currency"] == "CAD" and data["as_of"] == "2026-11-23"
    assert data["customs_value"] == "115.00"
    assert [(c["name"], c["amount"]) for c in data["duties"]] == [("Customs duty", "4.60")]
    assert data["taxes"][0]["base"] == "119.60" and data["taxes"][0]["amount"] == "5.98"
    assert set(data["taxes"][0]) == {"name", "rate", "base", "amount", "grade", "citation"}
    assert data["total_duties_taxes_fees"] == "10.58" and data["landed_cost"] == "125.58"
    # no range here: both ends are the estimate; the what-if rate is the user's, a firm grade
    assert data["low"] == data["high"] == "10.58"
    assert data["landed_cost_low"] == data["landed_cost_high"] == "125.58"
    assert data["grade"] == "user" and data["value_at_risk"] == "0"  # the what-if rate is yours


def test_cost_before_the_cbsa_revision_is_estimated_from_the_ita() -> None:
    """Canada's tariff rows start at the EFF_DATE of the 2026 revision; on 2026-06-01 the duty on
    8471.50 follows from the ITA binding (graded secondary: its product list was not read), and
    GST is 5 % of the value for tax (Excise Tax Act ss.212, 215): 500.00 of 10,000."""
    run = _run(
        "cost", "--destination", "CA", "--hs", "847150", "--origin", "TW", "--value", "10000",
        "--currency", "CAD", "--date", "2026-06-01", "--json",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["total_duties_taxes_fees"] == "500.00" and data["landed_cost"] == "10500.00"
    assert data["duties"][0]["amount"] == "0.00" and data["duties"][0]["grade"] == "secondary"
    assert data["taxes"][0]["grade"] == "secondary"  # its base includes the derived duty
    assert data["value_at_risk"] == "10000.00"
    assert any(f["code"] == "CONFIRM_RATE" for f in data["findings"])
    assert {"code", "severity", "message"} <= set(data["findings"][0])


def test_plan_writes_json_and_html(tmp_path: Path, example_map: Path) -> None:
    run = _run("plan", str(example_map), "--as-of", "2026-11-23", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    dossier = json.loads((tmp_path / "dossier.json").read_text())
    assert dossier["as_of"] == "2026-11-23" and len(dossier["shipments"]) == 15
    assert {d["country"] for d in dossier["summary"]["destinations"]} == {
        "US",
        "CA",
        "DE",
        "NL",
        "SG",
        "IN",
        "AE",
        "SA",
        "TW",
        "JP",
        "KR",
    }
    html = (tmp_path / "dossier.html").read_text()
    assert "<script" not in html and "http://" not in html.split("</style>")[0]
    assert "Shipment US-001" in html and "<details>" in html
    assert "Landed cost" in run.stdout


def test_cost_for_a_destination_without_a_pack_is_unknown_not_zero() -> None:
    run = _run(
        "cost",
        "--destination",
        "FR",
        "--value",
        "1000",
        "--currency",
        "EUR",
        "--hs",
        "8471.50",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert (
        data["total_duties_taxes_fees"] is None
        and data["landed_cost"] is None
        and data["currency"] is None
    )
    assert [f["code"] for f in data["findings"]] == ["NO_JURISDICTION_PACK"]
