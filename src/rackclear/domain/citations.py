"""Citations: where a value comes from, in law and in the document it was read in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Citation:
    """The legal reference and reading source of one dated rule value."""

    rule: str
    reference: str
    source: str
    url: str | None
    read: date | None
    effective_from: date
    effective_until: date | None
    verified: bool
    last_verified: date | None = None
    provisional: bool = False

    def short(self) -> str:
        until = f" to {self.effective_until}" if self.effective_until else ""
        return f"{self.reference} (in force from {self.effective_from}{until})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reference": self.reference,
            "source": self.source,
            "url": self.url,
            "read": self.read.isoformat() if self.read else None,
            "effective_from": self.effective_from.isoformat(),
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "verified": self.verified,
            "last_verified": self.last_verified.isoformat() if self.last_verified else None,
            "provisional": self.provisional,
        }
