"""A problem in a deployment map (``MapIssue``) and the error that carries them all (``MapError``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rackclear.io.limits import Refused


@dataclass(frozen=True, slots=True)
class MapIssue:
    """One problem in a deployment map."""

    file: str
    location: str
    value: str
    expected: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        got = f" (found {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.expected}{got}"

    @classmethod
    def refused(cls, file: str, refusal: Refused, location: str = "") -> MapIssue:
        """The issue for a refusal in ``file`` (at ``location`` when the refusal names none)."""
        return cls(file, refusal.location or location, refusal.value, refusal.expected)


class MapError(Exception):
    """The map cannot be planned; ``issues`` lists every problem at once."""

    def __init__(self, issues: list[MapIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
