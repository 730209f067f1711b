"""A SQLite store of official tariff files (USITC HTS, CBSA Customs Tariff, HS nomenclature),
so that any national line can be validated and looked up; each row keeps the file and row it
came from and the import's SHA-256. The standard library's sqlite3 is enough for one file of
rows read by code; see docs/decisions/0005-local-tariff-store.md.

Every import is all or nothing: the file is read and checked whole, then swapped in by one
``BEGIN IMMEDIATE`` transaction; two processes importing at once take turns
(``store/connection.py``).

National tariff extracts read through a column mapping (``import_national``, source ``tariff``)
are kept apart, as dated ad valorem rates per line and treatment (``national_rate``,
``national_rates_beneath``); see docs/tariff-store.md."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rackclear.importers.national_tariff import (
    NationalRate,
    NationalTariff,
    TariffMapping,
    read_national_tariff,
)
from rackclear.store.connection import DEFAULT_WAIT, connect, writing
from rackclear.store.official import Line, digits, read_official

SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, country TEXT NOT NULL, file TEXT NOT NULL,
  sha256 TEXT NOT NULL, rows INTEGER NOT NULL, imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lines (
  country TEXT NOT NULL, digits TEXT NOT NULL, code TEXT NOT NULL, description TEXT NOT NULL,
  rates TEXT NOT NULL, effective TEXT, import_id INTEGER NOT NULL REFERENCES imports(id),
  row INTEGER NOT NULL, PRIMARY KEY (country, digits)
);
CREATE TABLE IF NOT EXISTS national_rates (
  country TEXT NOT NULL, digits TEXT NOT NULL, code TEXT NOT NULL, treatment TEXT NOT NULL,
  rate TEXT NOT NULL, rate_text TEXT NOT NULL, effective_from TEXT, effective_until TEXT,
  description TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id),
  row INTEGER NOT NULL, rate_row INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS national_rates_line ON national_rates (country, treatment, digits);
"""
SOURCES = {"us-hts": "US", "ca-tariff": "CA", "hs": "HS"}
NATIONAL = "tariff"  # the source of a national tariff extract read through a column mapping
_RATE_SELECT = (
    "SELECT r.country, r.code, r.treatment, r.rate, r.rate_text, r.effective_from, "
    "r.effective_until, r.description, i.file, i.sha256, r.row, r.rate_row, i.imported_at "
    "FROM national_rates r JOIN imports i ON i.id = r.import_id "
    "WHERE r.country = ? AND r.treatment = ? AND (r.effective_from IS NULL OR r.effective_from <= ?) "
    "AND (r.effective_until IS NULL OR r.effective_until >= ?) "
)


@dataclass(frozen=True, slots=True)
class StoredLine:
    country: str
    code: str
    description: str
    rates: dict[str, str]
    effective: str | None
    file: str
    row: int
    sha256: str
    imported_at: str


@dataclass(frozen=True, slots=True)
class StoredRate:
    """A national line's ad valorem rate (percent) under one treatment, with where it was read:
    ``row`` is the line's row in ``file``, ``rate_row`` the row its rate was printed on (a line
    above it, when the line's own rate cell was blank). ``effective_until`` is inclusive; a
    ``None`` date is not known from the file."""

    country: str
    code: str
    column: str
    rate: Decimal
    rate_text: str
    effective_from: date | None
    effective_until: date | None
    description: str
    file: str
    sha256: str
    row: int
    rate_row: int
    imported_at: datetime


