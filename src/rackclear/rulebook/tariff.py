"""National tariff lines as dated CSV rows: a line, a column (MFN, UST, IGST ...) and a rate."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rackclear.domain.citations import Citation
from rackclear.domain.grades import is_firm
from rackclear.rulebook.cells import evidence_cells
from rackclear.rulebook.errors import PackError
from rackclear.rulebook.lookup import Dated, DatedSeries, Lookup, Status, check_order

COLUMNS = (
    "line",
    "description",
    "column",
    "from",
    "until",
    "rate",
    "reference",
    "source",
    "url",
    "read",
    "last_verified",
    "grade",
    "from_known",
    "note",
)
REQUIRED = ("line", "description", "column", "from", "rate", "reference", "source", "read", "grade")


@lru_cache(maxsize=65536)
def digits(code: str) -> str:
    """Only the digits of a tariff code: ``8471.50.0150`` -> ``8471500150``."""
    return "".join(ch for ch in code if ch.isdigit())


@dataclass(frozen=True, slots=True)
class TariffLine:
    code: str
    description: str


class Tariff:
    """A jurisdiction's tariff lines, looked up by code prefix and column as of a date."""

    def __init__(
        self, pack: str, lines: dict[str, TariffLine], series: dict[tuple[str, str], DatedSeries]
    ):
        self.pack = pack
        self.lines = lines  # digits -> line
        self._series = series  # (digits, column) -> series
        self._found: dict[str, list[TariffLine]] = {}
        self._rates: dict[tuple[str, str, date], Lookup] = {}

    def columns(self) -> set[str]:
        return {col for _, col in self._series}

    def find(self, code: str) -> list[TariffLine]:
        found = self._found.get(code)
        if found is None:
            found = self._found[code] = self._find(code)
        return found

    def _find(self, code: str) -> list[TariffLine]:
        """Lines for ``code``: the line itself, the lines beneath it (``8471.50`` finds
        ``8471.50.0150``), or else the nearest enclosing line whose rate covers it (a Canadian
        classification number takes the rate of its 8-digit tariff item)."""
        key = digits(code)
        exact = self.lines.get(key)
        if exact is not None:
            return [exact]
        beneath = [line for d, line in sorted(self.lines.items()) if d.startswith(key)]
        if beneath:
            return beneath
        for size in range(len(key) - 1, 1, -1):  # a national line more specific than the pack
            enclosing = self.lines.get(key[:size])
            if enclosing is not None:
                return [enclosing]
        return []

    def rate(self, code: str, column: str, when: date) -> Lookup:
        key = (code, column, when)
        found = self._rates.get(key)
        if found is None:
            series = self._series.get((digits(code), column))
            if series is None:
                found = Lookup(f"{self.pack}:tariff:{code}:{column}", when, Status.NOT_IN_FORCE)
            else:
                found = series.at(when)
            self._rates[key] = found
        return found

    def __len__(self) -> int:
        return len(self.lines)


def _parse_date(
    text: str, field: str, where: str, file: str, errors: list[PackError]
) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(PackError(file, where, f"{field} {text!r} is not a date YYYY-MM-DD"))
        return None


def _parse_rate(text: str) -> Decimal | None:
    """``Free`` is an explicit 0 %; ``unknown`` is None; otherwise a percentage like ``2.7``."""
    if text.strip().lower() == "free":
        return Decimal(0)
    if text.strip().lower() == "unknown":
        return None
    return Decimal(text.strip().rstrip("%").strip())


def parse_tariff(pack: str, file: str, text: str, errors: list[PackError]) -> Tariff:
    """Parse ``tariff.csv``; every problem is appended to ``errors`` (the file is read whole)."""
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    if header != COLUMNS:
        errors.append(PackError(file, "header", f"expected columns {', '.join(COLUMNS)}"))
        return Tariff(pack, {}, {})
    lines: dict[str, TariffLine] = {}
    rows: dict[tuple[str, str], list[Dated]] = defaultdict(list)
    for number, row in enumerate(reader, start=2):
        where = f"row {number}"
        missing = [f for f in REQUIRED if not (row.get(f) or "").strip()]
        if missing:
            errors.append(PackError(file, where, f"missing {', '.join(missing)}"))
            continue
        start = _parse_date(row["from"], "from", where, file, errors)
        until = _parse_date(row["until"], "until", where, file, errors) if row["until"] else None
        read = _parse_date(row["read"], "read", where, file, errors)
        checked = (
            _parse_date(row["last_verified"], "last_verified", where, file, errors)
            if row["last_verified"]
            else None
        )
        try:
            rate = _parse_rate(row["rate"])
        except InvalidOperation:
            errors.append(
                PackError(file, where, f"rate {row['rate']!r} is not Free, unknown or a number")
            )
            continue
        if start is None or read is None:
            continue
        evidence = evidence_cells(row, start, read, where, file, errors)
        if evidence is None:
            continue
        if rate is None and is_firm(evidence.grade):
            errors.append(
                PackError(file, where, "an unknown rate cannot be graded official or derived")
            )
            continue
        code = row["line"].strip()
        key = digits(code)
        lines.setdefault(key, TariffLine(code, row["description"].strip()))
        citation = Citation(
            rule=f"{pack}:tariff:{code}:{row['column']}",
            reference=row["reference"].strip(),
            source=row["source"].strip(),
            url=(row["url"] or "").strip() or None,
            read=read,
            effective_from=start,
            effective_until=until,
            verified=is_firm(evidence.grade),
            last_verified=checked,
            grade=evidence.grade,
            from_known=evidence.from_known,
        )
        rows[(key, row["column"].strip())].append(Dated(rate, citation, (row["note"] or None)))
    series: dict[tuple[str, str], DatedSeries] = {}
    for (key, column), dated in rows.items():
        for problem in check_order([(d.start, d.end) for d in dated]):
            errors.append(PackError(file, f"line {lines[key].code} column {column}", problem))
        series[(key, column)] = DatedSeries(f"{pack}:tariff:{lines[key].code}:{column}", dated)
    return Tariff(pack, lines, series)
