"""CBSA Customs Tariff distribution (Access table export, CSV): tariff items and their rates
by tariff treatment (MFN, UST, MXT, CPTPT, CEUT ...).

More information: https://www.cbsa-asfc.gc.ca/trade-commerce/tariff-tarif/ . Columns include
TARIFF, EFF_DATE (MM/DD/YY hh:mm:ss), DESC1, UOM, MFN, UST, MXT, ..., General Tariff. A 10-digit
classification number takes its rates from the 8-digit tariff item above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from rackclear.importers.common import Provenance
from rackclear.importers.csv_table import CsvTable, read_table

REQUIRED = ("TARIFF", "EFF_DATE", "DESC1", "MFN", "UST", "MXT")
NOT_TREATMENTS = frozenset(
    (
        "TARIFF",
        "EFF_DATE",
        "CHANGE",
        "SUB_CHAP",
        "DESC1",
        "DESC2",
        "DESC3",
        "FOOTNOTE",
        "UOM",
        "row_id",
    )
)
_CODE = re.compile(r"\d{2}(?:\.?\d){0,8}")  # 84.71, 8471.4, 8471.50.00, 8471.50.00.90


@dataclass(frozen=True, slots=True)
class CbsaItem:
    code: str  # 8471.50.00 (tariff item) or 8471.50.00.90 (classification number)
    effective: date
    description: str
    rates: dict[str, str] = field(default_factory=dict)  # treatment -> "Free" / "6%" (inherited)
    provenance: Provenance = field(default_factory=lambda: Provenance("", 0))


def read_cbsa(path: str | Path) -> Iterator[CbsaItem]:
    """Every tariff item (8 digits) and classification number (10 digits). The file is read and
    checked whole first: ``RefusedFile`` names every row that fails, and nothing is returned."""
    return iter(cbsa_items(read_table(Path(path), layout)))


def cbsa_items(table: CsvTable) -> list[CbsaItem]:
    """The items of a CBSA tariff export read whole; raises ``RefusedFile``."""
    reader = _Reader(str(table.file), [c for c in table.header if c not in NOT_TREATMENTS])
    for number, fields in table.rows:
        reader.read(number, dict(zip(table.header, fields, strict=True)))
    found = table.none_found(len(reader.items), "tariff item or classification number")
    table.refuse_if_any(reader.problems + found)
    return reader.items


def layout(header: Sequence[str]) -> str | None:
    """What makes ``header`` not that of a CBSA tariff export, or None."""
    missing = [c for c in REQUIRED if c not in header]
    return f"not a CBSA tariff export (missing {', '.join(missing)})" if missing else None


class _Reader:
    """Reads the rows in order; a classification number takes the rates of the item above it."""

    def __init__(self, file: str, treatments: list[str]) -> None:
        self.file, self.treatments = file, treatments
        self.parent: dict[str, str] = {}
        self.items: list[CbsaItem] = []
        self.problems: list[str] = []

    def read(self, number: int, row: dict[str, str]) -> None:
        code = row["TARIFF"].strip()
        own = {t: row[t].strip() for t in self.treatments if row[t].strip()}
        if self._bad_code(number, code, own):
            return
        digits = code.replace(".", "")
        if len(digits) not in (8, 10):
            return  # a chapter, heading or subheading, or a grouping line
        if len(digits) == 8:
            self.parent = own
        when = self._date(number, row["EFF_DATE"])
        if when is not None:
            rates = own if len(digits) == 8 else {**self.parent, **own}
            where = Provenance(self.file, number)
            self.items.append(CbsaItem(code, when, row["DESC1"].strip(), rates, where))

    def _bad_code(self, number: int, code: str, rates: dict[str, str]) -> bool:
        if (not code and not rates) or _CODE.fullmatch(code):
            return not code
        why = "has rates but no tariff code" if not code else "is not a CBSA tariff code"
        self.problems.append(
            f"row {number}, column 'TARIFF': {code!r} {why} (2 to 10 digits with dots, such as 8471.50.00.90)"
        )
        return True

    def _date(self, number: int, text: str) -> date | None:
        try:
            return datetime.strptime(text.strip(), "%m/%d/%y %H:%M:%S").date()
        except ValueError:
            self.problems.append(
                f"row {number}, column 'EFF_DATE': {text!r} is not MM/DD/YY hh:mm:ss"
            )
            return None
