"""USITC Harmonized Tariff Schedule (HTSUS) CSV export: lines with their inherited rates.

More information: https://hts.usitc.gov/ (Export -> CSV). Columns: HTS Number, Indent,
Description, Unit of Quantity, General Rate of Duty, Special Rate of Duty, Column 2 Rate of Duty,
Quota Quantity, Additional Duties. A 10-digit statistical line with no rate takes the rate of the
8-digit subheading above it (USITC prints the rate once, at the rate line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rackclear.importers.common import Provenance
from rackclear.importers.csv_table import CsvTable, read_table

_MARKUP = re.compile(r"</?[a-z]+>")  # USITC wraps quantities in <il> ... </il>
_NUMBER = re.compile(r"\d{4}(?:\.?\d{2}){0,3}")  # 8471, 8471.50, 8471.50.01, 8471.50.01.50
HEADER = ("HTS Number", "Indent", "Description", "Unit of Quantity", "General Rate of Duty")
WIDTH = 7  # ... Special Rate of Duty, Column 2 Rate of Duty


@dataclass(frozen=True, slots=True)
class HtsLine:
    code: str  # 8471.50.0150 (10 digits) or 8471.50.01 (8 digits)
    description: str  # the full description, parents joined with " / "
    general: str  # as printed, inherited from the rate line where the row has none
    column2: str
    unit: str
    provenance: Provenance

    @property
    def is_statistical(self) -> bool:
        return len(self.code.replace(".", "")) == 10


def _fmt(number: str) -> str:
    digits = number.replace(".", "")
    if len(digits) == 10:
        return f"{digits[:4]}.{digits[4:6]}.{digits[6:10]}"
    if len(digits) == 8:
        return f"{digits[:4]}.{digits[4:6]}.{digits[6:8]}"
    return number


def read_hts(path: str | Path) -> Iterator[HtsLine]:
    """Every 8- and 10-digit line, with descriptions and rates resolved. The file is read and
    checked whole first: ``RefusedFile`` names every row that fails, and nothing is returned."""
    return iter(hts_lines(read_table(Path(path), layout)))


def hts_lines(table: CsvTable) -> list[HtsLine]:
    """The lines of a USITC HTS CSV export read whole; raises ``RefusedFile``."""
    reader = _Reader(str(table.file))
    for number, row in table.rows:
        reader.read(number, row)
    table.refuse_if_any(
        reader.problems + table.none_found(len(reader.lines), "8- or 10-digit line")
    )
    return reader.lines


def layout(header: Sequence[str]) -> str | None:
    """What makes ``header`` not that of a USITC HTS CSV export, or None."""
    if tuple(header[: len(HEADER)]) == HEADER and len(header) >= WIDTH:
        return None
    return f"not a USITC HTS CSV export (header {tuple(header[:5])!r})"


class _Reader:
    """Reads the rows in order: the descriptions above a line, and the rate it inherits."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.stack: list[tuple[int, str]] = []  # (indent, description)
        self.rate: tuple[str, str] = ("", "")
        self.lines: list[HtsLine] = []
        self.problems: list[str] = []

    def read(self, row: int, fields: Sequence[str]) -> None:
        number, indent_text, description, unit, general, _special, column2 = fields[:WIDTH]
        bad = _bad_number(row, number) + _bad_indent(row, indent_text)
        if bad:
            self.problems += bad
            return
        self._describe(int(indent_text or 0), description)
        digits = number.replace(".", "")
        if len(digits) == 4:
            self.rate = ("", "")
        if general:
            self.rate = (general, column2)
        if len(digits) in (8, 10):
            self.lines.append(self._line(number, unit, general, column2, row))

    def _describe(self, indent: int, description: str) -> None:
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        self.stack.append((indent, _MARKUP.sub("", description).strip().rstrip(":")))

    def _line(self, number: str, unit: str, general: str, column2: str, row: int) -> HtsLine:
        return HtsLine(
            _fmt(number),
            " / ".join(d for _, d in self.stack),
            general or self.rate[0],
            column2 or self.rate[1],
            unit.strip('[]"').replace('""', ""),
            Provenance(self.file, row),
        )


def _bad_number(row: int, number: str) -> list[str]:
    if not number or _NUMBER.fullmatch(number):
        return []
    return [
        f"row {row}, column 'HTS Number': {number!r} is not an HTS heading, subheading or line (4 to 10 digits, such as 8471.50.01.50)"
    ]


def _bad_indent(row: int, text: str) -> list[str]:
    if not text or (text.isascii() and text.isdigit()):
        return []
    return [f"row {row}, column 'Indent': {text!r} is not a number (the indent, 0 or more)"]
