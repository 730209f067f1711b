"""Dated mappings from a product family to a national tariff line, optionally conditioned on
specs (``watts>500``). They carry their own citations, like every other rule value."""

from __future__ import annotations

import csv
import io
import operator
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rackclear.domain.citations import Citation
from rackclear.domain.grades import is_firm
from rackclear.rulebook.cells import evidence_cells
from rackclear.rulebook.errors import PackError
from rackclear.rulebook.lookup import check_order

COLUMNS = (
    "family",
    "condition",
    "line",
    "from",
    "until",
    "reference",
    "source",
    "url",
    "read",
    "grade",
    "note",
)
_CONDITION = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(<=|>=|!=|<|>|=)\s*([A-Za-z0-9_.\-]+)\s*$")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "=": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    op: str
    value: str

    def holds(self, specs: dict[str, Any]) -> bool | None:
        """True/False, or None when the spec is missing (undecided)."""
        if self.key not in specs:
            return None
        got = specs[self.key]
        try:
            return _OPS[self.op](Decimal(str(got)), Decimal(self.value))
        except InvalidOperation:
            return (
                _OPS[self.op](str(got).strip().lower(), self.value.strip().lower())
                if self.op in ("=", "!=")
                else False
            )

    def __str__(self) -> str:
        return f"{self.key} {self.op} {self.value}"


@dataclass(frozen=True, slots=True)
class NationalLine:
    family: str
    conditions: tuple[Condition, ...]
    line: str
    citation: Citation
    note: str | None

    def covers(self, when: date) -> bool:
        c = self.citation
        return c.effective_from <= when and (c.effective_until is None or when <= c.effective_until)


class NationalLines:
    """A jurisdiction's family -> national line mappings."""

    def __init__(self, rows: dict[str, list[NationalLine]]) -> None:
        self._rows = rows

    def for_family(self, family: str, when: date) -> list[NationalLine]:
        return [r for r in self._rows.get(family, []) if r.covers(when)]

    def families(self) -> set[str]:
        return set(self._rows)

    def rows(self) -> list[NationalLine]:
        return [row for rows in self._rows.values() for row in rows]


def parse_conditions(text: str) -> tuple[Condition, ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = _CONDITION.match(part)
        if match is None:
            raise ValueError(f"condition {part!r} is not 'key op value' (op one of <= >= < > = !=)")
        out.append(Condition(*match.groups()))
    return tuple(out)


def parse_national_lines(pack: str, file: str, text: str, errors: list[PackError]) -> NationalLines:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        errors.append(PackError(file, "header", f"expected columns {', '.join(COLUMNS)}"))
        return NationalLines({})
    rows: dict[str, list[NationalLine]] = defaultdict(list)
    for number, row in enumerate(reader, start=2):
        where = f"row {number}"
        missing = [
            f
            for f in ("family", "line", "from", "reference", "source", "read")
            if not (row.get(f) or "").strip()
        ]
        if missing:
            errors.append(PackError(file, where, f"missing {', '.join(missing)}"))
            continue
        try:
            start = date.fromisoformat(row["from"])
            until = date.fromisoformat(row["until"]) if row["until"] else None
            read = date.fromisoformat(row["read"])
            conditions = parse_conditions(row["condition"] or "")
            if until is not None and until < start:
                raise ValueError(f"until {until} is before from {start}")
        except ValueError as exc:
            errors.append(PackError(file, where, str(exc)))
            continue
        evidence = evidence_cells(row, start, read, where, file, errors)
        if evidence is None:
            continue
        cite = Citation(
            f"{pack}:national:{row['family']}:{row['line']}",
            row["reference"].strip(),
            row["source"].strip(),
            (row["url"] or "").strip() or None,
            read,
            start,
            until,
            is_firm(evidence.grade),
            grade=evidence.grade,
            from_known=evidence.from_known,
        )
        rows[row["family"].strip()].append(
            NationalLine(
                row["family"].strip(), conditions, row["line"].strip(), cite, row["note"] or None
            )
        )
    for family, entries in rows.items():
        by_condition: dict[tuple[Condition, ...], list[NationalLine]] = defaultdict(list)
        for entry in entries:
            by_condition[entry.conditions].append(entry)
        for group in by_condition.values():
            for problem in check_order(
                [(e.citation.effective_from, e.citation.effective_until) for e in group]
            ):
                errors.append(PackError(file, f"family {family}", problem))
    return NationalLines(dict(rows))
