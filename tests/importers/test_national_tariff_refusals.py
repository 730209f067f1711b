"""A national tariff file is read whole or refused whole: small malformed files made here (CSV and
XLSX), each refused with every problem named by row and column, and the store left as it was."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from rackclear.importers.common import ImportFileError
from rackclear.importers.national_tariff import (
    MappingError,
    TariffFileError,
    TariffMapping,
    load_mapping,
    make_mapping,
    parse_columns,
    read_national_tariff,
)
from rackclear.store import TariffStore

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 23)
GOOD = "TARIFF,MFN\n8471.50.00,Free\n8471.50.00.90,\n8544.42.00,5%\n"


def _mapping(text: str = "line=TARIFF,rate=MFN", **options: Any) -> TariffMapping:
    return make_mapping(parse_columns(text), **options)


def _csv(tmp_path: Path, text: str, name: str = "tariff.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, mapping: TariffMapping | None = None) -> list[str]:
    with pytest.raises(TariffFileError) as caught:
        read_national_tariff(path, mapping or _mapping())
    return caught.value.problems


def test_a_good_file_reads_with_rates_and_inheritance(tmp_path: Path) -> None:
    tariff = read_national_tariff(_csv(tmp_path, "\ufeff" + GOOD), _mapping())  # BOM allowed
    assert [(r.code, r.rate, r.row, r.rate_row) for r in tariff.rates] == [
        ("8471.50.00", Decimal(0), 2, 2),
        ("8471.50.00.90", Decimal(0), 3, 2),
        ("8544.42.00", Decimal(5), 4, 4),
    ]
    assert tariff.rates[0].column == "MFN"  # no column= and no tariff column: the rate's header


def test_header_only_is_refused(tmp_path: Path) -> None:
    assert _problems(_csv(tmp_path, "TARIFF,MFN\n\n")) == ["no data rows after the header (row 1)"]


def test_every_bad_row_is_named_at_once(tmp_path: Path) -> None:
    text = "TARIFF,MFN,FROM\n8471.50.00,abc,2026-01-01\n8471.60.00,5%,01/02/2026\n8471.70.00\n"
    text += "84x1.80.00,Free,2026-01-01\n8471.90.00,2.7,2026-01-01,extra\n"
    problems = _problems(_csv(tmp_path, text), _mapping("line=TARIFF,rate=MFN,from=FROM"))
    assert problems == [
        "row 2, column 'MFN': 'abc' is not a rate (expected Free, a percentage such as 5% or 2.7, or a specific rate such as 1.9¢/kg)",
        "row 3, column 'FROM': '01/02/2026' is not a date written %Y-%m-%d",
        "row 4: 1 field(s), but the header has 3 (a truncated row)",
        "row 5, column 'TARIFF': '84x1.80.00' is not a tariff line (digits, with dots, spaces or hyphens)",
        "row 6: 4 field(s), but the header has 3",
    ]


def test_missing_mapped_columns_are_named(tmp_path: Path) -> None:
    problems = _problems(_csv(tmp_path, GOOD), _mapping("line=TARIFF,rate=UST,until=END"))
    assert problems == [
        "column 'UST' (rate=) is not in the header (row 1: 'TARIFF', 'MFN')",
        "column 'END' (until=) is not in the header (row 1: 'TARIFF', 'MFN')",
    ]


def test_a_byte_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"TARIFF,MFN,DESC\n8471.50.00,Free,ok\n8471.60.00,Free,caf\xe9\n")
    assert _problems(path) == ["line 3 (byte 54): byte 0xe9 is not UTF-8; save the file as UTF-8"]


def test_specific_and_worded_rates_are_skipped_not_refused(tmp_path: Path) -> None:
    text = "TARIFF,MFN\n8483.40.70,25¢ each + 3.9%\n8483.40.70.10,\n9903.88.03,See note 1\n"
    text += "8471.50.00,Free\n"
    tariff = read_national_tariff(_csv(tmp_path, text), _mapping())
    assert [r.code for r in tariff.rates] == ["8471.50.00"]
    assert tariff.skipped == {
        "specific or compound rates (not ad valorem)": 2,
        "rates stated in words (a condition, a special basis or another provision)": 1,
    }


def test_a_line_given_twice_for_overlapping_dates_is_refused(tmp_path: Path) -> None:
    text = "TARIFF,MFN,FROM,UNTIL\n8471.50.00,Free,2020-01-01,2025-12-31\n"
    text += "8471.50.00,5%,2026-01-01,\n8471.50.00,6%,2026-06-01,\n"
    mapping = _mapping("line=TARIFF,rate=MFN,from=FROM,until=UNTIL")
    assert _problems(_csv(tmp_path, text), mapping) == [
        "row 4, column 'TARIFF': 8471.50.00 (MFN) is also at row 3, for overlapping dates"
    ]


def test_a_refused_file_leaves_the_previous_import(tmp_path: Path) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    store.import_national("CA", _csv(tmp_path, GOOD), _mapping(), NOW)
    store.import_national("US", _csv(tmp_path, GOOD, "us.csv"), _mapping(), NOW)
    for bad in ("TARIFF,MFN\n", "TARIFF,MFN\n8471.50.00,abc\n", "TARIFF,MFN\n8471.50.00\n"):
        with pytest.raises(TariffFileError):
            store.import_national("CA", _csv(tmp_path, bad, "bad.csv"), _mapping(), NOW)
    found = store.national_rate("CA", "8544.42.00", "MFN", DAY)
    assert found is not None and found.rate == Decimal(5) and found.file.endswith("tariff.csv")
    assert [s["country"] for s in store.status()] == ["CA", "US"]
    store.import_national(
        "CA", _csv(tmp_path, "TARIFF,MFN\n8544.42.00,6%\n", "new.csv"), _mapping()
    )
    assert store.national_rate("CA", "8471.50.00", "MFN", DAY) is None  # replaced, country-wide
    assert store.national_rate("US", "8471.50.00", "MFN", DAY) is not None


def _xlsx(path: Path, rows: list[list[object]], percent_cell: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if percent_cell:
        sheet[percent_cell].number_format = "0.0%"
    book.save(path)
    return path


def _stale_dimension(path: Path) -> None:
    """Rewrite the sheet's <dimension ref=...> to A1:A1, as some exporters leave it."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name], count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', parts[name])
    assert count == 1
    with zipfile.ZipFile(path, "w") as target:
        for part, data in parts.items():
            target.writestr(part, data)


