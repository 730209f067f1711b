"""Read a lines sheet (CSV or XLSX) into labelled rows, reporting every problem by row and column.

A CSV is decoded strictly (UTF-8, a BOM allowed, unless an encoding is given); an XLSX is read by
``xlsx_reader`` (exact numbers, no trust in ``<dimension>``, bounded). Both are refused past the
limits in ``ReadLimits``. A problem's text never quotes the file beyond the cell it concerns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from rackclear.io.limits import DEFAULT_LIMITS, ReadLimits, Refused, over_limit
from rackclear.io.map_issues import MapIssue
from rackclear.io.safe_paths import read_bounded
from rackclear.io.text_input import Undecodable, decode_text
from rackclear.io.xlsx_reader import column_letter, read_xlsx

LINE_COLUMNS = (
    "shipment",
    "sku",
    "quantity",
    "unit_value",
    "currency",
    "preference",
    "origin_proof",
)
REQUIRED = ("shipment", "sku", "quantity")
Rows = list[tuple[str, dict[str, Any]]]


def show(value: Any) -> str:
    """A value as a problem quotes it, in the map's own terms: text quoted, numbers and dates
    as written, ``true``/``false``, ``nothing`` for an empty value, at most 80 characters.

    >>> show("boat"), show(date(9999, 12, 31)), show(True), show(None), show([1, 2])
    ("'boat'", '9999-12-31', 'true', 'nothing', 'a list')
    """
    if isinstance(value, dict | list):
        text = "a mapping" if isinstance(value, dict) else "a list"
    elif value is None:
        text = "nothing"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row(
    file: str, label: str, header: list[str], cells: list[Any], column: Callable[[int], str]
) -> tuple[dict[str, Any], list[MapIssue]]:
    """The row's cells by column name; a value under no column name is reported, not dropped."""
    row: dict[str, Any] = {}
    stray: list[MapIssue] = []
    for i, value in enumerate(cells):
        name = header[i] if i < len(header) else ""
        if name:
            row[name] = value.strip() if isinstance(value, str) else value
        elif not _blank(value):
            expected = "a value only under a named column of the header"
            stray.append(MapIssue(file, f"{label}, column {column(i)}", show(value), expected))
    return row, stray


def _csv_place(text: str) -> str:
    """``row N, column C`` of the end of ``text`` (the place of the first unreadable byte)."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or text.endswith(("\n", "\r")):
        return f"row {len(records) + 1}, column 1"
    return f"row {len(records)}, column {max(len(records[-1]), 1)}"


def _csv_text(path: Path, limits: ReadLimits, encoding: str | None) -> str:
    data = read_bounded(path, limits.max_lines_file_bytes, "max_lines_file_bytes")
    try:
        return decode_text(data, encoding)
    except Undecodable as bad:
        bad.location = _csv_place(decode_text(data[: bad.offset], encoding))
        raise


def _csv_records(path: Path, limits: ReadLimits, encoding: str | None) -> Iterable[list[Any]]:
    reader = csv.reader(io.StringIO(_csv_text(path, limits, encoding), newline=""))
    try:
        for cells in reader:
            if len(cells) > limits.max_columns:
                what = over_limit("a lines sheet", limits.max_columns, "max_columns", " columns")
                raise Refused(what, f"{len(cells):,} columns", f"row {reader.line_num}")
            if reader.line_num > limits.max_rows:
                what = over_limit("a lines sheet", limits.max_rows, "max_rows", " rows")
                raise Refused(what, "", f"row {reader.line_num}")
            yield cells
    except csv.Error as exc:
        raise Refused(f"a well-formed CSV row ({exc})", "", f"row {reader.line_num}") from None


def _csv_rows(
    path: Path, limits: ReadLimits, encoding: str | None
) -> tuple[list[str], list[tuple[str, list[Any]]], Callable[[int], str]]:
    records = enumerate(_csv_records(path, limits, encoding), start=1)
    header: list[str] = []
    rows: list[tuple[str, list[Any]]] = []
    for n, cells in records:
        if n == 1:
            header = [str(h).strip() for h in cells]
        elif any(not _blank(c) for c in cells):
            rows.append((f"row {n}", cells))
    return header, rows, lambda i: str(i + 1)


def _xlsx_rows(
    path: Path, file: str, limits: ReadLimits, problems: list[MapIssue]
) -> tuple[list[str], list[tuple[str, list[Any]]], Callable[[int], str]]:
    sheet = read_xlsx(path, limits)
    problems.extend(MapIssue.refused(file, p) for p in sheet.problems)
    as_lists = [
        (number, [cells.get(c) for c in range(1, max(cells) + 1)]) for number, cells in sheet.rows
    ]
    header = [str(h).strip() if h is not None else "" for h in as_lists[0][1]] if as_lists else []
    rows = [(f"sheet {sheet.title!r} row {n}", cells) for n, cells in as_lists[1:]]
    return header, rows, lambda i: column_letter(i + 1)


def _header_problem(file: str, header: list[str]) -> MapIssue | None:
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in LINE_COLUMNS]
    twice = [c for c in header if c and header.count(c) > 1]
    if not (missing or unknown or twice):
        return None
    expected = (
        f"columns {', '.join(LINE_COLUMNS)} (shipment, sku, quantity required; each at most once)"
    )
    found = ", ".join(header)
    return MapIssue(file, "header", found if len(found) <= 80 else found[:77] + "...", expected)


def read_sheet(
    path: Path,
    limits: ReadLimits = DEFAULT_LIMITS,
    encoding: str | None = None,
    name: str | None = None,
) -> tuple[Rows, list[MapIssue]]:
    """The rows of a lines sheet as (label, row) pairs, and its problems (none when it is clean).

    ``name`` is how problems name the file (default ``path``)."""
    file = name or str(path)
    suffix = Path(file).suffix.lower()  # as the map names it (a symlink may be named otherwise)
    problems: list[MapIssue] = []
    try:
        if suffix == ".csv":
            header, raw, column = _csv_rows(path, limits, encoding)
        elif suffix == ".xlsx":
            header, raw, column = _xlsx_rows(path, file, limits, problems)
        else:
            return [], [MapIssue(file, "", Path(file).suffix, "a lines sheet is .xlsx or .csv")]
    except FileNotFoundError:
        return [], [MapIssue(file, "", "", "the lines file named by lines_file to exist")]
    except Refused as refusal:
        return [], [*problems, MapIssue.refused(file, refusal)]
    wrong = _header_problem(file, header)
    if wrong:
        return [], [*problems, wrong]
    rows: Rows = []
    for label, cells in raw:
        row, stray = _row(file, label, header, cells, column)
        rows.append((label, row))
        problems.extend(stray)
    return rows, problems
