"""XLSX lines sheets are read without trusting ``<dimension>``, exactly, and within limits.

Every workbook is written with openpyxl in tmp_path and its XML patched with zipfile, so each
test holds one defect: a stale dimension, a formula without a cached value, a cell at
XFD1048576, a zip bomb, an oversized shared-strings part."""

from __future__ import annotations

import re
import shutil
import time
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from rackclear.io.limits import ReadLimits
from rackclear.io.map_reader import MapError, MapIssue, read_map

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HEADER = ["shipment", "sku", "quantity", "unit_value", "currency", "preference", "origin_proof"]
SHEET_XML = "xl/worksheets/sheet1.xml"


def _map(tmp_path: Path, rows: Sequence[Sequence[object]]) -> tuple[Path, Path]:
    """fixtures/xlsx_map.yaml copied to tmp_path beside a lines.xlsx holding ``rows``."""
    map_path = tmp_path / "map.yaml"
    shutil.copy(FIXTURES / "xlsx_map.yaml", map_path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Lines"
    for row in rows:
        sheet.append(list(row))
    book.save(tmp_path / "lines.xlsx")
    return map_path, tmp_path / "lines.xlsx"


def _patch(
    path: Path, part: str, change: Callable[[str], str], extra: dict[str, bytes] | None = None
) -> None:
    """Rewrite one XML part of the workbook (and add ``extra`` members)."""
    with zipfile.ZipFile(path) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members[part] = change(members[part].decode("utf-8")).encode("utf-8")
    members.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)


def _issues(map_path: Path, **options: object) -> list[MapIssue]:
    with pytest.raises(MapError) as caught:
        read_map(map_path, **options)  # type: ignore[arg-type]
    return caught.value.issues


def test_a_stale_dimension_loses_no_row_or_column(tmp_path: Path) -> None:
    map_path, sheet = _map(
        tmp_path,
        [
            HEADER,
            ["SHP-1", "SRV-1", 4, 990, "EUR"],
            ["SHP-1", "NIC-1", 2],
            ["SHP-1", "SRV-1", 1, 12],
        ],
    )
    _patch(
        sheet,
        SHEET_XML,
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:A1"', xml),
    )
    deployment, _ = read_map(map_path)
    assert [
        (ln.sku, ln.quantity, ln.unit_value, ln.currency) for ln in deployment.shipments[0].lines
    ] == [
        ("SRV-1", 4, Decimal("990"), "EUR"),
        ("NIC-1", 2, None, None),
        ("SRV-1", 1, Decimal("12"), None),
    ]


def test_a_formula_without_a_cached_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    map_path, sheet = _map(
        tmp_path, [HEADER, ["SHP-1", "SRV-1", 4], ["SHP-1", "SRV-1", 2, "=B9*2"]]
    )
    issues = _issues(map_path)
    assert len(issues) == 1, issues
    issue = issues[0]
    assert (issue.file, issue.location) == (str(sheet), "sheet 'Lines' cell D3")
    assert "formula without a cached value" in issue.expected and issue.value == "=B9*2"
    assert "error: " + str(sheet) + ": sheet 'Lines' cell D3: a value, not a formula" in str(issue)


def test_a_cached_formula_value_is_read(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER, ["SHP-1", "SRV-1", 4, 700]])
    _patch(
        sheet,
        SHEET_XML,
        lambda xml: xml.replace('<c r="D2" t="n"><v>700</v>', '<c r="D2"><f>350*2</f><v>700</v>'),
    )
    deployment, _ = read_map(map_path)
    assert deployment.shipments[0].lines[0].unit_value == Decimal("700")


def test_a_spreadsheet_error_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER, ["SHP-1", "SRV-1", 4, 700]])
    _patch(
        sheet,
        SHEET_XML,
        lambda xml: xml.replace(
            '<c r="D2" t="n"><v>700</v>', '<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v>'
        ),
    )
    (issue,) = _issues(map_path)
    assert (issue.location, issue.value) == ("sheet 'Lines' cell D2", "#DIV/0!")


def test_numbers_are_read_exactly_from_the_cell_text(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER, ["SHP-1", "SRV-1", 4, 1.5]])
    _patch(sheet, SHEET_XML, lambda xml: xml.replace("<v>1.5</v>", "<v>99999999999.999999</v>"))
    deployment, _ = read_map(map_path)
    assert deployment.shipments[0].lines[0].unit_value == Decimal("99999999999.999999")


def _far_cell(xml: str) -> str:
    far = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    return xml.replace("</sheetData>", far).replace(
        '<dimension ref="A1:C2"', '<dimension ref="A1:XFD1048576"'
    )


