"""Reading a list file's bytes and decoding them strictly: UTF-8 (a byte-order mark allowed)
unless the caller names the encoding. A byte that is not UTF-8 is refused with its row, never
guessed at: a name decoded in the wrong encoding is a listed party missed. UTF-16 and UTF-32
files (a byte-order mark, or NUL bytes) are refused unless their encoding is named."""

from __future__ import annotations

import codecs
import re
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from rackclear.screening.errors import ListFormatError
from rackclear.screening.limits import MIB, ListLimits

SHOWN_BAD_BYTES = 20
CHUNK = 1024 * 1024
_ESCAPED = re.compile("[\udc80-\udcff]")
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def checked_encoding(encoding: str | None) -> str | None:
    """The codec name for ``encoding`` (``None``: strict UTF-8), or ``ValueError`` naming it.

    >>> checked_encoding("UTF8"), checked_encoding("latin-1"), checked_encoding(None)
    ('utf-8-sig', 'iso8859-1', None)
    """
    if encoding is None:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"encoding {encoding!r} is not an encoding Python knows") from None
    if not codecs.lookup(name)._is_text_encoding:  # base64, rot13 …: not a text encoding
        raise ValueError(f"encoding {encoding!r} is not a text encoding")
    return "utf-8-sig" if name == "utf-8" else name


def read_bytes(path: Path, limits: ListLimits) -> bytes:
    """The file's bytes, refused over ``limits.max_file_bytes`` (read no further than that)."""
    try:
        with path.open("rb") as file:
            data = _read_at_most(file, limits.max_file_bytes + 1)
    except OSError as exc:
        raise ListFormatError(path, [f"cannot read the file ({exc.strerror})"]) from None
    if len(data) > limits.max_file_bytes:
        raise ListFormatError(
            path,
            [
                f"the file is larger than the limit of {limits.max_file_bytes:,} bytes "
                f"({limits.max_file_bytes / MIB:,.0f} MiB); raise it (--max-list-mb) if the list "
                "is really that large"
            ],
        )
    return data


def _read_at_most(file: BinaryIO, most: int) -> bytes:
    """Up to ``most`` bytes, read in chunks (``read(most)`` would reserve ``most`` at once)."""
    data = bytearray()
    while len(data) < most:
        chunk = file.read(min(CHUNK, most - len(data)))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def decode(path: Path, data: bytes, encoding: str | None, unit: str = "row") -> str:
    """The text of ``data``: strict UTF-8 without ``encoding``, else strictly ``encoding``.
    Every bad byte (up to ``SHOWN_BAD_BYTES``) is named by its ``unit`` (row or line)."""
    codec = checked_or_refused(path, encoding)
    if codec is None:
        _refuse_wide(path, data)
        text = data.decode("utf-8-sig", errors="surrogateescape")
        _refuse_escaped(path, text, unit)
    else:
        text = _decode_as(path, data, codec, unit)
    nul = text.find("\x00")
    if nul >= 0:
        raise ListFormatError(
            path, [f"{unit} {_line(text, nul)}: a NUL character: not a text list"]
        )
    return text


def checked_or_refused(path: Path, encoding: str | None) -> str | None:
    """:func:`checked_encoding`, a bad encoding a ``ListFormatError`` for ``path``."""
    try:
        return checked_encoding(encoding)
    except ValueError as exc:
        raise ListFormatError(path, [str(exc)]) from None


def _refuse_wide(path: Path, data: bytes) -> None:
    """A UTF-16/UTF-32 file (a byte-order mark, or NUL bytes in its first 4 kB) is refused."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            raise ListFormatError(path, [_wide(name, "it starts with a byte-order mark")])
    if b"\x00" in data[:4096]:
        raise ListFormatError(path, [_wide("UTF-16", "it holds NUL bytes")])


def _wide(name: str, why: str) -> str:
    return (
        f"the file is {name}, not UTF-8 ({why}); save it as UTF-8, or name its encoding "
        f"(--encoding {name.lower()} with screen, --list-encoding with plan)"
    )


def _refuse_escaped(path: Path, text: str, unit: str) -> None:
    bad = [m.start() for m in islice(_ESCAPED.finditer(text), SHOWN_BAD_BYTES + 1)]
    if not bad:
        return
    issues = [
        f"{unit} {_line(text, at)}: byte 0x{ord(text[at]) - 0xDC00:02x} is not UTF-8; save the "
        "file as UTF-8, or name its encoding (--encoding cp1252 … with screen, --list-encoding with plan)"
        for at in bad[:SHOWN_BAD_BYTES]
    ]
    if len(bad) > SHOWN_BAD_BYTES:
        issues.append(f"and more bytes that are not UTF-8 after {unit} {_line(text, bad[-1])}")
    raise ListFormatError(path, issues)


def _decode_as(path: Path, data: bytes, codec: str, unit: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise ListFormatError(
            path, [f"{unit} {line}: byte {exc.start:,} cannot be read as {codec} ({exc.reason})"]
        ) from None


def _line(text: str, at: int) -> int:
    """The line number of the character at ``at``."""
    return text.count("\n", 0, at) + 1