class TariffStore:
    """One SQLite file. Each import replaces what it replaces in one transaction, after its file
    is read and checked whole: a refused file leaves the store as it was. A second process
    importing at the same time waits up to ``wait`` seconds for the first, then gets
    ``StoreBusy``; a path that is not a tariff store gives ``NotAStore``
    (``rackclear.store.errors``)."""

    def __init__(self, path: Path, *, wait: float = DEFAULT_WAIT) -> None:
        self.path, self.wait = path, wait
        self.db = connect(path, SCHEMA, wait)

    def close(self) -> None:
        self.db.close()

    def import_file(self, source: str, file: Path, now: datetime | None = None) -> int:
        """Load ``file`` as ``source`` (us-hts, ca-tariff or hs), replacing that country's lines;
        returns the number of lines (never 0). The whole file is read and checked first:
        ``RefusedFile`` (every row named) or ``ImportFileError`` leaves the store as it was, and
        so does ``StoreBusy`` (another import held the store for longer than ``wait``)."""
        country, found = SOURCES[source], read_official(source, file)
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        with writing(self.db, self.path, self.wait) as db:
            db.execute("DELETE FROM lines WHERE country = ?", (country,))
            cur = db.execute(
                "INSERT INTO imports (source, country, file, sha256, rows, imported_at) VALUES (?,?,?,?,?,?)",
                (source, country, str(file), found.sha256, len(found.lines), stamp),
            )
            db.executemany(
                "INSERT INTO lines (country, digits, code, description, rates, effective, import_id, row) VALUES (?,?,?,?,?,?,?,?)",
                [_line_values(country, line, cur.lastrowid) for line in found.lines],
            )
        return len(found.lines)

    def import_national(
        self, country: str, file: Path, mapping: TariffMapping, now: datetime | None = None
    ) -> NationalTariff:
        """Load a national tariff extract for ``country`` (ISO alpha-2), replacing, in one
        transaction, the rates of that country's previous extract; other countries and the
        us-hts, ca-tariff and hs imports are untouched. The whole file is read and checked first:
        ``TariffFileError`` (listing every problem) or ``ImportFileError`` leaves the store as it
        was. Returns what was read, with the rows skipped by reason."""
        tariff = read_national_tariff(file, mapping)
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        with writing(self.db, self.path, self.wait) as db:
            db.execute("DELETE FROM national_rates WHERE country = ?", (country,))
            cur = db.execute(
                "INSERT INTO imports (source, country, file, sha256, rows, imported_at) VALUES (?,?,?,?,?,?)",
                (NATIONAL, country, str(file), tariff.sha256, len(tariff.rates), stamp),
            )
            db.executemany(
                "INSERT INTO national_rates (country, digits, code, treatment, rate, rate_text, effective_from, effective_until, description, import_id, row, rate_row) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [_rate_values(country, rate, cur.lastrowid) for rate in tariff.rates],
            )
        return tariff

    def national_rate(self, country: str, code: str, column: str, when: date) -> StoredRate | None:
        """The rate of exactly the line ``code`` (its digits; dots and spaces do not matter)
        under treatment ``column`` (as written in the file, e.g. ``MFN``) in force on ``when``,
        or None. A shorter or longer stored line is never taken for it: for the lines beneath a
        heading or subheading use ``national_rates_beneath``. A rate whose file gave no start
        (no from= column and no --from date) matches any ``when``; its ``effective_from`` is None,
        which the caller reports as a start not known, never as "always"."""
        found = self.db.execute(
            _RATE_SELECT + "AND r.digits = ?",
            (country, column, *[when.isoformat()] * 2, digits(code)),
        ).fetchone()
        return None if found is None else _stored_rate(found)

    def national_rates_beneath(
        self, country: str, code: str, column: str, when: date
    ) -> list[StoredRate]:
        """Every stored line whose digits begin with those of ``code`` (the line itself
        included), under treatment ``column``, in force on ``when``; ordered by line."""
        wanted = digits(code)
        if not wanted:
            raise ValueError(f"{code!r} has no digits")
        found = self.db.execute(
            _RATE_SELECT + "AND substr(r.digits, 1, ?) = ? ORDER BY r.digits",
            (country, column, *[when.isoformat()] * 2, len(wanted), wanted),
        )
        return [_stored_rate(row) for row in found]

    def lookup(self, country: str, code: str) -> StoredLine | None:
        row = self.db.execute(
            "SELECT l.country, l.code, l.description, l.rates, l.effective, i.file, l.row, i.sha256, i.imported_at "
            "FROM lines l JOIN imports i ON i.id = l.import_id WHERE l.country = ? AND l.digits = ?",
            (country, digits(code)),
        ).fetchone()
        return (
            None
            if row is None
            else StoredLine(
                row[0], row[1], row[2], json.loads(row[3]), row[4], row[5], row[6], row[7], row[8]
            )
        )

    def descriptions(self, limit_digits: int = 6) -> list[tuple[str, str, str]]:
        """(HS 6-digit, description, source) for the text search."""
        rows = self.db.execute(
            "SELECT country, digits, description FROM lines WHERE length(digits) >= ?",
            (limit_digits,),
        )
        return [(f"{d[:4]}.{d[4:6]}", text, f"{country} store {d}") for country, d, text in rows]

    def status(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT source, country, file, sha256, rows, imported_at FROM imports ORDER BY id"
        )
        return [
            dict(
                zip(("source", "country", "file", "sha256", "rows", "imported_at"), r, strict=True)
            )
            for r in rows
        ]


def _line_values(country: str, line: Line, import_id: int | None) -> tuple[object, ...]:
    code, description, rates, effective, row = line
    return (country, digits(code), code, description, json.dumps(rates), effective, import_id, row)


def _rate_values(country: str, rate: NationalRate, import_id: int | None) -> tuple[object, ...]:
    return (
        country,
        rate.digits,
        rate.code,
        rate.column,
        str(rate.rate),
        rate.rate_text,
        _iso(rate.effective_from),
        _iso(rate.effective_until),
        rate.description,
        import_id,
        rate.row,
        rate.rate_row,
    )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _stored_rate(row: tuple[Any, ...]) -> StoredRate:
    country, code, column, rate, text, start, end, description, *rest = row
    file, sha256, line_row, rate_row, imported_at = rest
    return StoredRate(
        country, code, column, Decimal(rate), text, _day(start), _day(end), description,
        file, sha256, line_row, rate_row, datetime.fromisoformat(imported_at),
    )  # fmt: skip
