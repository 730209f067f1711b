"""The version of a list file: from its content if it has one, else a date in its name, else
the caller's, else the file's modification date (UTC)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from rackclear.screening.entries import VersionFrom

_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})(?:-?(\d{2}))?(?!\d)")


def date_in_name(path: Path) -> str | None:
    """``sdn_2023-01.csv`` -> ``2023-01``; ``cons_20240502.csv`` -> ``2024-05-02``.

    >>> date_in_name(Path("sdn_2023-01.csv")), date_in_name(Path("csl.csv"))
    ('2023-01', None)
    """
    match = _NAME_DATE.search(path.stem)
    if not match or not 1990 <= int(match.group(1)) <= 2100 or not 1 <= int(match.group(2)) <= 12:
        return None
    parts = [p for p in match.groups() if p]
    return "-".join(parts)


def file_version(
    path: Path, from_content: str | None, caller: str | None
) -> tuple[str, VersionFrom]:
    """The version and where it came from, in the order the module docstring gives."""
    if from_content:
        return from_content, "file content"
    named = date_in_name(path)
    if named:
        return named, "file name"
    if caller:
        return caller, "caller"
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return mtime.date().isoformat(), "file modification date"
