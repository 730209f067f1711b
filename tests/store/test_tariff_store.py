"""The local tariff store loads whole official files with provenance (real files in ../shared/data)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rackclear.importers.common import ImportFileError
from rackclear.store import TariffStore

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_import_us_hts_and_look_up_a_line(shared_data: Path, tmp_path: Path) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    count = store.import_file("us-hts", shared_data / "us-hts" / "hts_2024_basic_edition.csv", NOW)
    line = store.lookup("US", "8471500150")
    assert count > 20_000 and line is not None
    assert line.code == "8471.50.0150" and line.rates == {"general": "Free", "column2": "35%"}
    assert (
        line.file.endswith("hts_2024_basic_edition.csv") and line.row > 1 and len(line.sha256) == 64
    )
    assert store.lookup("US", "8471.50.0199") is None
    store.close()


def test_import_ca_tariff_and_replace_on_reimport(shared_data: Path, tmp_path: Path) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    file = shared_data / "ca-tariff" / "ca_customs_tariff_2026_rev3_extract.csv"
    first = store.import_file("ca-tariff", file, NOW)
    again = store.import_file("ca-tariff", file, NOW)
    line = store.lookup("CA", "8471.50.00")
    assert first == again == 56 and line is not None
    assert line.rates["MFN"] == "Free" and line.effective == "2026-09-01"
    assert [s["rows"] for s in store.status()] == [56, 56]
    store.close()


def test_import_hs_nomenclature(shared_data: Path, tmp_path: Path) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    count = store.import_file("hs", shared_data / "hs2022" / "harmonized-system.csv", NOW)
    assert count > 6_800
    assert store.lookup("HS", "847150") is not None and store.lookup("HS", "852351") is not None
    store.close()


def test_wrong_file_is_refused(shared_data: Path, tmp_path: Path) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    with pytest.raises(ImportFileError):
        store.import_file("us-hts", shared_data / "csl" / "invalid_csl.csv", NOW)
    assert store.status() == []
    store.close()
