"""``load_lists``: read list files of any supported layout into one ``ScreeningIndex``. Every
file is read and checked before the index is built, so a bad file loads nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from rackclear.screening.csl_files import is_csl_header, read_csl_csv, read_csl_json
from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.errors import ListFormatError
from rackclear.screening.index import ScreeningIndex
from rackclear.screening.ofac import OfacRows, attach, read_ofac, sdn_entries
from rackclear.screening.rows import csv_rows, read_text


def load_lists(
    paths: Iterable[Path | str], versions: Mapping[str, str] | None = None
) -> ScreeningIndex:
    """An index over the lists in ``paths`` (CSL CSV or JSON, OFAC sdn/add/alt CSV).

    ``versions`` maps a path (as given) to the version to record when the file states none in
    its content or name; without it the file's modification date is recorded.
    """
    entries: list[ListEntry] = []
    extras: list[OfacRows] = []
    for given in paths:
        path = Path(given)
        version = (versions or {}).get(str(given))
        found, held = read_list_file(path, version)
        entries += found
        extras += held
    for rows in extras:
        attach(entries, rows)
    return ScreeningIndex(entries, _lists(entries))


def read_list_file(path: Path, version: str | None) -> tuple[list[ListEntry], list[OfacRows]]:
    """Entries of one file, or the OFAC address/alias rows it holds for ``sdn.csv`` entries."""
    if not path.is_file():
        raise ListFormatError(path, ["no such file"])
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return read_csl_json(path, text, version), []
    first = next(csv_rows(text), None)
    if first is None:
        raise ListFormatError(path, ["the file is empty"])
    if is_csl_header(first[1]):
        return read_csl_csv(path, text, version), []
    rows = read_ofac(path, text)
    return (sdn_entries(rows, version), []) if rows.kind == "sdn" else ([], [rows])


def _lists(entries: list[ListEntry]) -> list[ListInfo]:
    return list(dict.fromkeys(entry.listed_in for entry in entries))
