"""National tariff extracts loaded through a column mapping, on the real official files in
../shared/data (USITC HTS 2024, CBSA Customs Tariff 2026 rev. 3 extract), and looked up as dated
ad valorem rates: exact line only, or every line beneath a shorter code."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from rackclear.importers.national_tariff import (
    TariffFileError,
    TariffMapping,
    load_mapping,
    make_mapping,
    parse_columns,
)
from rackclear.store import TariffStore

pytestmark = pytest.mark.shared_data

HTS = "us-hts/hts_2024_basic_edition.csv"
CBSA = "ca-tariff/ca_customs_tariff_2026_rev3_extract.csv"
CBSA_MAPPING = Path(__file__).parent / "fixtures" / "cbsa_mfn.yaml"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MID_2024 = date(2024, 6, 1)


def _hts_mapping() -> TariffMapping:
    columns = parse_columns("line=HTS Number,rate=General Rate of Duty")
    return make_mapping(columns, tariff_column="MFN", from_date=date(2024, 1, 1))


@pytest.fixture(scope="module")
def hts_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> TariffStore:
    store = TariffStore(tmp_path_factory.mktemp("hts") / "store.sqlite3")
    store.import_national("US", shared_data / HTS, _hts_mapping(), NOW)
    return store


def test_hts_free_line_takes_the_rate_printed_above_it(
    hts_store: TariffStore, shared_data: Path
) -> None:
    found = hts_store.national_rate("US", "8471.50.01.50", "MFN", MID_2024)
    assert found is not None
    assert (found.rate, found.rate_text, found.code, found.column) == (
        Decimal(0),
        "Free",
        "8471.50.01.50",
        "MFN",
    )
    assert (found.row, found.rate_row) == (26375, 26373)  # the rate is printed on 8471.50.01
    assert (found.effective_from, found.effective_until) == (date(2024, 1, 1), None)
    assert found.file == str(shared_data / HTS) and found.imported_at == NOW
    assert found.sha256 == hashlib.sha256((shared_data / HTS).read_bytes()).hexdigest()


def test_hts_ad_valorem_rates(hts_store: TariffStore) -> None:
    cable = hts_store.national_rate("US", "8544.42.90", "MFN", MID_2024)
    assert cable is not None and cable.rate == Decimal("2.6") and cable.rate_text == "2.6%"
    assert cable.row == cable.rate_row == 28351
    inherited = hts_store.national_rate("US", "8544429090", "MFN", MID_2024)
    assert inherited is not None and inherited.rate == Decimal("2.6")
    assert inherited.rate_row == 28351
    supply = hts_store.national_rate("US", "8504.40.95", "MFN", MID_2024)
    assert supply is not None and supply.rate == Decimal(0) and supply.row == 27082
    heat = hts_store.national_rate("US", "8419.89.95.40", "MFN", MID_2024)
    assert heat is not None and heat.rate == Decimal("4.2")


def test_hts_lookup_is_exact_and_dated(hts_store: TariffStore) -> None:
    assert hts_store.national_rate("US", "8471.50.01.99", "MFN", MID_2024) is None
    assert hts_store.national_rate("US", "8471.50", "MFN", MID_2024) is None  # no prefix match
    assert hts_store.national_rate("US", "8471.50.01", "MFN", date(2023, 12, 31)) is None
    assert hts_store.national_rate("US", "8471.50.01", "COL2", MID_2024) is None
    assert hts_store.national_rate("CA", "8471.50.01", "MFN", MID_2024) is None


def test_hts_lines_beneath_a_subheading(hts_store: TariffStore) -> None:
    beneath = hts_store.national_rates_beneath("US", "8471.50", "MFN", MID_2024)
    assert [r.code for r in beneath] == ["8471.50.01", "8471.50.01.10", "8471.50.01.50"]
    assert {r.rate for r in beneath} == {Decimal(0)}
    assert hts_store.national_rates_beneath("US", "8471.50", "MFN", date(2023, 1, 1)) == []


def test_hts_specific_and_worded_rates_are_skipped_and_counted(
    shared_data: Path, tmp_path: Path
) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    tariff = store.import_national("US", shared_data / HTS, _hts_mapping(), NOW)
    assert len(tariff.rates) == 22_302 and tariff.inherited == 10_130
    assert tariff.skipped == {
        "rows with no tariff line": 6_001,
        "lines with no rate printed on them or above them": 4_672,
        "specific or compound rates (not ad valorem)": 2_241,
        "rates stated in words (a condition, a special basis or another provision)": 528,
    }
    assert store.national_rate("US", "8483.40.70.00", "MFN", MID_2024) is None  # 25¢ each + 3.9%
    assert (
        store.national_rate("US", "9903.88.03", "MFN", MID_2024) is None
    )  # "The duty provided ..."
    assert [(s["source"], s["country"], s["rows"]) for s in store.status()] == [
        ("tariff", "US", 22_302)
    ]


def test_cbsa_extract_through_a_mapping_file(shared_data: Path, tmp_path: Path) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    tariff = store.import_national("CA", shared_data / CBSA, load_mapping(CBSA_MAPPING), NOW)
    assert len(tariff.rates) == 57
    item = store.national_rate("CA", "8471.50.00", "MFN", date(2026, 11, 23))
    assert item is not None and item.rate == Decimal(0) and item.row == 12
    assert item.effective_from == date(2026, 9, 1) and item.description.startswith(
        "Processing units, other than those of subheading 8471.41 or 8471.49"
    )
    assert store.national_rate("CA", "8471.50.00", "MFN", date(2026, 8, 31)) is None
    number = store.national_rate("CA", "8471.50.00.90", "MFN", date(2026, 11, 23))
    assert number is not None and (number.row, number.rate_row) == (14, 12)
    assert number.effective_from == date(2026, 9, 1)  # its own EFF_DATE is 01/01/98
    own = store.national_rate("CA", "8471.30.00.00", "MFN", date(2020, 1, 1))
    assert own is not None and own.effective_from == date(1998, 1, 1) and own.row == 4


def test_cbsa_general_tariff_column(shared_data: Path, tmp_path: Path) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    columns = parse_columns("line=TARIFF,rate=General Tariff,from=EFF_DATE")
    mapping = make_mapping(columns, date_format="%m/%d/%y %H:%M:%S")
    store.import_national("CA", shared_data / CBSA, mapping, NOW)
    found = store.national_rate("CA", "8471.50.00", "General Tariff", date(2026, 11, 23))
    assert found is not None and found.rate == Decimal(35) and found.rate_text == "35%"


def test_national_import_keeps_other_countries_and_official_imports(
    shared_data: Path, tmp_path: Path
) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    store.import_file("ca-tariff", shared_data / CBSA, NOW)
    store.import_national("CA", shared_data / CBSA, load_mapping(CBSA_MAPPING), NOW)
    bad = tmp_path / "bad.csv"
    bad.write_text("TARIFF,EFF_DATE,MFN,DESC1\n8471.50.00,09/01/26 00:00:00,abc,x\n")
    with pytest.raises(TariffFileError, match=r"row 2, column 'MFN': 'abc' is not a rate"):
        store.import_national("CA", bad, load_mapping(CBSA_MAPPING), NOW)
    kept = store.national_rate("CA", "8471.50.00", "MFN", date(2026, 11, 23))
    assert kept is not None and kept.file == str(shared_data / CBSA)
    assert store.lookup("CA", "8471.50.00") is not None  # the ca-tariff import is untouched
    assert [s["source"] for s in store.status()] == ["ca-tariff", "tariff"]
    mine = tmp_path / "us.csv"
    mine.write_text("line,rate\n8471.50.01,Free\n")
    store.import_national("US", mine, make_mapping(parse_columns("line=line,rate=rate")), NOW)
    assert store.national_rate("CA", "8471.50.00", "MFN", date(2026, 11, 23)) is not None
    store.import_file("ca-tariff", shared_data / CBSA, NOW)  # reloading CBSA lines keeps the rates
    assert store.national_rate("US", "8471.50.01", "rate", date(2026, 11, 23)) is not None
    assert store.national_rate("CA", "8471.50.00", "MFN", date(2026, 11, 23)) is not None
