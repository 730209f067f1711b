"""Read the first worksheet of an XLSX workbook as rows of exact values, within limits.

The workbook's XML is read directly, in a stream, so that:

- the sheet's ``<dimension>`` is never trusted: rows and columns are those of the cells present;
- a cell beyond ``max_rows``/``max_columns`` (say XFD1048576) is refused at once, never allocated;
- a workbook whose parts would inflate past ``max_xlsx_uncompressed_bytes``, or by more than
  ``max_xlsx_ratio`` to one (a zip bomb), is refused before anything is inflated, as is a
  shared-strings part over ``max_shared_strings_bytes``; a part with a DTD is refused;
- numbers are ``int`` or ``Decimal`` from the cell's text, never binary floats;
- a formula without a cached value, or a spreadsheet error such as ``#REF!``, is a problem named
  by its cell, not an empty cell.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, iterparse

from rackclear.io.limits import DEFAULT_LIMITS, MIB, ReadLimits, Refused, over_limit
from rackclear.io.safe_paths import check_regular

REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
INTEGER = re.compile(r"[-+]?[0-9]+")
MAX_CELL_PROBLEMS = 100


@dataclass(slots=True)
class Sheet:
    """The rows of a worksheet: ``(row number, {column number: value})``, and cell problems."""

    title: str
    rows: list[tuple[int, dict[int, Any]]] = field(default_factory=list)
    problems: list[Refused] = field(default_factory=list)


def column_letter(number: int) -> str:
    """The letters of a 1-based column number.

    >>> column_letter(1), column_letter(28), column_letter(16384)
    ('A', 'AB', 'XFD')
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_bomb(book: zipfile.ZipFile, limits: ReadLimits) -> None:
    members = book.infolist()
    total = sum(m.file_size for m in members)
    if total > limits.max_xlsx_uncompressed_bytes:
        what = over_limit(
            "a workbook",
            limits.max_xlsx_uncompressed_bytes,
            "max_xlsx_uncompressed_bytes",
            " bytes uncompressed",
        )
        raise Refused(what, f"{total:,} bytes uncompressed")
    for m in members:
        ratio = m.file_size // max(m.compress_size, 1)
        if m.file_size > MIB and ratio > limits.max_xlsx_ratio:
            what = over_limit(
                "a workbook part compressed", limits.max_xlsx_ratio, "max_xlsx_ratio", " to 1"
            )
            raise Refused(what, f"{m.filename} compressed {ratio:,} to 1")