def test_a_cell_at_xfd1048576_is_refused_at_once(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER[:3], ["SHP-1", "SRV-1", 4]])
    _patch(sheet, SHEET_XML, _far_cell)
    assert sheet.stat().st_size < 10_000
    started = time.monotonic()
    (issue,) = _issues(map_path)
    assert time.monotonic() - started < 5
    assert (issue.file, issue.location) == (str(sheet), "sheet 'Lines' cell XFD1048576")
    assert "at most 64 columns" in issue.expected and "--limit max_columns=N" in issue.expected


def test_a_row_beyond_the_row_limit_is_refused(tmp_path: Path) -> None:
    map_path, _ = _map(tmp_path, [HEADER[:3], ["SHP-1", "SRV-1", 4], ["SHP-1", "SRV-1", 5]])
    (issue,) = _issues(map_path, limits=ReadLimits(max_rows=2))
    assert issue.location == "sheet 'Lines' cell A3"
    assert "at most 2 rows" in issue.expected and "max_rows" in issue.expected


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER[:3], ["SHP-1", "SRV-1", 4]])
    _patch(sheet, SHEET_XML, lambda xml: xml, {"xl/media/padding.bin": bytes(64 * 1024 * 1024)})
    (issue,) = _issues(map_path)
    assert issue.file == str(sheet) and issue.location == ""
    assert "compressed" in issue.value and "max_xlsx_ratio" in issue.expected


def test_the_uncompressed_size_limit_names_itself_and_can_be_raised(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER[:3], ["SHP-1", "SRV-1", 4]])
    _patch(sheet, SHEET_XML, lambda xml: xml, {"xl/media/photo.bin": bytes(range(256)) * 4096})
    (issue,) = _issues(map_path, limits=ReadLimits(max_xlsx_uncompressed_bytes=500_000))
    assert "at most 500,000 bytes uncompressed" in issue.expected
    assert "--limit max_xlsx_uncompressed_bytes=N" in issue.expected
    deployment, _ = read_map(map_path, limits=ReadLimits(max_xlsx_uncompressed_bytes=5_000_000))
    assert deployment.shipments[0].lines[0].quantity == 4


SST_REL = (
    '<Relationship Id="rIdS" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def _shared(sheet: Path, strings: Sequence[str]) -> None:
    """Move the sheet's inline strings into a shared-strings part, as Excel writes them."""
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    sst = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>'

    def to_shared(xml: str) -> str:
        for index, text in enumerate(strings):
            xml = xml.replace(f'"inlineStr"><is><t>{text}</t></is>', f'"s"><v>{index}</v>')
        return xml

    _patch(sheet, SHEET_XML, to_shared, {"xl/sharedStrings.xml": sst.encode()})
    _patch(
        sheet,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace("</Relationships>", SST_REL + "</Relationships>"),
    )


def test_shared_strings_are_read(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER[:3], ["SHP-1", "NIC-1", 4]])
    _shared(sheet, [*HEADER[:3], "SHP-1", "NIC-1"])
    deployment, _ = read_map(map_path)
    assert [(ln.sku, ln.quantity) for ln in deployment.shipments[0].lines] == [("NIC-1", 4)]


def test_an_oversized_shared_strings_part_is_refused(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER[:3], ["SHP-1", "NIC-1", 4]])
    _shared(sheet, [*HEADER[:3], "SHP-1", "NIC-1", *(f"note {i}" for i in range(200))])
    (issue,) = _issues(map_path, limits=ReadLimits(max_shared_strings_bytes=2_000))
    assert issue.file == str(sheet)
    assert "shared strings of at most 2,000 bytes" in issue.expected
    assert "max_shared_strings_bytes" in issue.expected


def test_a_shared_string_index_out_of_range_names_the_cell(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER[:3], ["SHP-1", "NIC-1", 4]])
    _shared(sheet, [*HEADER[:3], "SHP-1", "NIC-1"])
    _patch(
        sheet,
        SHEET_XML,
        lambda xml: xml.replace('<c r="B2" t="s"><v>4</v>', '<c r="B2" t="s"><v>99</v>'),
    )
    found = {i.location: i for i in _issues(map_path)}
    assert found["sheet 'Lines' cell B2"].value == "string #99"
    assert found["sheet 'Lines' cell B2"].expected == "a shared string that the workbook holds"


def test_a_part_with_a_dtd_is_refused(tmp_path: Path) -> None:
    map_path, sheet = _map(tmp_path, [HEADER[:3], ["SHP-1", "SRV-1", 4]])
    lol = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    _patch(sheet, SHEET_XML, lambda xml: lol + xml)
    (issue,) = _issues(map_path)
    assert "without a DTD" in issue.expected and SHEET_XML in issue.expected
