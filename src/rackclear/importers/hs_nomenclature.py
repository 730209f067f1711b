"""The HS nomenclature as a CSV (columns section, hscode, description, parent, level), e.g. the
UN Comtrade compilation of HS 2022 published as the ``harmonized-system`` data package."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rackclear.importers.common import Provenance
from rackclear.importers.csv_table import CsvTable, read_table

HEADER = ["section", "hscode", "description", "parent", "level"]
LEVELS = ("2", "4", "6")


@dataclass(frozen=True, slots=True)
class HsEntry:
    code: str  # 2, 4 or 6 digits
    description: str
    level: int
    provenance: Provenance


def read_hs(path: str | Path) -> Iterator[HsEntry]:
    """Every chapter, heading and subheading. The file is read and checked whole first:
    ``RefusedFile`` names every row that fails, and nothing is returned."""
    return iter(hs_entries(read_table(Path(path), layout)))


def hs_entries(table: CsvTable) -> list[HsEntry]:
    """The entries of an HS nomenclature CSV read whole; raises ``RefusedFile``."""
    entries: list[HsEntry] = []
    problems: list[str] = []
    for n, fields in table.rows:
        row = dict(zip(HEADER, fields, strict=True))
        if row["hscode"] == "TOTAL" or row["hscode"].startswith("99"):
            continue  # the compilation's total and "not specified according to kind" rows
        bad = _bad_code(n, row["hscode"], row["level"])
        problems += bad
        if not bad:
            where = Provenance(str(table.file), n)
            entries.append(HsEntry(row["hscode"], row["description"], int(row["level"]), where))
    table.refuse_if_any(problems + table.none_found(len(entries), "HS code"))
    return entries


def layout(header: Sequence[str]) -> str | None:
    """What makes ``header`` not that of an HS nomenclature CSV, or None."""
    return None if list(header) == HEADER else f"expected columns {', '.join(HEADER)}"


def _bad_code(row: int, code: str, level: str) -> list[str]:
    if not (code.isascii() and code.isdigit()) or level not in LEVELS:
        return [
            f"row {row}, column 'hscode': {code!r} / level {level!r} is not an HS code (2, 4 or 6 digits, level 2, 4 or 6)"
        ]
    if len(code) != int(level):
        return [
            f"row {row}, column 'hscode': {code!r} has {len(code)} digits, but its level is {level}"
        ]
    return []
