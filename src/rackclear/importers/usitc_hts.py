"""USITC Harmonized Tariff Schedule (HTSUS) CSV export: lines with their inherited rates.

More information: https://hts.usitc.gov/ (Export -> CSV). Columns: HTS Number, Indent,
Description, Unit of Quantity, General Rate of Duty, Special Rate of Duty, Column 2 Rate of Duty,
Quota Quantity, Additional Duties. A 10-digit statistical line with no rate takes the rate of the
8-digit subheading above it (USITC prints the rate once, at the rate line).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rackclear.importers.common import ImportFileError, Provenance

_MARKUP = re.compile(r"</?[a-z]+>")  # USITC wraps quantities in <il> ... </il>
HEADER = ("HTS Number", "Indent", "Description", "Unit of Quantity", "General Rate of Duty")


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
    """Yield every 8- and 10-digit line, with descriptions and rates resolved."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header[: len(HEADER)] != HEADER:
            raise ImportFileError(f"{path}: not a USITC HTS CSV export (header {header[:5]!r})")
        stack: list[tuple[int, str]] = []  # (indent, description)
        rate: tuple[str, str] = ("", "")
        for row_number, row in enumerate(reader, start=2):
            if len(row) < 7:
                raise ImportFileError(
                    f"{path}: row {row_number}: {len(row)} columns, expected at least 7"
                )
            number, indent_text, description, unit, general, _special, column2 = row[:7]
            indent = int(indent_text or 0)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, _MARKUP.sub("", description).strip().rstrip(":")))
            digits = number.replace(".", "")
            if len(digits) == 4:
                rate = ("", "")
            if general:
                rate = (general, column2)
            if len(digits) in (8, 10):
                full = " / ".join(d for _, d in stack)
                yield HtsLine(
                    _fmt(number),
                    full,
                    general or rate[0],
                    column2 or rate[1],
                    unit.strip('[]"').replace('""', ""),
                    Provenance(str(path), row_number),
                )
