"""CARM: the CAD deadline on Canadian business days (FACTS.md section c: 5 business days, release =
day 0), the billing cycle (18th to 17th, statement on the 25th, payment on the last business day),
AMPS late-accounting exposure (section d: C288/C292 flat $100, C070 $1,200/$2,400/$4,800; never the
$3,500 of the marketing claim), the CAD data set in plan, and the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rackclear.carm.calendar import billing, cad_due
from rackclear.rulebook import Rulebook


def test_cad_due_across_christmas_boxing_day_and_new_year(book: Rulebook) -> None:
    # 2026-12-23 (Wed) is day 0: Thu 24 = 1; Fri 25 Christmas; weekend; Mon 28 Boxing Day
    # (observed, Ontario); Tue 29 = 2, Wed 30 = 3, Thu 31 = 4; Fri Jan 1; weekend; Mon Jan 4 = 5
    due = cad_due(book, date(2026, 12, 23), "ON")
    assert due.due == date(2027, 1, 4)
    assert (date(2026, 12, 28), "Boxing Day (observed)") in due.skipped


def test_a_provincial_holiday_counts_only_in_its_province(book: Rulebook) -> None:
    # Family Day (Ontario) 2027-02-15 is not a holiday in Quebec
    assert cad_due(book, date(2027, 2, 12), "ON").due == date(2027, 2, 22)
    assert cad_due(book, date(2027, 2, 12), "QC").due == date(2027, 2, 19)


def test_release_on_a_weekend_counts_from_the_next_business_day(book: Rulebook) -> None:
    due = cad_due(book, date(2027, 3, 6), "ON")  # a Saturday: day 0 is Monday 2027-03-08
    assert due.start == date(2027, 3, 8) and due.due == date(2027, 3, 15)


@pytest.mark.parametrize(
    ("release", "period", "statement", "payment"),
    [
        (
            date(2027, 2, 20),
            (date(2027, 2, 18), date(2027, 3, 17)),
            date(2027, 3, 25),
            date(2027, 3, 31),
        ),
        (
            date(2027, 2, 17),
            (date(2027, 1, 18), date(2027, 2, 17)),
            date(2027, 2, 25),
            date(2027, 2, 26),
        ),
        (
            date(2026, 12, 20),
            (date(2026, 12, 18), date(2027, 1, 17)),
            date(2027, 1, 25),
            date(2027, 1, 29),
        ),
    ],
)
def test_billing_period_statement_and_payment(
    book: Rulebook, release: date, period: tuple[date, date], statement: date, payment: date
) -> None:
    b = billing(book, release, "ON")
    assert (b.period_start, b.period_end) == period
    assert b.statement == statement and b.payment_due == payment


def test_example_plan_has_a_cad_per_canadian_shipment_and_no_3500_penalty(
    example_map: Path,
) -> None:
    from rackclear import load_map, plan

    deployment, _ = load_map(example_map)
    dossier = plan(deployment, date(2026, 11, 23))
    cads = dossier.north_america["ca_cad"]
    assert {c["shipment"] for c in cads} == {
        s.id for s in deployment.shipments if s.site.startswith("ca-")
    }
    for cad in cads:
        assert cad["business_number_program_account"]
        late = cad["amps_exposure"]["late_accounting"]
        assert late["code"] in ("C288", "C292") and late["amount"] == "100"
        assert cad["amps_exposure"]["no_accounting"]["amounts"] == ["1200", "2400", "4800"]
        assert "3500" not in json.dumps(cad["amps_exposure"])
        assert cad["deadlines"]["cad_due"]["due"] > cad["release_date_planned"]
    # an 8419.89 line the pack cannot extend to 10 digits is reported, not invented
    assert any(f.code == "CAD_DATA_INCOMPLETE" for f in dossier.all_findings())


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from rackclear.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deadline_cli_contract() -> None:
    run = _cli("deadline", "ca-cad", "--release", "2026-12-23", "--province", "ON", "--json")
    data = json.loads(run.stdout)
    assert data["due"] == "2027-01-04"
    assert {"date": "2026-12-25", "why": "Christmas Day"} in data["skipped"]
    bad = _cli("deadline", "ca-cad", "--release", "2026-12-23", "--province", "XX")
    assert bad.returncode == 2 and "XX" in bad.stderr and "Traceback" not in bad.stderr


def test_the_wrong_claims_never_appear_in_the_dossier(example_map: Path) -> None:
    """FACTS.md sections a-d: 6.5 % MFN on servers, 40 % RVC, 'K84', CAD 25,000 RPP minimum and
    the CAD 3,500 late-accounting penalty are wrong; the engine must not produce them."""
    from rackclear import load_map, plan
    from rackclear.io.dossier_json import dossier_json

    deployment, _ = load_map(example_map)
    text = dossier_json(plan(deployment, date(2026, 11, 23)))
    data = json.loads(text)
    na = json.dumps(data["north_america"])
    assert "K84" not in text
    assert "statement_of_account" in text
    assert '"25000' not in na and '"3500' not in na
    for row in data["north_america"]["cusma_origin"]:
        assert "40" not in json.dumps(row.get("rvc"))
    ca_server_rates = [
        c["rate"]
        for s in data["shipments"]
        if s["destination"] == "CA"
        for ln in s["lines"]
        if (ln["tariff_code"] or "").startswith("8471")
        for c in ln["charges"]
        if c["id"] == "duty"
    ]
    assert ca_server_rates and all(
        r in ("0", "0.00", "0.0", None) or float(r) == 0 for r in ca_server_rates
    )


def test_a_vague_description_is_a_cad_problem(example_map: Path, tmp_path: Path) -> None:
    # the classification pack's vague words decide, as for the 7501 and classification itself
    import yaml

    from rackclear import load_map, plan

    data = yaml.safe_load(example_map.read_text())
    data.pop("lines_file")
    ca_skus = {
        ln["sku"] for s in data["shipments"] if s["site"].startswith("ca-") for ln in s["lines"]
    }
    for item in data["catalog"]:
        if item["sku"] in ca_skus:
            item["description"] = "server parts"
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data))
    deployment, _ = load_map(path)
    cads = plan(deployment, date(2026, 11, 23)).north_america["ca_cad"]
    assert all(any("too vague for the CAD" in p for p in c["problems"]) for c in cads)
