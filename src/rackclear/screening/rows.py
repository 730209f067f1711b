"""Reading list files as text rows, with the row number each came from."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from rackclear.screening.errors import ListFormatError

EMPTY = "-0-"


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as OFAC once wrote."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(path, [f"cannot read the file ({exc.strerror})"]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every row that is not blank, an EOF mark or all-empty."""
    reader = csv.reader(io.StringIO(text))
    for fields in reader:
        if any(cell.strip().strip("\x1a") for cell in fields):
            yield reader.line_num, fields


def value(cell: str) -> str:
    """A cell's text, with OFAC's ``-0-`` read as empty."""
    text = cell.strip()
    return "" if text == EMPTY else text


def split_list(cell: str, sep: str = ";") -> list[str]:
    """``a; b; c`` -> ``['a', 'b', 'c']``, empty parts dropped."""
    return [part.strip() for part in cell.split(sep) if part.strip()]
