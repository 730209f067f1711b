"""read_map reports every problem of a deployment map at once, each naming the file, the path
(``shipments[1].lines[0].sku``) or the sheet row, the value found and what was expected.

Fixture maps are in tests/io/fixtures; workbooks are built with openpyxl in tmp_path."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from rackclear.io.map_reader import MapError, MapIssue, path_of, read_map

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ai-cluster-2027.yaml"

COUNTRY = "unknown ISO 3166-1 alpha-2 country code 'XX'"
CURRENCY = "unknown ISO 4217 currency code 'USX'"
POSITIVE = "greater than 0"
DATE = "Input should be a valid date"

# location -> (value found, a fragment of what was expected), for fixtures/many_mistakes.yaml
MANY_MISTAKES = {
    "catalog[0].sku": ("'SRV-1'", "a unique sku (it appears 2 times)"),
    "catalog[2].sku": ("'SRV-1'", "a unique sku (it appears 2 times)"),
    "catalog[1].country_of_origin": ("'XX'", COUNTRY),
    "catalog[1].unit_value": ("0", POSITIVE),
    "catalog[2].currency": ("'USX'", CURRENCY),
    "sites[1].country": ("'XX'", COUNTRY),
    "sites[1].go_live": ("'2027-02-30'", DATE),
    "shipments[0].id": ("'SHP-1'", "a unique id (it appears 2 times)"),
    "shipments[1].id": ("'SHP-1'", "a unique id (it appears 2 times)"),
    "shipments[0].ship_date": ("'next tuesday'", DATE),
    "shipments[0].lines[0].quantity": ("0", POSITIVE),
    "shipments[0].lines[1].quantity": ("-3", POSITIVE),
    "shipments[1].site": ("'mars-base'", "the id of a site in sites"),
    "shipments[1].lines[0].sku": ("'GPU-404'", "the sku of an item in catalog"),
    "shipments[1].lines[1].unit_value": ("-5", POSITIVE),
    "shipments[1].lines[1].currency": ("'USX'", CURRENCY),
}


def _issues(path: Path) -> list[MapIssue]:
    with pytest.raises(MapError) as caught:
        read_map(path)
    return caught.value.issues


def _only_issue(path: Path) -> MapIssue:
    issues = _issues(path)
    assert len(issues) == 1, issues
    return issues[0]


def _by_location(issues: list[MapIssue]) -> dict[str, MapIssue]:
    found = {i.location: i for i in issues}
    assert len(found) == len(issues), f"one issue per location expected: {issues}"
    return found


def _sheet_map(tmp_path: Path, csv_text: str) -> tuple[Path, Path]:
    """fixtures/sheet_map.yaml copied to tmp_path, with ``csv_text`` as its lines.csv."""
    map_path = tmp_path / "map.yaml"
    shutil.copy(FIXTURES / "sheet_map.yaml", map_path)
    sheet = tmp_path / "lines.csv"
    sheet.write_text(csv_text, encoding="utf-8")
    return map_path, sheet


# 1. Many mistakes in one map -------------------------------------------------------------------


def test_every_mistake_is_reported_at_once() -> None:
    path = FIXTURES / "many_mistakes.yaml"
    issues = _issues(path)
    found = _by_location(issues)
    assert set(found) == set(MANY_MISTAKES)
    for location, (value, expected) in MANY_MISTAKES.items():
        issue = found[location]
        assert issue.file == str(path), issue
        assert issue.severity == "error", issue
        assert issue.value == value, issue
        assert expected in issue.expected, issue


def test_the_error_message_lists_every_problem_with_file_and_path() -> None:
    path = FIXTURES / "many_mistakes.yaml"
    with pytest.raises(MapError) as caught:
        read_map(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(MANY_MISTAKES)
    for location, (value, _) in MANY_MISTAKES.items():
        assert f"error: {path}: {location}: " in str(caught.value)
        assert any(f": {location}: " in line and f"(found {value})" in line for line in lines), (
            location
        )


def test_an_impossible_yaml_date_is_reported_at_its_path_not_as_a_parse_error(
    tmp_path: Path,
) -> None:
    # PyYAML turns 2027-02-30 into a ValueError while parsing; the reader must keep reading.
    path = tmp_path / "map.yaml"
    text = (FIXTURES / "warnings_only.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("ship_date: 2027-06-01", "ship_date: 2027-02-30"), encoding="utf-8"
    )
    issue = _only_issue(path)
    assert (issue.location, issue.value) == ("shipments[1].ship_date", "'2027-02-30'")
    assert DATE in issue.expected


def test_json_map_reports_the_same_mistakes(tmp_path: Path) -> None:
    data = yaml.safe_load(
        (FIXTURES / "many_mistakes.yaml")
        .read_text(encoding="utf-8")
        .replace("2027-02-30", "'2027-02-30'")
    )
    path = tmp_path / "many_mistakes.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    found = _by_location(_issues(path))
    assert set(found) == set(MANY_MISTAKES)
    assert {i.file for i in found.values()} == {str(path)}


def test_importer_of_record_countries_and_parties_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    text = (FIXTURES / "warnings_only.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "importers_of_record: {US: imp-us}",
            "importers_of_record: {US: imp-us, XX: imp-us, JP: nobody, NO: imp-us}",
        ),
        encoding="utf-8",
    )
    found = _by_location(_issues(path))
    assert set(found) == {
        "importers_of_record.XX",
        "importers_of_record.JP",
        "importers_of_record.False",
    }
    assert (found["importers_of_record.XX"].value, found["importers_of_record.XX"].expected) == (
        "'XX'",
        "an ISO 3166-1 alpha-2 country code",
    )
    assert (found["importers_of_record.JP"].value, found["importers_of_record.JP"].expected) == (
        "'nobody'",
        "the id of a party in parties",
    )
    assert (
        "quote it" in found["importers_of_record.False"].expected
    )  # YAML reads NO (Norway) as false


def test_a_shipment_without_lines_is_reported_with_the_other_errors(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    text = (FIXTURES / "warnings_only.yaml").read_text(encoding="utf-8")
    text = text.replace("      - {sku: SRV-1, quantity: 2}\n", "").replace(
        "country: DE", "country: XX"
    )
    path.write_text(text, encoding="utf-8")
    found = _by_location(_issues(path))
    assert set(found) == {"shipments[1].lines", "sites[1].country"}
    assert found["shipments[1].lines"].expected == "at least one line"


@pytest.mark.parametrize(
    ("old", "new", "location", "expected"),
    [
        ("site: us-ash1", "site: [us-ash1]", "shipments[0].site", "Input should be a valid string"),
        ("id: SHP-LATE", "id: {a: 1}", "shipments[0].id", "Input should be a valid string"),
        ("mode: air", "mode: air\n    exporter: [x, y]", "shipments[0].exporter", "valid string"),
        (
            "- {sku: SRV-1, quantity: 4}",
            "{sku: SRV-1, quantity: 4}",
            "shipments[0].lines",
            "valid list",
        ),
        ("id: us-ash1", "id: [us-ash1]", "sites[0].id", "Input should be a valid string"),
        (
            "sku: SRV-1, desc",
            "sku: [SRV-1], desc",
            "catalog[0].sku",
            "Input should be a valid string",
        ),
        ("{US: imp-us}", "[US]", "importers_of_record", "Input should be a valid dictionary"),
        ("{US: imp-us}", "{US: [imp-us]}", "importers_of_record.US", "valid string"),
    ],
)
def test_wrong_types_are_reported_not_crashed_on(
    tmp_path: Path, old: str, new: str, location: str, expected: str
) -> None:
    # Lists and mappings where an id belongs used to raise TypeError (unhashable) in the reader.
    text = (FIXTURES / "warnings_only.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "map.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    issue = _by_location(_issues(path))[location]
    assert issue.file == str(path) and expected in issue.expected


def test_path_of() -> None:
    assert path_of(("shipments", 3, "lines", 2, "sku")) == "shipments[3].lines[2].sku"
    assert path_of(("catalog", 0, "declared", "hs", "US")) == "catalog[0].declared.hs.US"
    assert path_of(()) == ""


# 2. Files that are not maps --------------------------------------------------------------------


def test_a_txt_file_is_not_a_map() -> None:
    issue = _only_issue(FIXTURES / "not_a_map.txt")
    assert (issue.file, issue.location, issue.value) == (
        str(FIXTURES / "not_a_map.txt"),
        "",
        ".txt",
    )
    assert issue.expected == "a deployment map is a .yaml, .yml or .json file"


def test_an_xlsx_passed_as_the_map_points_at_lines_file(tmp_path: Path) -> None:
    path = tmp_path / "lines.xlsx"
    Workbook().save(path)
    issue = _only_issue(path)
    assert (issue.location, issue.value) == ("", ".xlsx")
    assert "lines_file" in issue.expected and ".yaml, .yml or .json" in issue.expected


def test_invalid_yaml_names_the_line() -> None:
    issue = _only_issue(FIXTURES / "invalid_syntax.yaml")
    assert issue.file == str(FIXTURES / "invalid_syntax.yaml") and issue.location == ""
    assert issue.expected.startswith("valid YAML: ")
    assert "line 3" in issue.expected


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text('{"programme": "x",}', encoding="utf-8")
    issue = _only_issue(path)
    assert issue.expected.startswith("valid JSON: ") and "line 1" in issue.expected


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("blank.yaml", "\n  \n"),
        ("comment.yaml", "# nothing yet\n"),
        ("empty.json", ""),
        ("braces.json", "{}"),
    ],
)
def test_an_empty_map(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    issue = _only_issue(path)
    assert (issue.file, issue.location, issue.value) == (str(path), "", "empty")
    assert issue.expected == "a map with programme, catalog, sites and shipments"


def test_an_empty_file() -> None:
    assert (FIXTURES / "empty.yaml").stat().st_size == 0
    issue = _only_issue(FIXTURES / "empty.yaml")
    assert (issue.location, issue.value) == ("", "empty")


def test_a_list_is_not_a_map() -> None:
    issue = _only_issue(FIXTURES / "top_level_list.yaml")
    assert (issue.location, issue.value, issue.expected) == (
        "",
        "list",
        "a mapping at the top level",
    )


def test_a_missing_map(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    issue = _only_issue(path)
    assert (issue.file, issue.location, issue.expected) == (
        str(path),
        "",
        "an existing deployment map file",
    )


def test_duplicate_yaml_keys_are_refused() -> None:
    issue = _only_issue(FIXTURES / "duplicate_keys.yaml")
    assert issue.expected.startswith("valid YAML: duplicate key 'site' (first at line 6)")
    assert "line 7" in issue.expected


def test_duplicate_json_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text('{"programme": "a", "programme": "b"}', encoding="utf-8")
    issue = _only_issue(path)
    assert issue.expected == "valid JSON: duplicate key 'programme'"


def test_a_map_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_bytes("programme: Montréal\n".encode("latin-1"))
    issue = _only_issue(path)
    assert (issue.location, issue.value) == ("line 1, column 17", "byte 0xe9")
    assert issue.expected.startswith("a readable UTF-8 text file (byte 0xe9 cannot be read")


# 3. Lines from a sheet -------------------------------------------------------------------------


def test_csv_rows_are_reported_by_file_row_and_column() -> None:
    sheet = FIXTURES / "csv_bad_rows.csv"
    issues = _issues(FIXTURES / "csv_bad_rows.yaml")
    found = _by_location(issues)
    assert set(found) == {"row 3, column shipment", "row 5, column quantity", "row 6, column sku"}
    assert {i.file for i in issues} == {str(sheet)}
    assert (found["row 3, column shipment"].value, found["row 3, column shipment"].expected) == (
        "'NOPE-9'",
        "the id of a shipment in the map",
    )
    assert found["row 5, column quantity"].value == "'lots'"
    assert "valid integer" in found["row 5, column quantity"].expected
    assert (found["row 6, column sku"].value, found["row 6, column sku"].expected) == (
        "'GPU-404'",
        "the sku of an item in catalog",
    )


def test_a_missing_lines_file() -> None:
    issue = _only_issue(FIXTURES / "missing_lines_file.yaml")  # and no "at least one line" noise
    assert issue.file == str(FIXTURES / "no_such_lines.csv")
    assert (issue.location, issue.expected) == ("", "the lines file named by lines_file to exist")


def test_a_csv_with_wrong_headers() -> None:
    issue = _only_issue(FIXTURES / "wrong_headers.yaml")
    assert issue.file == str(FIXTURES / "wrong_headers.csv")
    assert (issue.location, issue.value) == ("header", "ship, sku, qty")
    assert "shipment, sku, quantity required" in issue.expected


def test_a_csv_naming_a_column_twice(tmp_path: Path) -> None:
    map_path, sheet = _sheet_map(tmp_path, "shipment,sku,quantity,quantity\nSHP-1,SRV-1,2,3\n")
    issue = _only_issue(map_path)
    assert (issue.file, issue.location, issue.value) == (
        str(sheet),
        "header",
        "shipment, sku, quantity, quantity",
    )
    assert "each at most once" in issue.expected


def test_csv_values_outside_the_header_are_reported(tmp_path: Path) -> None:
    map_path, sheet = _sheet_map(
        tmp_path, "shipment,sku,quantity\nSHP-1,SRV-1,2,EXTRA\nSHP-1,SRV-1\n"
    )
    found = _by_location(_issues(map_path))
    assert set(found) == {"row 2, column 4", "row 3, column quantity"}
    assert found["row 2, column 4"].value == "'EXTRA'" and found["row 2, column 4"].file == str(
        sheet
    )
    assert found["row 3, column quantity"].expected == "Field required"


def test_an_unreadable_origin_proof_is_an_error_not_false(tmp_path: Path) -> None:
    map_path, sheet = _sheet_map(
        tmp_path, "shipment,sku,quantity,origin_proof\nSHP-1,SRV-1,2,maybe\n"
    )
    issue = _only_issue(map_path)
    assert (issue.file, issue.location, issue.value) == (
        str(sheet),
        "row 2, column origin_proof",
        "'maybe'",
    )
    assert "valid boolean" in issue.expected


def test_a_tidy_but_padded_csv_fills_an_empty_lines_key(tmp_path: Path) -> None:
    # Spaces around cells, a blank line, ``lines:`` left empty in the map (was a crash).
    csv_text = "shipment , sku , quantity , unit_value , currency , preference , origin_proof\n SHP-1 , SRV-1 , 4 , 990.50 , USD , CUSMA , yes \n\nSHP-2,SRV-1,1,,,,no\n"
    map_path, _ = _sheet_map(tmp_path, csv_text)
    deployment, warnings = read_map(map_path)
    assert warnings == []
    ship1, ship2 = deployment.shipments
    assert [
        (ln.sku, ln.quantity, ln.unit_value, ln.currency, ln.preference, ln.origin_proof)
        for ln in ship1.lines
    ] == [("SRV-1", 4, Decimal("990.50"), "USD", "CUSMA", True)]
    assert [(ln.sku, ln.quantity, ln.origin_proof) for ln in ship2.lines] == [
        ("NIC-1", 8, False),
        ("SRV-1", 1, False),
    ]


def test_a_shipment_with_no_lines_anywhere(tmp_path: Path) -> None:
    map_path, _ = _sheet_map(tmp_path, "shipment,sku,quantity\nSHP-2,SRV-1,1\n")
    issue = _only_issue(map_path)
    assert (issue.file, issue.location, issue.value) == (str(map_path), "shipments[0].lines", "[]")
    assert issue.expected == "at least one line (in the map or in lines_file)"


def _workbook(path: Path, rows: Sequence[Sequence[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Lines"
    for row in rows:
        sheet.append(row)
    book.save(path)


XLSX_HEADER = [
    "shipment",
    "sku",
    "quantity",
    "unit_value",
    "currency",
    "preference",
    "origin_proof",
]


def test_xlsx_rows_are_reported_by_sheet_row(tmp_path: Path) -> None:
    map_path = tmp_path / "map.yaml"
    shutil.copy(FIXTURES / "xlsx_map.yaml", map_path)
    sheet = tmp_path / "lines.xlsx"
    _workbook(
        sheet,
        [
            XLSX_HEADER,
            ["SHP-1", "SRV-1", 4, None, None, None, True],
            [None] * 7,
            ["SHP-1", "GPU-404", "two", -1, "USD", None, None],
        ],
    )
    found = _by_location(_issues(map_path))
    assert set(found) == {
        "sheet 'Lines' row 4, column sku",
        "sheet 'Lines' row 4, column quantity",
        "sheet 'Lines' row 4, column unit_value",
    }
    assert {i.file for i in found.values()} == {str(sheet)}
    assert found["sheet 'Lines' row 4, column sku"].value == "'GPU-404'"
    assert found["sheet 'Lines' row 4, column quantity"].value == "'two'"
    assert found["sheet 'Lines' row 4, column unit_value"].value == "-1"
    assert POSITIVE in found["sheet 'Lines' row 4, column unit_value"].expected


def test_xlsx_good_rows_are_attached(tmp_path: Path) -> None:
    map_path = tmp_path / "map.yaml"
    shutil.copy(FIXTURES / "xlsx_map.yaml", map_path)
    _workbook(
        tmp_path / "lines.xlsx",
        [XLSX_HEADER, ["SHP-1", "SRV-1", 4, 990.5, "USD", None, True], ["SHP-1", "NIC-1", 2]],
    )
    deployment, warnings = read_map(map_path)
    assert warnings == []
    assert [
        (ln.sku, ln.quantity, ln.unit_value, ln.origin_proof)
        for ln in deployment.shipments[0].lines
    ] == [
        ("SRV-1", 4, Decimal("990.5"), True),
        ("NIC-1", 2, None, False),
    ]


def test_xlsx_value_under_a_blank_header(tmp_path: Path) -> None:
    map_path = tmp_path / "map.yaml"
    shutil.copy(FIXTURES / "xlsx_map.yaml", map_path)
    _workbook(
        tmp_path / "lines.xlsx",
        [["shipment", "sku", "quantity", None], ["SHP-1", "SRV-1", 4, "stray"]],
    )
    issue = _only_issue(map_path)
    assert (issue.location, issue.value) == ("sheet 'Lines' row 2, column D", "'stray'")


def test_a_corrupt_xlsx(tmp_path: Path) -> None:
    map_path = tmp_path / "map.yaml"
    shutil.copy(FIXTURES / "xlsx_map.yaml", map_path)
    (tmp_path / "lines.xlsx").write_text("not a workbook", encoding="utf-8")
    issue = _only_issue(map_path)
    assert (issue.file, issue.location) == (str(tmp_path / "lines.xlsx"), "")
    assert issue.expected.startswith("a readable .xlsx file")


# 4. Warnings do not stop planning --------------------------------------------------------------


def test_warnings_are_returned_with_the_deployment() -> None:
    path = FIXTURES / "warnings_only.yaml"
    deployment, warnings = read_map(path)
    assert [s.id for s in deployment.shipments] == ["SHP-LATE", "SHP-JP"]
    assert all(w.severity == "warning" and w.file == str(path) for w in warnings)
    assert [(w.location, w.value, w.expected) for w in warnings] == [
        ("sites[1]", "de-fra1", "a site that some shipment goes to"),
        (
            "shipments[0].ship_date",
            "2027-04-01",
            "a ship date before the site's go-live 2027-03-15",
        ),
        (
            "shipments[1].site",
            "jp-tyo1",
            "an importer of record named for JP in importers_of_record",
        ),
    ]


# 5. The bundled example ------------------------------------------------------------------------


def test_the_example_reads_cleanly_with_its_csv_lines() -> None:
    deployment, warnings = read_map(EXAMPLE)
    assert warnings == []
    assert len(deployment.sites) == 11 and len(deployment.shipments) == 15
    assert sum(len(s.lines) for s in deployment.shipments) == 31
    lines = {s.id: [(ln.sku, ln.quantity) for ln in s.lines] for s in deployment.shipments}
    assert lines["DE-001"] == [
        ("SRV-HGX-H200", 24),
        ("GPU-L40S-PCIE", 32),
        ("OPT-800G-DR8", 384),
        ("CBL-DAC-400G", 256),
    ]
    assert lines["NL-001"] == [
        ("SW-ETH-800G", 16),
        ("PSU-54V-33KW", 48),
        ("OPT-400G-SR4", 512),
        ("RACK-48U", 24),
    ]
    assert lines["SG-001"][-1] == ("OPT-800G-DR8", 128)
    assert lines["JP-001"][-1] == ("OPT-800G-DR8", 256)
    assert lines["US-001"] == [("SRV-HGX-H200", 32), ("NIC-CX7-400G", 64)]  # no CSV rows
    rack = next(s for s in deployment.shipments if s.id == "NL-001").lines[-1]
    assert (rack.unit_value, rack.currency) == (Decimal("2050"), "USD")
    assert next(s for s in deployment.shipments if s.id == "US-001").ship_date == date(2027, 1, 18)


def test_the_example_as_json_reads_the_same(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "example.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    shutil.copy(EXAMPLE.with_name(data["lines_file"]), tmp_path / data["lines_file"])
    from_json, warnings = read_map(tmp_path / "example.json")
    assert warnings == []
    assert from_json == read_map(EXAMPLE)[0]
