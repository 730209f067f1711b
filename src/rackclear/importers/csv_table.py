"""An official CSV file read whole and strictly, before anything is imported from it.

The file must be UTF-8 (a BOM is allowed) and well-formed CSV (``strict`` quoting, so a file cut
inside a quoted field is caught). It needs a header in the importer's layout and at least one data
row. Every record must have as many fields as the header (a truncated row is caught). A row is
the CSV record, and the header is row 1. Rows that fail are kept out of ``rows`` and named in
``problems``. The importer adds its own problems and refuses the file once
(``CsvTable.refuse_if_any``). See docs/tariff-store.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rackclear.importers.common import ImportFileError, RefusedFile

Layout = Callable[[Sequence[str]], str | None]  # what is wrong with a header, or None
Record = tuple[int, int, list[str]]  # (row, its first line, fields)
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, kept by surrogateescape
_ROW = re.compile(r"row (\d+)")


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file's header and its whole, decoded data rows, ``(row, fields)``. ``problems``
    names the rows that were left out, and ``data_rows`` counts every row that is not blank."""

    file: Path
    sha256: str
    header: tuple[str, ...]
    rows: list[tuple[int, list[str]]]
    data_rows: int
    problems: list[str] = field(default_factory=list)

    def refuse_if_any(self, problems: Sequence[str]) -> None:
        """Raises ``RefusedFile`` with the table's problems and ``problems``, in row order."""
        found = sorted([*self.problems, *problems], key=_row_of)
        if found:
            raise RefusedFile(self.file, found)

    def none_found(self, count: int, what: str) -> list[str]:
        """A problem when the data rows gave no ``what`` at all (an import of 0 lines)."""
        return [] if count else [f"no {what} in the {self.data_rows:,} data row(s)"]


def read_table(path: Path, layout: Layout) -> CsvTable:
    """Reads ``path`` whole. Raises ``ImportFileError`` when it is empty or malformed, when its
    header is not in ``layout``, or when it has no data row."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    records = _records(path, data.decode("utf-8-sig", errors="surrogateescape"))
    header = _header(path, records, layout)
    filled = [r for r in records[1:] if any(f.strip() for f in r[2])]  # blank lines are no rows
    if not filled:
        raise RefusedFile(path, ["no data rows after the header (row 1)"])
    rows, problems = _whole(filled, header)
    return CsvTable(
        path, hashlib.sha256(data).hexdigest(), tuple(header), rows, len(filled), problems
    )


def _records(path: Path, text: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[Record] = []
    last = 0  # the line the previous record ended on
    try:
        for fields in reader:
            records.append((len(records) + 1, last + 1, fields))
            last = reader.line_num
    except csv.Error as exc:
        raise RefusedFile(path, [_malformed(text, len(records) + 1, last + 1, exc)]) from None
    return records


def _malformed(text: str, row: int, line: int, exc: csv.Error) -> str:
    """Why the CSV could not be parsed: a byte that is not UTF-8 (e.g. UTF-16), or bad CSV."""
    bad = _NOT_UTF8.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        return f"line {line}: {_byte(bad.group())}; save the file as UTF-8"
    return f"row {row} (from line {line}): {exc} (a truncated file, or a quote that is not closed)"


def _header(path: Path, records: list[Record], layout: Layout) -> list[str]:
    if not records:
        raise RefusedFile(path, ["no header: the file is empty"])
    header = records[0][2]
    bad = _bad_bytes(records[0], header)
    if bad:
        raise RefusedFile(path, bad)
    wrong = layout(header)
    if wrong is not None:
        raise ImportFileError(f"{path}: {wrong}")
    return header


def _whole(
    records: list[Record], header: Sequence[str]
) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The records that are whole and decoded, and what is wrong with the others."""
    rows: list[tuple[int, list[str]]] = []
    problems: list[str] = []
    for record in records:
        found = _bad_bytes(record, header) + _width(record[0], record[2], len(header))
        problems.extend(found)
        if not found:
            rows.append((record[0], record[2]))
    return rows, problems


def _bad_bytes(record: Record, header: Sequence[str]) -> list[str]:
    """The first byte that is not UTF-8 in a record, named by row and column."""
    row, line, fields = record
    for i, text in enumerate(fields):
        if bad := _NOT_UTF8.search(text):
            column = repr(header[i]) if i < len(header) else f"field {i + 1}"
            return [
                f"row {row}, column {column}: {_byte(bad.group())} (the row starts on line {line}); save the file as UTF-8"
            ]
    return []


def _byte(escaped: str) -> str:
    return f"byte 0x{ord(escaped) - 0xDC00:02x} is not UTF-8"


def _width(row: int, fields: Sequence[str], width: int) -> list[str]:
    if len(fields) == width:
        return []
    short = " (a truncated row)" if len(fields) < width else ""
    return [f"row {row}: {len(fields)} field(s), but the header has {width}{short}"]


def _row_of(problem: str) -> int:
    found = _ROW.match(problem)
    return int(found.group(1)) if found else 1 << 62
