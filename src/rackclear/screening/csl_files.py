"""Reading CSL files: rows checked first, every problem collected, then the entries built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rackclear.screening.csl import (
    REQUIRED,
    CslRecord,
    csl_entry,
    record_from_csv,
    record_from_json,
)
from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.errors import ListFormatError
from rackclear.screening.rows import csv_rows
from rackclear.screening.versions import file_version


def is_csl_header(fields: list[str]) -> bool:
    """The first row of a CSL CSV names its columns, ``source`` and ``name`` among them."""
    names = {f.strip().lower() for f in fields}
    return all(column in names for column in REQUIRED)


def read_csl_csv(path: Path, text: str, version: str | None) -> list[ListEntry]:
    """Entries of a CSL CSV; a row of the wrong width or without source or name is refused."""
    rows = csv_rows(text)
    _, header = next(rows)
    header = [h.strip().lower() for h in header]
    records: list[CslRecord] = []
    issues: list[str] = []
    for line, fields in rows:
        problem = _row_problem(fields, header)
        if problem:
            issues.append(f"row {line}: {problem}")
        else:
            records.append(record_from_csv(line, dict(zip(header, fields, strict=True))))
    if issues:
        raise ListFormatError(path, issues)
    return _entries(path, records, {}, version)


def _row_problem(fields: list[str], header: list[str]) -> str | None:
    if len(fields) != len(header):
        return f"{len(fields)} fields, expected {len(header)} ({', '.join(header[:3])}, …)"
    cells = dict(zip(header, fields, strict=True))
    missing = [column for column in REQUIRED if not cells[column].strip()]
    return f"empty {' and '.join(missing)}" if missing else None


def read_csl_json(path: Path, text: str, version: str | None) -> list[ListEntry]:
    """Entries of a CSL JSON document: ``{"results": [...], "sources_used": [...]}`` or a list."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListFormatError(path, [f"line {exc.lineno}: not JSON ({exc.msg})"]) from None
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise ListFormatError(path, ['no "results" array: not a CSL JSON document'])
    records: list[CslRecord] = []
    issues: list[str] = []
    for number, item in enumerate(results, start=1):
        if not isinstance(item, dict) or any(not str(item.get(k) or "").strip() for k in REQUIRED):
            issues.append(
                f"results[{number - 1}] (row {number}): an object with source and name expected"
            )
        else:
            records.append(record_from_json(number, item))
    if issues:
        raise ListFormatError(path, issues)
    return _entries(path, records, _source_dates(document), version)


def _source_dates(document: Any) -> dict[str, str]:
    """``sources_used[].source_last_updated`` by source name: the list version it states."""
    used = document.get("sources_used") if isinstance(document, dict) else None
    dates: dict[str, str] = {}
    for item in used if isinstance(used, list) else []:
        if isinstance(item, dict) and item.get("source") and item.get("source_last_updated"):
            dates[str(item["source"])] = str(item["source_last_updated"])[:10]
    return dates


def _entries(
    path: Path, records: list[CslRecord], dated: dict[str, str], version: str | None
) -> list[ListEntry]:
    infos: dict[str, ListInfo] = {}
    for source in {r.source for r in records}:
        found, origin = file_version(path, dated.get(source), version)
        infos[source] = ListInfo(source, found, origin, str(path))
    return [csl_entry(record, infos[record.source]) for record in records]
