"""Citations: where a value comes from, in law and in the document it was read in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    grade: str = "official"
    from_known: str = (
        "exact"  # "at_least": in force on effective_from, earlier start not established
    )

    def short(self) -> str:
        until = f" to {self.effective_until}" if self.effective_until else ""
        since = "since at least" if self.from_known == "at_least" else "from"
        return f"{self.reference} (in force {since} {self.effective_from}{until})"

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
            "grade": self.grade,
            "from_known": self.from_known,
        }


CiteFn = Callable[[Citation], Any]


@dataclass
class CitationTable:
    """Gives each distinct citation a short id (``c1``, ``c2`` ...) so a dossier lists it once."""

    ids: dict[Citation, str] = field(default_factory=dict)

    def ref(self, citation: Citation) -> str:
        found = self.ids.get(citation)
        if found is None:
            found = self.ids[citation] = f"c{len(self.ids) + 1}"
        return found

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {key: citation.to_dict() for citation, key in self.ids.items()}