def test_xlsx_with_a_stale_dimension_reads_every_row(tmp_path: Path) -> None:
    rows: list[list[object]] = [["TARIFF", "MFN", "Description"]]
    rows += [[f"8471.{n:02}.00", f"{n}%", f"line {n}"] for n in range(10, 60, 10)]
    path = _xlsx(tmp_path / "tariff.xlsx", rows)
    _stale_dimension(path)
    naive = load_workbook(path, read_only=True).active
    assert [len(r) for r in naive.iter_rows()] == [1]  # trusting <dimension> loses the data
    tariff = read_national_tariff(path, _mapping("line=TARIFF,rate=MFN,description=Description"))
    assert [(r.code, r.rate, r.row, r.description) for r in tariff.rates] == [
        (f"8471.{n:02}.00", Decimal(n), n // 10 + 1, f"line {n}") for n in range(10, 60, 10)
    ]


def test_xlsx_formula_without_cached_value_names_the_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [["TARIFF", "MFN"], ["8471.50.00", "Free"], ["8471.60.00", "=1+1"]]
    path = _xlsx(tmp_path / "formula.xlsx", rows)
    assert _problems(path) == [
        "row 3, column 'MFN' (cell B3): formula '=1+1' has no cached value (recalculate and save it in a spreadsheet program)"
    ]


def test_xlsx_numbers_percentages_and_numeric_lines(tmp_path: Path) -> None:
    rows: list[list[object]] = [["TARIFF", "MFN"], ["8471.50.00", 0.027], ["8471.60.00", 5]]
    path = _xlsx(tmp_path / "numbers.xlsx", rows, percent_cell="B2")
    assert [r.rate for r in read_national_tariff(path, _mapping()).rates] == [
        Decimal("2.7"),
        Decimal(5),
    ]
    path = _xlsx(tmp_path / "numeric-line.xlsx", [["TARIFF", "MFN"], [8471.5, "Free"]])
    assert _problems(path) == [
        "row 2, column 'TARIFF': 8471.5 is not text: keep tariff lines as text, so that their zeros survive"
    ]


def test_not_a_workbook_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="not a readable XLSX workbook"):
        read_national_tariff(_csv(tmp_path, GOOD, "fake.xlsx"), _mapping())
    with pytest.raises(ImportFileError, match=r"expected a \.csv or \.xlsx file, not \.xls"):
        read_national_tariff(_csv(tmp_path, GOOD, "old.xls"), _mapping())


def test_mapping_mistakes_are_listed(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="'line' is not KEY=COLUMN"):
        parse_columns("line,rate=MFN")
    with pytest.raises(MappingError) as caught:
        make_mapping({"line": "A", "colour": "B", "column": "C"}, tariff_column="MFN")
    assert str(caught.value).splitlines() == [
        "unknown key 'colour' (expected line, rate, column, from, until, description)",
        "rate=COLUMN is required",
        "give the treatment either as column=COLUMN or as a tariff column, not both",
    ]
    path = tmp_path / "mapping.yaml"
    path.write_text("columns: {line: TARIFF, rate: MFN}\nsheets: Tariff\n", encoding="utf-8")
    with pytest.raises(
        MappingError, match=r"mapping\.yaml: sheets: Extra inputs are not permitted"
    ):
        load_mapping(path)
    path.write_text("columns: {line: TARIFF, rate: MFN}\nfrom: 2026-01-01\n", encoding="utf-8")
    assert load_mapping(path).from_date == date(2026, 1, 1)
