"""A rate answer: the rate, its grade of evidence, its range when the pack holds competing values,
and the weak rules it rests on."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.grades import is_firm
from rackclear.rulebook.lookup import Lookup


@dataclass
class RateAnswer:
    """A rate with its grade; ``low``/``high`` when the pack holds competing values whose
    application is not settled (then ``rate`` is the estimate and ``range_reason`` says why)."""

    rate: Decimal | None
    citation: Citation | None
    steps: list[Step] = field(default_factory=list)
    grade: str = "official"
    low: Decimal | None = None
    high: Decimal | None = None
    range_reason: str | None = None
    weak: tuple[tuple[str, Citation | None, str], ...] = ()


def graded(found: Lookup, rate: Decimal, steps: list[Step]) -> RateAnswer:
    """A rate answer from a looked-up value, carrying its grade (and, when weak, the rule)."""
    grade = found.grade or "official"
    weak = () if is_firm(grade) else ((found.rule, found.citation, grade),)
    return RateAnswer(rate, found.citation, steps, grade, weak=weak)
