"""Strict decoding of text inputs: UTF-8 (a BOM is allowed) unless the user names an encoding.

A byte that the encoding cannot read is refused at its line and column; the text is never
guessed at (a cp1252 fallback turns names into mojibake without a word).
"""

from __future__ import annotations

import codecs

from rackclear.io.limits import Refused

ENCODING_OPTION = "--encoding"


class Undecodable(Refused):
    """A byte the encoding cannot read, at ``offset`` in the data."""

    def __init__(self, expected: str, value: str, location: str, offset: int) -> None:
        super().__init__(expected, value, location)
        self.offset = offset


def _codec(encoding: str | None) -> str:
    if encoding is None or codecs.lookup(encoding).name == "utf-8":
        return "utf-8-sig"
    return encoding


def _place(data: bytes, offset: int) -> str:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}, column {offset - line_start + 1}"


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """``data`` decoded strictly; raises ``Undecodable`` naming the line of the first bad byte
    (``Refused`` for an unknown encoding).

    >>> decode_text(b"\\xef\\xbb\\xbfok")
    'ok'
    """
    try:
        codec = _codec(encoding)
    except LookupError:
        raise Refused("a text encoding Python knows", repr(encoding)) from None
    try:
        return data.decode(codec, errors="strict")
    except UnicodeDecodeError as exc:
        shown = "UTF-8" if codec == "utf-8-sig" else codec
        bad = data[exc.start : exc.start + 1].hex()
        raise Undecodable(
            f"a readable {shown} text file (byte 0x{bad} cannot be read as {shown}; pass "
            f"{ENCODING_OPTION} if the file uses another encoding)",
            f"byte 0x{bad}",
            _place(data, exc.start),
            exc.start,
        ) from None
