"""Findings: what a compliance analyst must know or do, with a stable code and a severity.

Codes are stable identifiers (documented in ``docs/findings.md``); their meaning never changes.
A new behaviour gets a new code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rackclear.domain.citations import Citation, CiteFn


class Severity(StrEnum):
    """How much a finding matters: a blocker stops the shipment until resolved."""

    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"blocker": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Concerns:
    """What a finding is about: any of shipment, line, site, country, sku, rule."""

    shipment: str | None = None
    line: int | None = None
    site: str | None = None
    country: str | None = None
    sku: str | None = None
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        pairs = {
            "shipment": self.shipment,
            "line": self.line,
            "site": self.site,
            "country": self.country,
            "sku": self.sku,
            "rule": self.rule,
        }
        return {k: v for k, v in pairs.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: stable ``code``, ``severity``, what it ``concerns``, ``message``, ``remedy``."""

    code: str
    severity: Severity
    message: str
    remedy: str
    concerns: Concerns = field(default_factory=Concerns)
    citations: tuple[Citation, ...] = ()

    def to_dict(self, cite: CiteFn = Citation.to_dict) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "remedy": self.remedy,
            "concerns": self.concerns.to_dict(),
            "citations": [cite(c) for c in self.citations],
        }


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        counts[f.severity.value] += 1
    return counts
