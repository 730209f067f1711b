"""``load_lists``: read list files of any supported layout into one ``ScreeningIndex``. Every
file is read and checked before the index is built, so a bad file loads nothing."""

from __future__ import annotations

import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from rackclear.screening.csl_files import is_csl_header, read_csl_csv, read_csl_json
from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.errors import ListFormatError
from rackclear.screening.index import ScreeningIndex
from rackclear.screening.limits import DEFAULT_LIMITS, ListLimits
from rackclear.screening.ofac import OfacRows, attach, read_ofac, sdn_entries
from rackclear.screening.rows import csv_rows, read_text


def load_lists(
    paths: Iterable[Path | str],
    versions: Mapping[str, str] | None = None,
    *,
    encoding: str | None = None,
    limits: ListLimits = DEFAULT_LIMITS,
) -> ScreeningIndex:
    """An index over the lists in ``paths`` (CSL CSV or JSON, OFAC sdn/add/alt CSV).

    Files that hold no listed party (a CSL file without rows, OFAC add.csv/alt.csv without their
    sdn.csv) raise ``ListFormatError``; add.csv/alt.csv rows for an entry that no loaded sdn.csv
    holds are counted in the index's ``orphaned_rows`` and ``warnings``.

    ``versions`` maps a path (as given) to the version to record when the file states none in
    its content or name; without it the file's modification date is recorded.

    The files are decoded strictly as UTF-8 (a byte-order mark allowed), or as ``encoding`` when
    it is given (for every file); a byte that is not UTF-8, or a UTF-16 file, is refused with its
    row. ``limits`` bounds the size of a file, a name and any other field, and JSON nesting.
    """
    entries: list[ListEntry] = []
    extras: list[OfacRows] = []
    files: list[str] = []
    for given in paths:
        path = Path(given)
        files.append(str(path))
        version = (versions or {}).get(str(given))
        found, held = read_list_file(path, version, encoding, limits)
        entries += found
        extras += held
    if not entries:
        raise ListFormatError(", ".join(files) or "no file", [_nothing(extras)])
    orphaned: dict[str, int] = {}
    warnings: list[str] = []
    for rows in extras:
        count = attach(entries, rows)
        if count:
            orphaned[str(rows.path)] = orphaned.get(str(rows.path), 0) + count
            warnings.append(
                f"{rows.path}: {count} of its {len(rows.rows)} {rows.kind}.csv rows number an "
                "entry that no loaded sdn.csv holds and were not used (load the sdn.csv of the "
                "same release)"
            )
    return ScreeningIndex(entries, _lists(entries), warnings, orphaned)


def _nothing(extras: list[OfacRows]) -> str:
    """Why no entry was loaded."""
    if extras:
        rows = sum(len(x.rows) for x in extras)
        return (
            f"no entries were loaded: the files hold only OFAC add.csv/alt.csv rows ({rows}), "
            "which add addresses and names to the entries of an sdn.csv; load the sdn.csv of "
            "the same release with them"
        )
    return "no entries were loaded: the files hold no listed party"


def read_list_file(
    path: Path,
    version: str | None,
    encoding: str | None = None,
    limits: ListLimits = DEFAULT_LIMITS,
) -> tuple[list[ListEntry], list[OfacRows]]:
    """Entries of one file, or the OFAC address/alias rows it holds for ``sdn.csv`` entries."""
    _check_regular(path)
    text = read_text(path, encoding, limits)
    if path.suffix.lower() == ".json":
        return _some(path, read_csl_json(path, text, version, limits)), []
    first = next(csv_rows(text, path), None)
    if first is None:
        raise ListFormatError(path, ["the file is empty"])
    if is_csl_header(first[1]):
        return _some(path, read_csl_csv(path, text, version, limits)), []
    rows = read_ofac(path, text, limits)
    return (sdn_entries(rows, version), []) if rows.kind == "sdn" else ([], [rows])


def _check_regular(path: Path) -> None:
    """A list is a regular file: not a folder, a device or a pipe (which could hang)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ListFormatError(path, ["no such file"]) from None
    except OSError as exc:
        raise ListFormatError(path, [f"cannot read the file ({exc.strerror})"]) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise ListFormatError(path, [f"not a regular file ({kind})"])


def _some(path: Path, entries: list[ListEntry]) -> list[ListEntry]:
    """A list file that holds no entry is refused: a truncated download would clear everyone."""
    if not entries:
        raise ListFormatError(path, ["no entries: the file holds no listed party"])
    return entries


def _lists(entries: list[ListEntry]) -> list[ListInfo]:
    return list(dict.fromkeys(entry.listed_in for entry in entries))
