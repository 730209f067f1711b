"""EU-27 standard VAT rates with their start dates (Duty27 VAT history CSV, CC BY 4.0).
Columns: country_code, country_name, valid_from, standard_rate_pct."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from rackclear.importers.common import ImportFileError, Provenance

HEADER = ["country_code", "country_name", "valid_from", "standard_rate_pct"]


@dataclass(frozen=True, slots=True)
class VatRate:
    country: str
    valid_from: date
    rate: Decimal
    provenance: Provenance


def read_eu_vat(path: str | Path) -> Iterator[VatRate]:
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            raise ImportFileError(f"{path}: expected columns {', '.join(HEADER)}")
        for n, row in enumerate(reader, start=2):
            try:
                yield VatRate(
                    row["country_code"],
                    date.fromisoformat(row["valid_from"]),
                    Decimal(row["standard_rate_pct"]),
                    Provenance(str(path), n),
                )
            except ValueError as exc:
                raise ImportFileError(f"{path}: row {n}: {exc}") from exc
