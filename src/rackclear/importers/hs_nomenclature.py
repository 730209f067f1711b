"""The HS nomenclature as a CSV (columns section, hscode, description, parent, level), e.g. the
UN Comtrade compilation of HS 2022 published as the ``harmonized-system`` data package."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rackclear.importers.common import ImportFileError, Provenance

HEADER = ["section", "hscode", "description", "parent", "level"]


@dataclass(frozen=True, slots=True)
class HsEntry:
    code: str  # 2, 4 or 6 digits
    description: str
    level: int
    provenance: Provenance


def read_hs(path: str | Path) -> Iterator[HsEntry]:
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            raise ImportFileError(f"{path}: expected columns {', '.join(HEADER)}")
        for n, row in enumerate(reader, start=2):
            if row["hscode"] == "TOTAL" or row["hscode"].startswith("99"):
                continue  # the compilation's total and "not specified according to kind" rows
            if not row["hscode"].isdigit() or row["level"] not in ("2", "4", "6"):
                raise ImportFileError(
                    f"{path}: row {n}: hscode {row['hscode']!r} / level {row['level']!r} is not an HS code"
                )
            yield HsEntry(
                row["hscode"], row["description"], int(row["level"]), Provenance(str(path), n)
            )
