"""Shared pieces of the importers: their errors, ad valorem rate parsing and row provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


MAX_LISTED = 100  # problems shown in a refusal's message; ``problems`` keeps them all


class ImportFileError(ValueError):
    """An official file is not in the layout its importer expects."""


class RefusedFile(ImportFileError):
    """A file refused as a whole; ``problems`` names every row (and column) that failed."""

    def __init__(self, file: Path, problems: list[str]) -> None:
        self.problems = problems
        head = f"{file}: refused, {len(problems)} problem(s); nothing was imported:"
        shown = [f"  {p}" for p in problems[:MAX_LISTED]]
        more = len(problems) - MAX_LISTED
        tail = [f"  ... and {more:,} more"] if more > 0 else []
        super().__init__("\n".join([head, *shown, *tail]))


@dataclass(frozen=True, slots=True)
class Provenance:
    file: str
    row: int


def ad_valorem(text: str | None) -> Decimal | None:
    """``Free`` -> 0; ``2.6%`` -> 2.6; blank, specific or compound rates -> None (not ad valorem).

    >>> ad_valorem("Free"), ad_valorem("2.6%"), ad_valorem("1.9¢/kg + 3%")
    (Decimal('0'), Decimal('2.6'), None)
    """
    if text is None:
        return None
    text = text.strip()
    if text.lower() == "free":
        return Decimal(0)
    match = _PERCENT.match(text)
    return Decimal(match.group(1)) if match else None
