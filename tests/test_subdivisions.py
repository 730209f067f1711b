"""Sub-national jurisdictions (issue 13): a UAE site's emirate decides the declaration fee and the
client-code registration; province stays the short form; bad codes are refused by name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from rackclear import load_map, plan
from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.rulebook.registry import Rulebook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ai-cluster-2027.yaml"
AS_OF = date(2026, 11, 23)


def _plan(book: Rulebook, **site: object) -> Dossier:
    base, _ = load_map(EXAMPLE)
    data = base.model_dump(mode="json")
    ae = next(s for s in data["sites"] if s["country"] == "AE")
    ae.update({"province": None, "subdivision": None, **site})
    return plan(Deployment.model_validate(data), AS_OF, book)


def _ae(dossier: Dossier):  # type: ignore[no-untyped-def]
    return next(s for s in dossier.shipments if s.destination == "AE")


def test_an_abu_dhabi_free_zone_site_is_not_charged_the_dubai_fee(book: Rulebook) -> None:
    dossier = _plan(
        book, subdivision="AE-AZ", city="Abu Dhabi", free_zone=True, free_zone_name="KEZAD"
    )
    fees = {c.id: c for c in _ae(dossier).entry.entry_charges}
    assert "declaration_fee" not in fees
    assert fees["declaration_fee_abu_dhabi"].amount is None  # unknown, never Dubai's AED 80
    rows = {r["requirement"] for r in dossier.border["matrix"] if r["country"] == "AE"}
    assert "ae-customs-client-code" not in rows


def test_a_dubai_site_keeps_the_dubai_fee_and_client_code(book: Rulebook) -> None:
    dossier = _plan(book, province="DU", free_zone=True)
    fees = {c.id: c for c in _ae(dossier).entry.entry_charges}
    assert fees["declaration_fee"].amount is not None
    assert fees["declaration_fee"].amount.amount == 80
    assert "declaration_fee_abu_dhabi" not in fees
    rows = {r["requirement"]: r for r in dossier.border["matrix"] if r["country"] == "AE"}
    assert "ae-customs-client-code" in rows


def test_no_emirate_given_counts_the_fee_and_asks(book: Rulebook) -> None:
    dossier = _plan(book)
    ship = _ae(dossier)
    assert {c.id for c in ship.entry.entry_charges} >= {"declaration_fee"}
    asks = [f for f in ship.entry.findings if f.code == "SUBDIVISION_NEEDED"]
    assert asks and "AE-DU" in asks[0].message
    rows = {r["requirement"]: r for r in dossier.border["matrix"] if r["country"] == "AE"}
    assert rows["ae-customs-client-code"]["status"] in ("confirm", "satisfied")


def test_province_is_the_short_form_of_subdivision() -> None:
    base, _ = load_map(EXAMPLE)
    ca = next(s for s in base.sites if s.country == "CA")
    assert ca.province == "QC" and ca.subdivision == "CA-QC"


@pytest.mark.parametrize(
    ("site", "words"),
    [
        ({"subdivision": "CA-ON"}, "not in the site's country AE"),
        ({"province": "DU", "subdivision": "AE-AZ"}, "disagrees with province DU"),
    ],
)
def test_bad_subdivisions_are_refused_by_name(
    tmp_path: Path, site: dict[str, str], words: str
) -> None:
    from typer.testing import CliRunner

    from rackclear.cli import app

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    ae = next(s for s in data["sites"] if s["country"] == "AE")
    ae.pop("province", None)
    ae.update(site)
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["plan", str(path), "--as-of", "2026-11-23", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "sites[6]" in result.output and words in result.output
    assert "Traceback" not in result.output
