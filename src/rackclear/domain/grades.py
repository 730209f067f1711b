"""Grades of evidence: how strongly a value is established, from the legal text down to a
planning assumption. An amount carries the weakest grade among its inputs.

>>> weakest(["official", "derived", "secondary"])
'secondary'
>>> is_firm("derived"), is_firm("assumption")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Grade = Literal["official", "official-file", "derived", "user", "secondary", "assumption"]
PackGrade = Literal["official", "derived", "secondary", "assumption"]

#: strongest first; ``weakest`` picks the last of these among its inputs
ORDER: tuple[Grade, ...] = (
    "official",
    "official-file",
    "derived",
    "user",
    "secondary",
    "assumption",
)
_RANK: dict[str, int] = {g: i for i, g in enumerate(ORDER)}

#: grades a total's confirmed part may rest on (``landed_cost_at_least``)
FIRM: frozenset[str] = frozenset({"official", "official-file", "derived", "user"})

MEANING: dict[str, str] = {
    "official": "read in the legal text or an official file, cited to it",
    "official-file": "from an official file you imported (file and SHA-256 recorded)",
    "derived": "a legal inference from official facts, with the inference written down",
    "user": "supplied by you in the map or on the command line",
    "secondary": "from a credible secondary source, cited: confirm before filing",
    "assumption": "a planning assumption: confirm before relying on it",
}


def is_firm(grade: str) -> bool:
    """Whether a value of this grade may count towards the confirmed part of a figure."""
    return grade in FIRM


def weaker(a: str, b: str) -> str:
    """The weaker of two grades (the hot path of adding estimates)."""
    if a == b:
        return a
    return a if _RANK[a] > _RANK[b] else b


def weakest(grades: Iterable[str]) -> Grade:
    """The weakest of ``grades`` (``official`` when there are none)."""
    worst: Grade = "official"
    for grade in grades:
        if _RANK[grade] > _RANK[worst]:
            worst = ORDER[_RANK[grade]]
    return worst
