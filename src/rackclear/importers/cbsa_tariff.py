"""CBSA Customs Tariff distribution (Access table export, CSV): tariff items and their rates
by tariff treatment (MFN, UST, MXT, CPTPT, CEUT ...).

More information: https://www.cbsa-asfc.gc.ca/trade-commerce/tariff-tarif/ . Columns include
TARIFF, EFF_DATE (MM/DD/YY hh:mm:ss), DESC1, UOM, MFN, UST, MXT, ..., General Tariff. A 10-digit
classification number takes its rates from the 8-digit tariff item above it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from rackclear.importers.common import ImportFileError, Provenance

REQUIRED = ("TARIFF", "EFF_DATE", "DESC1", "MFN", "UST", "MXT")


@dataclass(frozen=True, slots=True)
class CbsaItem:
    code: str  # 8471.50.00 (tariff item) or 8471.50.00.90 (classification number)
    effective: date
    description: str
    rates: dict[str, str] = field(default_factory=dict)  # treatment -> "Free" / "6%" (inherited)
    provenance: Provenance = field(default_factory=lambda: Provenance("", 0))


def _date(text: str, path: Path, row: int) -> date:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%y %H:%M:%S").date()
    except ValueError as exc:
        raise ImportFileError(
            f"{path}: row {row}: EFF_DATE {text!r} is not MM/DD/YY hh:mm:ss"
        ) from exc


def read_cbsa(path: str | Path) -> Iterator[CbsaItem]:
    """Yield every tariff item (8 digits) and classification number (10 digits)."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFileError(
                f"{path}: not a CBSA tariff export (missing {', '.join(missing)})"
            )
        treatments = [
            c
            for c in (reader.fieldnames or [])
            if c
            not in (
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
        ]
        parent: dict[str, str] = {}
        for row_number, row in enumerate(reader, start=2):
            code = row["TARIFF"].strip()
            digits = code.replace(".", "")
            if len(digits) not in (8, 10):
                continue
            own = {t: row[t].strip() for t in treatments if (row.get(t) or "").strip()}
            if len(digits) == 8:
                parent = own
                rates = own
            else:
                rates = {**parent, **own}
            yield CbsaItem(
                code,
                _date(row["EFF_DATE"], path, row_number),
                row["DESC1"].strip(),
                rates,
                Provenance(str(path), row_number),
            )
