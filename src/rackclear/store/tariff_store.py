"""A SQLite store of official tariff files (USITC HTS, CBSA Customs Tariff, HS nomenclature),
so that any national line can be validated and looked up; each row keeps the file and row it
came from and the import's SHA-256. The standard library's sqlite3 is enough for one file of
rows read by code; see docs/decisions/0005-local-tariff-store.md.

National tariff extracts read through a column mapping (``import_national``, source ``tariff``)
are kept apart, as dated ad valorem rates per line and treatment (``national_rate``,
``national_rates_beneath``); see docs/tariff-store.md."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rackclear.importers.cbsa_tariff import read_cbsa
from rackclear.importers.hs_nomenclature import read_hs
from rackclear.importers.national_tariff import (
    NationalRate,
    NationalTariff,
    TariffMapping,
    read_national_tariff,
)
from rackclear.importers.usitc_hts import read_hts

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
    """One SQLite file; ``import_file`` replaces a country's lines atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def import_file(self, source: str, file: Path, now: datetime | None = None) -> int:
        """Load ``file`` as ``source`` (us-hts, ca-tariff or hs); returns the number of lines."""
        country = SOURCES[source]
        sha = hashlib.sha256(file.read_bytes()).hexdigest()
        rows = list(_rows(source, file))
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        with self.db:
            self.db.execute("DELETE FROM lines WHERE country = ?", (country,))
            cur = self.db.execute(
                "INSERT INTO imports (source, country, file, sha256, rows, imported_at) VALUES (?,?,?,?,?,?)",
                (source, country, str(file), sha, len(rows), stamp),
            )
            import_id = cur.lastrowid
            self.db.executemany(
                "INSERT OR REPLACE INTO lines (country, digits, code, description, rates, effective, import_id, row) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        country,
                        "".join(ch for ch in code if ch.isdigit()),
                        code,
                        text,
                        json.dumps(rates),
                        eff,
                        import_id,
                        row,
                    )
                    for code, text, rates, eff, row in rows
                ],
            )
        return len(rows)

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
        with self.db:
            self.db.execute("DELETE FROM national_rates WHERE country = ?", (country,))
            cur = self.db.execute(
                "INSERT INTO imports (source, country, file, sha256, rows, imported_at) VALUES (?,?,?,?,?,?)",
                (NATIONAL, country, str(file), tariff.sha256, len(tariff.rates), stamp),
            )
            self.db.executemany(
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
            (country, column, *[when.isoformat()] * 2, _digits(code)),
        ).fetchone()
        return None if found is None else _stored_rate(found)

    def national_rates_beneath(
        self, country: str, code: str, column: str, when: date
    ) -> list[StoredRate]:
        """Every stored line whose digits begin with those of ``code`` (the line itself
        included), under treatment ``column``, in force on ``when``; ordered by line."""
        digits = _digits(code)
        if not digits:
            raise ValueError(f"{code!r} has no digits")
        found = self.db.execute(
            _RATE_SELECT + "AND substr(r.digits, 1, ?) = ? ORDER BY r.digits",
            (country, column, *[when.isoformat()] * 2, len(digits), digits),
        )
        return [_stored_rate(row) for row in found]

    def lookup(self, country: str, code: str) -> StoredLine | None:
        digits = "".join(ch for ch in code if ch.isdigit())
        row = self.db.execute(
            "SELECT l.country, l.code, l.description, l.rates, l.effective, i.file, l.row, i.sha256, i.imported_at "
            "FROM lines l JOIN imports i ON i.id = l.import_id WHERE l.country = ? AND l.digits = ?",
            (country, digits),
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


def _rows(source: str, file: Path) -> Iterable[tuple[str, str, dict[str, str], str | None, int]]:
    if source == "us-hts":
        return (
            (
                x.code,
                x.description,
                {"general": x.general, "column2": x.column2},
                None,
                x.provenance.row,
            )
            for x in read_hts(file)
        )
    if source == "ca-tariff":
        return (
            (x.code, x.description, x.rates, x.effective.isoformat(), x.provenance.row)
            for x in read_cbsa(file)
        )
    return _hs(file)


def _hs(file: Path) -> Iterator[tuple[str, str, dict[str, str], str | None, int]]:
    for entry in read_hs(file):
        yield (entry.code, entry.description, {}, None, entry.provenance.row)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


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