def _open_part(book: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A workbook part, refused when it declares a DTD (entities could expand without bound)."""
    try:
        with book.open(name) as head:
            start = head.read(4096)
    except KeyError:
        raise Refused(f"a workbook with its part {name}") from None
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise Refused(f"a workbook part without a DTD ({name} declares one)")
    return book.open(name)


def _elements(book: zipfile.ZipFile, name: str) -> Iterator[tuple[str, Element]]:
    with _open_part(book, name) as part:
        try:
            yield from iterparse(part, events=("start", "end"))
        except ParseError as exc:
            raise Refused(f"a workbook whose part {name} is well-formed XML ({exc})") from None


def _rels(book: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target path in the zip) of the part ``name``."""
    folder, base = posixpath.split(name)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in book.namelist():
        return {}
    out: dict[str, tuple[str, str]] = {}
    for event, elem in _elements(book, rels_name):
        if event == "end" and _local(elem.tag) == "Relationship":
            target = elem.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out[elem.get("Id", "")] = (elem.get("Type", ""), posixpath.normpath(path))
    return out


def _workbook_part(book: zipfile.ZipFile) -> str:
    for kind, target in _rels(book, "").values():
        if kind.endswith("/officeDocument"):
            return target
    return "xl/workbook.xml"


def _first_sheet(book: zipfile.ZipFile, workbook: str) -> tuple[str, str]:
    """(title, part name) of the workbook's first worksheet."""
    rels = _rels(book, workbook)
    for event, elem in _elements(book, workbook):
        if event == "end" and _local(elem.tag) == "sheet":
            kind, target = rels.get(elem.get(REL_ID, ""), ("", ""))
            if kind.endswith("/worksheet"):
                return elem.get("name", ""), target
    raise Refused("a workbook with at least one worksheet")


def _shared_strings(book: zipfile.ZipFile, workbook: str, limits: ReadLimits) -> list[str]:
    name = next((t for k, t in _rels(book, workbook).values() if k.endswith("/sharedStrings")), "")
    if not name or name not in book.namelist():
        return []
    size = book.getinfo(name).file_size
    if size > limits.max_shared_strings_bytes:
        what = over_limit(
            "shared strings", limits.max_shared_strings_bytes, "max_shared_strings_bytes", " bytes"
        )
        raise Refused(what, f"{size:,} bytes")
    strings: list[str] = []
    for event, elem in _elements(book, name):
        if event == "end" and _local(elem.tag) == "si":
            strings.append(_text_of(elem))
            elem.clear()
    return strings


def _text_of(elem: Element) -> str:
    """The text of a string item: its ``t`` runs, phonetic guides (``rPh``) left out."""
    parts: list[str] = []
    for child in elem:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


@dataclass(slots=True)
class _Cursor:
    """Where the stream is: the current row and the last column read in it."""

    row: int = 0
    column: int = 0
    cells: dict[int, Any] = field(default_factory=dict)


def _place(elem: Element, cursor: _Cursor, title: str, limits: ReadLimits) -> tuple[int, str]:
    """The cell's column number and its label; refused when it lies beyond the limits."""
    ref = elem.get("r")
    match = CELL_REF.fullmatch(ref) if ref else None
    column = _column_number(match.group(1)) if match else cursor.column + 1
    row = int(match.group(2)) if match else cursor.row
    label = f"sheet {title!r} cell {column_letter(column) if column <= 16384 else ref}{row}"
    if column > limits.max_columns:
        raise Refused(
            over_limit("a lines sheet", limits.max_columns, "max_columns", " columns"),
            ref or "",
            label,
        )
    if row > limits.max_rows:
        raise Refused(
            over_limit("a lines sheet", limits.max_rows, "max_rows", " rows"), ref or "", label
        )
    return column, label


def _number(text: str) -> int | Decimal:
    if INTEGER.fullmatch(text):
        return int(text)
    number = Decimal(text)  # InvalidOperation is reported by the caller
    return number


def _value(elem: Element, strings: list[str]) -> Any:
    """The cell's value as written; raises ``Refused`` for what is no value."""
    kind = elem.get("t", "n")
    parts = {_local(child.tag): child for child in elem}
    text = parts["v"].text if "v" in parts else None
    if "f" in parts and text is None:
        formula = (parts["f"].text or "")[:77]
        raise Refused(
            "a value, not a formula without a cached value (recalculate and save the workbook, or type the value)",
            f"={formula}",
        )
    if kind == "inlineStr":
        return _text_of(parts["is"]) if "is" in parts else None
    if text is None:
        return None
    if kind == "s":
        index = int(text) if text.strip().isdigit() else -1
        if not 0 <= index < len(strings):
            raise Refused("a shared string that the workbook holds", f"string #{text.strip()}")
        return strings[index]
    if kind == "b":
        return {"1": True, "0": False}.get(text.strip(), text)
    if kind == "e":
        raise Refused("a value, not a spreadsheet error", text)
    if kind in ("str", "d"):
        return text
    try:
        return _number(text.strip())
    except InvalidOperation:
        raise Refused("a number, as the cell's type says", repr(text[:77])) from None


def _read_cell(
    elem: Element, cursor: _Cursor, sheet: Sheet, strings: list[str], limits: ReadLimits
) -> None:
    column, label = _place(elem, cursor, sheet.title, limits)
    cursor.column = column
    try:
        value = _value(elem, strings)
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            what = over_limit("a cell", limits.max_cell_chars, "max_cell_chars", " characters")
            raise Refused(what, f"{len(value):,} characters")
    except Refused as problem:
        problem.location = label
        if len(sheet.problems) < MAX_CELL_PROBLEMS:
            sheet.problems.append(problem)
        return
    if value is not None and value != "":
        cursor.cells[column] = value


def _start_row(elem: Element, cursor: _Cursor) -> None:
    """A new row: its number is written, or follows the last (cells are checked on their own)."""
    number = elem.get("r", "")
    cursor.row = int(number) if number.isdigit() else cursor.row + 1
    cursor.column, cursor.cells = 0, {}


def _read_rows(
    book: zipfile.ZipFile, part: str, sheet: Sheet, strings: list[str], limits: ReadLimits
) -> None:
    cursor = _Cursor()
    for event, elem in _elements(book, part):
        tag = _local(elem.tag)
        if event == "start" and tag == "row":
            _start_row(elem, cursor)
        elif event == "end" and tag == "c":
            _read_cell(elem, cursor, sheet, strings, limits)
            elem.clear()
        elif event == "end" and tag == "row":
            if cursor.cells:
                sheet.rows.append((cursor.row, cursor.cells))
            cursor.cells = {}
            elem.clear()


def read_xlsx(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Sheet:
    """The first worksheet of the workbook at ``path``; raises ``Refused`` for what it cannot read."""
    check_regular(path, limits.max_lines_file_bytes, "max_lines_file_bytes")
    try:
        with zipfile.ZipFile(path) as book:
            _check_bomb(book, limits)
            workbook = _workbook_part(book)
            title, part = _first_sheet(book, workbook)
            strings = _shared_strings(book, workbook, limits)
            sheet = Sheet(title)
            _read_rows(book, part, sheet, strings, limits)
            return sheet
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        EOFError,
        OSError,
    ) as exc:
        raise Refused(
            f"a readable .xlsx file (an XLSX workbook is a zip archive: {exc.__class__.__name__})"
        ) from None
