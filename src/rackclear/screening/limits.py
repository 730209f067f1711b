"""The limits a screening list file is read within: far above any real list, so that a corrupt
or hostile file is refused with the limit named instead of taking the machine's memory.

The longest name or alias of OFAC's 2023 SDN file has 165 characters and its longest word 24;
OFAC cuts its remarks at 1,000 characters; and the whole 2023 SDN file has 2.8 MB.

>>> DEFAULT_LIMITS.max_name_chars, DEFAULT_LIMITS.max_field_chars
(4096, 65536)
>>> too_long("name", "x" * 5000, 4096)
'name has 5,000 characters, over the limit of 4,096'
"""

from __future__ import annotations

from dataclasses import dataclass

from rackclear.screening.normalise import MAX_NAME_CHARS

MIB = 1024 * 1024
MAX_FILE_MIB = 16_384  # the most --max-list-mb may raise it to


@dataclass(frozen=True, slots=True)
class ListLimits:
    """How large a list file (bytes), a name or alias, any other field (characters), and how
    deep a JSON document may be. ``max_file_bytes`` is the one a user may need to raise
    (``rackclear screen --max-list-mb``)."""

    max_file_bytes: int = 256 * MIB
    max_name_chars: int = MAX_NAME_CHARS
    max_field_chars: int = 65_536
    max_json_depth: int = 32

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_name_chars", "max_field_chars", "max_json_depth"):
            amount = getattr(self, name)
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
                raise ValueError(f"ListLimits.{name}: {amount!r} must be a positive whole number")


DEFAULT_LIMITS = ListLimits()


def too_long(label: str, text: str, limit: int) -> str | None:
    """The problem of a text over ``limit`` characters, or ``None``."""
    if len(text) <= limit:
        return None
    return f"{label} has {len(text):,} characters, over the limit of {limit:,}"


def row_too_long(names: list[tuple[str, str]], cells: list[str], limits: ListLimits) -> str | None:
    """The first field of a row over its limit: ``names`` (label, text) against the name limit,
    every cell against the field limit."""
    for label, text in names:
        problem = too_long(label, text, limits.max_name_chars)
        if problem:
            return problem
    for number, cell in enumerate(cells, start=1):
        problem = too_long(f"field {number}", cell, limits.max_field_chars)
        if problem:
            return problem
    return None
