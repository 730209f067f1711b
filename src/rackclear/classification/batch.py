"""Batch classification of a CSV of items (columns description, kind, specs; specs as
``key=value;key=value``), with results as CSV or JSON rows. Cells are bounded in length, and
result cells that a spreadsheet would read as a formula are neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rackclear.classification.classifier import Classification, classify
from rackclear.rulebook.registry import Rulebook

MAX_CELL_CHARS = 10_000  # a description, kind or specs cell longer than this is refused
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may run such a cell


class BatchFileError(ValueError):
    """The batch file cannot be read; the message names the file and row."""


@dataclass(frozen=True, slots=True)
class BatchItem:
    row: int
    description: str
    kind: str | None
    specs: dict[str, Any]


def parse_specs(text: str, where: str = "") -> dict[str, Any]:
    """``cpus=2;accelerators=8`` -> {"cpus": "2", "accelerators": "8"}."""
    specs: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise BatchFileError(f"{where}spec {part!r} is not key=value")
        specs[key.strip()] = value.strip()
    return specs


def _item(path: Path, n: int, row: dict[str, str | None]) -> BatchItem:
    """One row as an item; BatchFileError naming the row and column of a bad cell."""
    for column in ("description", "kind", "specs"):
        size = len(row.get(column) or "")
        if size > MAX_CELL_CHARS:
            raise BatchFileError(
                f"{path}: row {n}, column {column}: {size:,} characters (at most {MAX_CELL_CHARS:,})"
            )
    return BatchItem(
        n,
        (row.get("description") or "").strip(),
        (row.get("kind") or "").strip() or None,
        parse_specs(row.get("specs") or "", f"{path}: row {n}, column specs: "),
    )


def _rows(path: Path, reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(row number, row) of each data row; BatchFileError for a row the csv module refuses."""
    n = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BatchFileError(
                f"{path}: row {n + 1}: cannot be read ({exc}; a cell may hold at most {MAX_CELL_CHARS:,} characters)"
            ) from None
        n += 1
        yield n, row


def read_items(path: Path) -> list[BatchItem]:
    """Every row of the batch file; BatchFileError listing every bad row."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if "description" not in (reader.fieldnames or []):
                raise BatchFileError(
                    f"{path}: header must name a 'description' column (optional: kind, specs)"
                )
            items, problems = [], []
            for n, row in _rows(path, reader):
                try:
                    items.append(_item(path, n, row))
                except BatchFileError as exc:
                    problems.append(str(exc))
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchFileError(f"{path}: cannot be read ({exc.__class__.__name__})") from exc
    except csv.Error as exc:
        raise BatchFileError(f"{path}: row 1: cannot be read ({exc})") from None
    if problems:
        raise BatchFileError("\n".join(problems))
    return items


def run(
    book: Rulebook,
    items: list[BatchItem],
    destinations: tuple[str, ...],
    when: date,
    progress: Callable[[int], None] | None = None,
    store: Any = None,
) -> Iterator[tuple[BatchItem, Classification]]:
    for n, item in enumerate(items, start=1):
        yield (
            item,
            classify(
                book, item.description, item.kind, item.specs, destinations, when, store=store
            ),
        )
        if progress is not None:
            progress(n)


def csv_row(
    item: BatchItem, result: Classification, destinations: tuple[str, ...]
) -> dict[str, str]:
    row = {
        "row": str(item.row),
        "description": item.description,
        "hs6": result.hs6 or "",
        "family": result.family or "",
        "confidence": result.confidence,
        "findings": " ".join(sorted({f.code for f in result.findings})),
    }
    for country in destinations:
        line = result.national.get(country)
        row[f"{country}_code"] = line.formatted or "" if line else ""
        row[f"{country}_rate"] = line.rate or "" if line else ""
    return row


def neutralised(cell: str) -> str:
    """``cell`` with a leading ``'`` if a spreadsheet would read it as a formula.

    >>> neutralised("=1+1"), neutralised("-48 V DC"), neutralised("Rack server")
    ("'=1+1", "'-48 V DC", 'Rack server')
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_text(rows: Iterable[dict[str, str]]) -> str:
    """The result rows as CSV text (header from the first row), every cell neutralised."""
    listed = list(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(listed[0]) if listed else ["row"])
    writer.writeheader()
    writer.writerows({k: neutralised(v) for k, v in row.items()} for row in listed)
    return buffer.getvalue()
