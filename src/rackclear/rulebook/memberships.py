"""Dated memberships of countries in groups (EAR Country Groups), one cited row each."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rackclear.domain.citations import Citation
from rackclear.domain.grades import is_firm
from rackclear.rulebook.cells import evidence_cells
from rackclear.rulebook.errors import PackError
from rackclear.rulebook.lookup import check_order

COLUMNS = (
    "group",
    "country",
    "from",
    "until",
    "reference",
    "source",
    "url",
    "read",
    "grade",
    "from_known",
    "note",
)


@dataclass(frozen=True, slots=True)
class Membership:
    group: str
    country: str
    citation: Citation
    note: str | None

    def covers(self, when: date) -> bool:
        c = self.citation
        return c.effective_from <= when and (c.effective_until is None or when <= c.effective_until)


class Memberships:
    """Which groups a country belongs to on a date, with the row that says so."""

    def __init__(self, rows: dict[str, list[Membership]]) -> None:
        self._by_country = rows

    def of(self, country: str, when: date) -> list[Membership]:
        return [m for m in self._by_country.get(country, []) if m.covers(when)]

    def member(self, country: str, group: str, when: date) -> Membership | None:
        return next((m for m in self.of(country, when) if m.group == group), None)


def parse_memberships(pack: str, file: str, text: str, errors: list[PackError]) -> Memberships:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        errors.append(PackError(file, "header", f"expected columns {', '.join(COLUMNS)}"))
        return Memberships({})
    rows: dict[str, list[Membership]] = defaultdict(list)
    for number, row in enumerate(reader, start=2):
        where = f"row {number}"
        missing = [
            f
            for f in ("group", "country", "from", "reference", "source", "read")
            if not (row.get(f) or "").strip()
        ]
        if missing:
            errors.append(PackError(file, where, f"missing {', '.join(missing)}"))
            continue
        try:
            start, read = date.fromisoformat(row["from"]), date.fromisoformat(row["read"])
            until = date.fromisoformat(row["until"]) if row["until"] else None
        except ValueError as exc:
            errors.append(PackError(file, where, str(exc)))
            continue
        evidence = evidence_cells(row, start, read, where, file, errors)
        if evidence is None:
            continue
        cite = Citation(
            f"{pack}:group:{row['group']}:{row['country']}",
            row["reference"],
            row["source"],
            row["url"] or None,
            read,
            start,
            until,
            is_firm(evidence.grade),
            grade=evidence.grade,
            from_known=evidence.from_known,
        )
        rows[row["country"].strip()].append(
            Membership(row["group"].strip(), row["country"].strip(), cite, row["note"] or None)
        )
    for country, entries in rows.items():
        by_group: dict[str, list[Membership]] = defaultdict(list)
        for entry in entries:
            by_group[entry.group].append(entry)
        for group, items in by_group.items():
            for problem in check_order(
                [(m.citation.effective_from, m.citation.effective_until) for m in items]
            ):
                errors.append(PackError(file, f"{group} {country}", problem))
    return Memberships(dict(rows))
