"""The grade and date-quality cells that every cited CSV row of a rule pack carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import get_args

from rackclear.domain.grades import PackGrade
from rackclear.rulebook.errors import PackError

PACK_GRADES: tuple[str, ...] = get_args(PackGrade)
FROM_KNOWN = ("exact", "at_least")


@dataclass(frozen=True, slots=True)
class Evidence:
    grade: str
    from_known: str


def evidence_cells(
    row: dict[str, str], start: date, read: date, where: str, file: str, errors: list[PackError]
) -> Evidence | None:
    """``grade`` (required), ``from_known`` (exact by default) and the checks they imply: a
    derived value writes its inference in ``note``; a ``from`` equal to ``read`` says why there."""
    grade = (row.get("grade") or "").strip()
    from_known = (row.get("from_known") or "").strip() or "exact"
    note = (row.get("note") or "").strip()
    problems = []
    if grade not in PACK_GRADES:
        problems.append(f"grade {grade!r} is not one of {', '.join(PACK_GRADES)}")
    if from_known not in FROM_KNOWN:
        problems.append(f"from_known {from_known!r} is not exact or at_least")
    if grade == "derived" and not note:
        problems.append("a derived value needs its inference written in note")
    if start == read and not note:
        problems.append(
            f"from {start} is the date it was read: give the legal start date, or say why in note"
        )
    for problem in problems:
        errors.append(PackError(file, where, problem))
    return None if problems else Evidence(grade, from_known)
