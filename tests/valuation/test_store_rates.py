"""plan --store: a rate from a national tariff the user imported counts as official-file, cited
to its file, row and SHA-256, and takes precedence over what the pack holds for the line."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from rackclear.domain.money import Money
from rackclear.importers.national_tariff import load_mapping
from rackclear.rulebook import Rulebook
from rackclear.store import TariffStore
from rackclear.valuation.engine import assess_entry
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, LineInput

pytestmark = pytest.mark.shared_data
CBSA = "ca-tariff/ca_customs_tariff_2026_rev3_extract.csv"
MAPPING = Path(__file__).resolve().parents[1] / "importers" / "fixtures" / "cbsa_mfn.yaml"


def _entry(when: date) -> EntryInput:
    line = LineInput(0, "SRV", "GPU server", 1, Money(Decimal(10000), "CAD"), "TW", "8471.50.00")
    return EntryInput("CA-T", "CA", when, "air", "FCA", (line,), value_on_destination_basis=True)


def test_an_imported_cbsa_rate_is_official_file(
    book: Rulebook, shared_data: Path, tmp_path: Path
) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    store.import_national(
        "CA", shared_data / CBSA, load_mapping(MAPPING), datetime(2026, 12, 4, tzinfo=UTC)
    )
    when = date(2026, 10, 1)
    result = assess_entry(book, FxService(book, when), _entry(when), when, store=store)
    duty = next(c for c in result.charges() if c.id == "duty")
    sha = hashlib.sha256((shared_data / CBSA).read_bytes()).hexdigest()
    assert duty.rate == 0 and duty.grade == "official-file"  # 8471.50.00 MFN Free (row 12)
    assert duty.citation is not None and sha in duty.citation.source
    assert "row 12" in duty.citation.source
    gst = next(c for c in result.charges() if c.id == "gst")
    assert gst.amount is not None and gst.amount.amount == Decimal("500.00")
    assert not result.lines[0].at_risk
    store.close()


def test_without_a_store_the_pack_rate_is_used(book: Rulebook) -> None:
    when = date(2026, 10, 1)
    result = assess_entry(book, FxService(book, when), _entry(when), when)
    duty = next(c for c in result.charges() if c.id == "duty")
    assert duty.grade == "official" and duty.citation is not None
    assert "Customs Tariff" in duty.citation.reference
