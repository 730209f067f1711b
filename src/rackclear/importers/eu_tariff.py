"""EU third-country and preferential duty by origin, summarised at HS 6 digits (TARIC as served by
the UK Trade Tariff, XI). Columns: hs6, origin, cn_codes, duty_min, duty_max, basis,
anti_dumping_possible, additional_duty."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rackclear.importers.common import ImportFileError, Provenance, ad_valorem

HEADER = [
    "hs6",
    "origin",
    "cn_codes",
    "duty_min",
    "duty_max",
    "basis",
    "anti_dumping_possible",
    "additional_duty",
]


@dataclass(frozen=True, slots=True)
class EuDuty:
    hs6: str
    origin: str  # "ALL (MFN)" for erga omnes, else ISO code
    cn_codes: int
    duty_min: Decimal | None
    duty_max: Decimal | None
    basis: str
    provenance: Provenance

    @property
    def uniform(self) -> bool:
        return self.duty_min is not None and self.duty_min == self.duty_max


def read_eu_duties(path: str | Path) -> Iterator[EuDuty]:
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            raise ImportFileError(f"{path}: expected columns {', '.join(HEADER)}")
        for n, row in enumerate(reader, start=2):
            yield EuDuty(
                row["hs6"],
                row["origin"],
                int(row["cn_codes"]),
                ad_valorem(row["duty_min"].replace(" %", "%")),
                ad_valorem(row["duty_max"].replace(" %", "%")),
                row["basis"],
                Provenance(str(path), n),
            )
