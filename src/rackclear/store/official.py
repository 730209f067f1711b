"""The lines of an official tariff file (``us-hts``, ``ca-tariff``, ``hs``) as the store keeps
them. The file is read and checked whole, once (its SHA-256 is that of the bytes read), before
the store is touched; ``RefusedFile`` names every row that fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rackclear.importers import cbsa_tariff, hs_nomenclature, usitc_hts
from rackclear.importers.common import RefusedFile
from rackclear.importers.csv_table import CsvTable, Layout, read_table

Line = tuple[str, str, dict[str, str], str | None, int]  # code, description, rates, effective, row


@dataclass(frozen=True, slots=True)
class OfficialFile:
    sha256: str
    lines: list[Line]


def read_official(source: str, file: Path) -> OfficialFile:
    """The SHA-256 and lines of ``file`` read as ``source``; raises ``ImportFileError``."""
    layout, lines_of = _READERS[source]
    table = read_table(file, layout)
    lines = lines_of(table)
    _refuse_repeats(file, lines)
    return OfficialFile(table.sha256, lines)


def _hts(table: CsvTable) -> list[Line]:
    return [
        (
            x.code,
            x.description,
            {"general": x.general, "column2": x.column2},
            None,
            x.provenance.row,
        )
        for x in usitc_hts.hts_lines(table)
    ]


def _cbsa(table: CsvTable) -> list[Line]:
    return [
        (x.code, x.description, x.rates, x.effective.isoformat(), x.provenance.row)
        for x in cbsa_tariff.cbsa_items(table)
    ]


def _hs(table: CsvTable) -> list[Line]:
    return [
        (x.code, x.description, {}, None, x.provenance.row)
        for x in hs_nomenclature.hs_entries(table)
    ]


_READERS: dict[str, tuple[Layout, Callable[[CsvTable], list[Line]]]] = {
    "us-hts": (usitc_hts.layout, _hts),
    "ca-tariff": (cbsa_tariff.layout, _cbsa),
    "hs": (hs_nomenclature.layout, _hs),
}


def digits(code: str) -> str:
    """The digits of a code: ``8471.50.0150`` -> ``8471500150``."""
    return "".join(ch for ch in code if ch.isdigit())


def _refuse_repeats(file: Path, lines: list[Line]) -> None:
    """A code given twice would silently replace the first: refused, named at the later row."""
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for code, _, _, _, row in lines:
        seen = first.setdefault(digits(code), (code, row))
        if seen[1] != row:
            problems.append(f"row {row}: {code} is also at row {seen[1]} ({seen[0]})")
    if problems:
        raise RefusedFile(file, problems)
