"""OFAC's SDN list in its own headerless CSV layout: ``sdn.csv`` (12 columns), ``add.csv``
(6: addresses) and ``alt.csv`` (5: alternate names). ``-0-`` means empty. A header row added by
someone else (its first cell is not an entry number) is skipped: the columns are OFAC's.

More information: https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rackclear.screening.countries import country_code
from rackclear.screening.entries import SDN_LIST, ListEntry, ListInfo
from rackclear.screening.errors import ListFormatError
from rackclear.screening.limits import DEFAULT_LIMITS, ListLimits, row_too_long
from rackclear.screening.normalise import person_name_order
from rackclear.screening.rows import csv_rows, value
from rackclear.screening.versions import file_version

OfacKind = Literal["sdn", "add", "alt"]
WIDTHS: dict[int, OfacKind] = {12: "sdn", 6: "add", 5: "alt"}
SDN_WIDTH = 12
NAME_FIELD = {SDN_WIDTH: 1, 5: 3}  # sdn.csv SDN_Name, alt.csv alt_name
REMARKS = 11
MAX_ENTRY_DIGITS = 12
_AKA = re.compile(r"\b[afn]\.k\.a\.,?\s*'(.+?)'(?=\s*(?:;|\.?\s*$|\.\s))")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([^;.]+)")


@dataclass(frozen=True, slots=True)
class OfacRows:
    """The checked rows of one OFAC file, its layout known."""

    path: Path
    kind: OfacKind
    rows: list[tuple[int, list[str]]]


def read_ofac(path: Path, text: str, limits: ListLimits = DEFAULT_LIMITS) -> OfacRows:
    """Rows of an OFAC file, refused whole if any row has the wrong width or entry number, or a
    field over its limit."""
    rows = list(csv_rows(text, path))
    if rows and not _entry_number(rows[0][1][0]):
        rows = rows[1:]  # a third party's header row
    kind = WIDTHS.get(len(rows[0][1])) if rows else None
    if kind is None:
        raise ListFormatError(
            path, ["not an OFAC sdn.csv, add.csv or alt.csv (12, 6 or 5 columns)"]
        )
    width = len(rows[0][1])
    issues = [_problem(line, fields, width, limits) for line, fields in rows]
    if any(issues):
        raise ListFormatError(path, [i for i in issues if i])
    return OfacRows(path, kind, rows)


def _problem(line: int, fields: list[str], width: int, limits: ListLimits) -> str | None:
    if len(fields) != width:
        return f"row {line}: {len(fields)} fields, expected {width}"
    if not _entry_number(fields[0]):
        return f"row {line}: entry number {fields[0][:40]!r} is not a number"
    name = fields[NAME_FIELD.get(width, 0)]
    if not value(name):
        return f"row {line}: empty name"
    names = [("name", name)] if width in NAME_FIELD else []
    if width == SDN_WIDTH:
        names += [("a.k.a. in remarks", a) for a in _AKA.findall(fields[REMARKS])]
    problem = row_too_long(names, fields, limits)
    return f"row {line}: {problem}" if problem else None


def _entry_number(cell: str) -> bool:
    """OFAC's entry numbers: ASCII digits (``'²'.isdigit()`` is true), at most
    ``MAX_ENTRY_DIGITS`` of them."""
    text = cell.strip()
    return text.isascii() and text.isdigit() and len(text) <= MAX_ENTRY_DIGITS


def sdn_entries(sdn: OfacRows, version: str | None) -> list[ListEntry]:
    """Entries of ``sdn.csv``, with the aliases its Remarks give (``a.k.a. 'NAME'``)."""
    found, origin = file_version(sdn.path, None, version)
    info = ListInfo(SDN_LIST, found, origin, str(sdn.path))
    return [_sdn_entry(line, fields, info) for line, fields in sdn.rows]


def _sdn_entry(line: int, fields: list[str], info: ListInfo) -> ListEntry:
    kind = value(fields[2]).lower() or "entity"
    turn = person_name_order if kind == "individual" else str
    remarks = value(fields[REMARKS])
    nationalities = {country_code(n) for n in _NATIONALITY.findall(remarks)}
    return ListEntry(
        entry_id=f"ofac-sdn:{fields[0].strip()}",
        name=turn(value(fields[1])),
        listed_in=info,
        row=line,
        kind=kind,
        aliases=[turn(a) for a in _AKA.findall(remarks)],
        countries={c for c in nationalities if c},
        programs=[p.strip() for p in value(fields[3]).split("] [") if p.strip()],
    )


def attach(entries: list[ListEntry], extra: OfacRows) -> int:
    """Add ``add.csv`` addresses or ``alt.csv`` names to the SDN entries they number; the number
    of orphaned rows (for an entry no loaded ``sdn.csv`` holds: another release) is returned."""
    by_number = {e.entry_id: e for e in entries if e.entry_id.startswith("ofac-sdn:")}
    orphaned = 0
    for _, fields in extra.rows:
        entry = by_number.get(f"ofac-sdn:{fields[0].strip()}")
        if entry is None:
            orphaned += 1
            continue
        if extra.kind == "alt":
            name = value(fields[3])
            entry.aliases.append(person_name_order(name) if entry.kind == "individual" else name)
        else:
            _add_address(entry, fields)
    return orphaned


def _add_address(entry: ListEntry, fields: list[str]) -> None:
    parts = [value(f) for f in fields[2:5]]
    text = ", ".join(p for p in parts if p)
    if text:
        entry.addresses.append(text)
    code = country_code(parts[2])
    if code:
        entry.countries.add(code)
