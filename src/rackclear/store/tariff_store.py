"""A SQLite store of official tariff files (USITC HTS, CBSA Customs Tariff, HS nomenclature),
so that any national line can be validated and looked up; each row keeps the file and row it
came from and the import's SHA-256. The standard library's sqlite3 is enough for one file of
rows read by code; see docs/decisions/0005-local-tariff-store.md."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rackclear.importers.cbsa_tariff import read_cbsa
from rackclear.importers.hs_nomenclature import read_hs
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
"""
SOURCES = {"us-hts": "US", "ca-tariff": "CA", "hs": "HS"}


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
