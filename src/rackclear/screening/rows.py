"""Reading list files as text rows, with the row number each came from."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from rackclear.screening.decoding import decode, read_bytes
from rackclear.screening.errors import ListFormatError
from rackclear.screening.limits import DEFAULT_LIMITS, ListLimits

EMPTY = "-0-"


def read_text(path: Path, encoding: str | None = None, limits: ListLimits = DEFAULT_LIMITS) -> str:
    """The file's text: strictly UTF-8 (with or without BOM) unless ``encoding`` is named; a
    byte that is not UTF-8, a UTF-16 file or a file over the size limit is refused."""
    unit = "line" if path.suffix.lower() == ".json" else "row"
    return decode(path, read_bytes(path, limits), encoding, unit)


def csv_rows(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every row that is not blank, an EOF mark or all-empty. A row
    the csv module refuses (a field over its limit) is a ``ListFormatError`` naming the row."""
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ListFormatError(path, [_csv_problem(reader.line_num, exc)]) from None
        if any(cell.strip().strip("\x1a") for cell in fields):
            yield reader.line_num, fields


def _csv_problem(line: int, exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return (
            f"row {line}: a field is longer than {csv.field_size_limit():,} characters, the most "
            "a CSV field may hold (an unclosed quote mark makes the rest of the file one field)"
        )
    return f"row {line}: not CSV ({exc})"


def value(cell: str) -> str:
    """A cell's text, with OFAC's ``-0-`` read as empty."""
    text = cell.strip()
    return "" if text == EMPTY else text


def split_list(cell: str, sep: str = ";") -> list[str]:
    """``a; b; c`` -> ``['a', 'b', 'c']``, empty parts dropped."""
    return [part.strip() for part in cell.split(sep) if part.strip()]
