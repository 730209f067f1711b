"""Dated values and "as of" lookup. No value in force is its own outcome, never zero."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from rackclear.domain.citations import Citation

STALE_AFTER = timedelta(days=365)


class Status(StrEnum):
    IN_FORCE = "in_force"
    NOT_IN_FORCE = "not_in_force"
    UNVERIFIED = "unverified"


@dataclass(frozen=True, slots=True)
class Dated:
    """One value of a rule with its validity period (``until`` inclusive) and citation."""

    value: Any
    citation: Citation
    note: str | None = None

    @property
    def start(self) -> date:
        return self.citation.effective_from

    @property
    def end(self) -> date | None:
        return self.citation.effective_until

    def covers(self, when: date) -> bool:
        return self.start <= when and (self.end is None or when <= self.end)


@dataclass(frozen=True, slots=True)
class Lookup:
    """The answer to "what is rule R as of D": the value, its status and citation."""

    rule: str
    as_of: date
    status: Status
    value: Any = None
    citation: Citation | None = None
    note: str | None = None
    start_unknown: date | None = None  # set when as_of precedes an "in force since at least" date

    @property
    def usable(self) -> bool:
        """True when the value is in force on firm evidence (official or derived): the only case
        a legal conclusion may rest on it."""
        return self.status is Status.IN_FORCE

    @property
    def estimable(self) -> bool:
        """True when a value is held for the date, whatever its grade: an estimate may use it,
        carrying its grade. False only when nothing is known (no value, or no rule in force)."""
        return self.status is not Status.NOT_IN_FORCE and self.value is not None

    @property
    def grade(self) -> str | None:
        """The value's grade of evidence; ``assumption`` before a rule's known start."""
        if self.citation is None:
            return None
        return "assumption" if self.start_unknown is not None else self.citation.grade

    def is_stale(self) -> bool:
        """A value last verified more than a year before ``as_of`` is stale."""
        c = self.citation
        checked = (c.last_verified or c.read) if c else None
        return checked is not None and self.as_of - checked > STALE_AFTER


class DatedSeries:
    """The values of one rule, sorted and non-overlapping (the loader guarantees it)."""

    __slots__ = ("_values", "rule")

    def __init__(self, rule: str, values: list[Dated]) -> None:
        self.rule = rule
        self._values = values

    @property
    def values(self) -> list[Dated]:
        return list(self._values)

    def at(self, when: date) -> Lookup:
        """The value in force on ``when`` (a later value ends an open earlier one).

        Before the first value, when that value is only known to be in force *since at least*
        its date, the answer is that value graded ``assumption`` with ``start_unknown`` set:
        the rule probably applied earlier too, and the plan is told so rather than given less."""
        first = self._values[0] if self._values else None
        if first is not None and when < first.start and first.citation.from_known == "at_least":
            return Lookup(
                self.rule,
                when,
                Status.UNVERIFIED,
                first.value,
                first.citation,
                first.note,
                first.start,
            )
        for i, dated in enumerate(self._values):
            nxt = self._values[i + 1].start if i + 1 < len(self._values) else None
            if dated.start <= when and (dated.end is None or when <= dated.end):
                if nxt is not None and when >= nxt:
                    continue
                status = Status.IN_FORCE if dated.citation.verified else Status.UNVERIFIED
                if dated.value is None:
                    status = Status.UNVERIFIED
                return Lookup(self.rule, when, status, dated.value, dated.citation, dated.note)
        return Lookup(self.rule, when, Status.NOT_IN_FORCE)

    def changes_between(self, start: date, end: date) -> list[Dated]:
        """Values that take effect after ``start`` and on or before ``end``."""
        return [d for d in self._values if start < d.start <= end]


def check_order(values: list[tuple[date, date | None]]) -> list[str]:
    """Problems with the order of dated values: unsorted, duplicate or overlapping periods."""
    problems = []
    for i in range(1, len(values)):
        (p_from, p_until), (c_from, _) = values[i - 1], values[i]
        if c_from == p_from:
            problems.append(f"values[{i}]: two values start on {c_from}")
        elif c_from < p_from:
            problems.append(f"values[{i}]: from {c_from} is before the previous from {p_from}")
        elif p_until is not None and c_from <= p_until:
            problems.append(
                f"values[{i}]: from {c_from} overlaps the previous value (until {p_until})"
            )
    return problems
