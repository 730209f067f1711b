"""Shared pieces of the importers: ad valorem rate parsing and row provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


class ImportFileError(ValueError):
    """An official file is not in the layout its importer expects."""


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
