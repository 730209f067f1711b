"""Reading CSL files: rows checked first, every problem collected, then the entries built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rackclear.screening.csl import REQUIRED, CslRecord, csl_entry, record_from_csv
from rackclear.screening.csl_json import item_problems, record_from_json
from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.errors import ListFormatError
from rackclear.screening.json_text import load_json
from rackclear.screening.limits import DEFAULT_LIMITS, ListLimits, row_too_long
from rackclear.screening.rows import csv_rows, split_list
from rackclear.screening.versions import file_version

DATE_CHARS = 10


def is_csl_header(fields: list[str]) -> bool:
    """The first row of a CSL CSV names its columns, ``source`` and ``name`` among them."""
    names = {f.strip().lower() for f in fields}
    return all(column in names for column in REQUIRED)


def read_csl_csv(
    path: Path, text: str, version: str | None, limits: ListLimits = DEFAULT_LIMITS
) -> list[ListEntry]:
    """Entries of a CSL CSV; a row of the wrong width, without source or name, or with a field
    over its limit is refused."""
    rows = csv_rows(text, path)
    _, header = next(rows)
    header = [h.strip().lower() for h in header]
    records: list[CslRecord] = []
    issues: list[str] = []
    for line, fields in rows:
        problem = _row_problem(fields, header, limits)
        if problem:
            issues.append(f"row {line}: {problem}")
        else:
            records.append(record_from_csv(line, dict(zip(header, fields, strict=True))))
    if issues:
        raise ListFormatError(path, issues)
    return _entries(path, records, {}, version)


def _row_problem(fields: list[str], header: list[str], limits: ListLimits) -> str | None:
    if len(fields) != len(header):
        return f"{len(fields)} fields, expected {len(header)} ({', '.join(header[:3])}, …)"
    cells = dict(zip(header, fields, strict=True))
    missing = [column for column in REQUIRED if not cells[column].strip()]
    if missing:
        return f"empty {' and '.join(missing)}"
    names = [("name", cells["name"])]
    names += [("alt_names", a) for a in split_list(cells.get("alt_names", ""))]
    return row_too_long(names, fields, limits)


def read_csl_json(
    path: Path, text: str, version: str | None, limits: ListLimits = DEFAULT_LIMITS
) -> list[ListEntry]:
    """Entries of a CSL JSON document: ``{"results": [...], "sources_used": [...]}`` or a list.
    Every result whose fields are not what CSL holds there is named, with its index and id."""
    document = load_json(path, text, limits)
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise ListFormatError(path, ['no "results" array: not a CSL JSON document'])
    records: list[CslRecord] = []
    issues: list[str] = []
    for number, item in enumerate(results, start=1):
        problems = item_problems(item, limits)
        where = _where(number - 1, item)
        issues += [f"{where}: {problem}" for problem in problems]
        if not problems:
            records.append(record_from_json(number, item))
    dates = _source_dates(document, issues)
    if issues:
        raise ListFormatError(path, issues)
    return _entries(path, records, dates, version)


def _where(index: int, item: Any) -> str:
    """``results[3] (id '20298')``: the result's place, and its id when it has a usable one."""
    found = item.get("id") if isinstance(item, dict) else None
    shown = f" (id {found[:60]!r})" if isinstance(found, str) and found.strip() else ""
    return f"results[{index}]{shown}"


def _source_dates(document: Any, issues: list[str]) -> dict[str, str]:
    """``sources_used[].source_last_updated`` by source name: the list version it states. A
    date that is not text is an issue: a version must be replayable."""
    used = document.get("sources_used") if isinstance(document, dict) else None
    dates: dict[str, str] = {}
    for n, item in enumerate(used if isinstance(used, list) else []):
        if (
            not isinstance(item, dict)
            or not item.get("source")
            or not item.get("source_last_updated")
        ):
            continue
        source, updated = item["source"], item["source_last_updated"]
        if isinstance(source, str) and isinstance(updated, str):
            dates[source] = updated[:DATE_CHARS]
        else:
            issues.append(f"sources_used[{n}]: source and source_last_updated must be text")
    return dates


def _entries(
    path: Path, records: list[CslRecord], dated: dict[str, str], version: str | None
) -> list[ListEntry]:
    infos: dict[str, ListInfo] = {}
    for source in {r.source for r in records}:
        found, origin = file_version(path, dated.get(source), version)
        infos[source] = ListInfo(source, found, origin, str(path))
    return [csl_entry(record, infos[record.source]) for record in records]
