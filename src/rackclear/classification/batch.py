"""Batch classification of a CSV of items (columns description, kind, specs; specs as
``key=value;key=value``), with results as CSV or JSON rows."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rackclear.classification.classifier import Classification, classify
from rackclear.rulebook.registry import Rulebook


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


def read_items(path: Path) -> list[BatchItem]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if "description" not in (reader.fieldnames or []):
                raise BatchFileError(
                    f"{path}: header must name a 'description' column (optional: kind, specs)"
                )
            items, problems = [], []
            for n, row in enumerate(reader, start=2):
                try:
                    items.append(
                        BatchItem(
                            n,
                            (row.get("description") or "").strip(),
                            (row.get("kind") or "").strip() or None,
                            parse_specs(row.get("specs") or "", f"{path}: row {n}, column specs: "),
                        )
                    )
                except BatchFileError as exc:
                    problems.append(str(exc))
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchFileError(f"{path}: cannot be read ({exc.__class__.__name__})") from exc
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
