"""Conditions on an item's specs, as written in the border packs: ``{radio: true}``,
``{sockets: {gt: 4}}``, ``{server_type: {in: [large, network]}}``. Three answers: holds, does not
hold, or cannot tell (the spec is missing or unreadable), which is never taken as "does not hold".

>>> holds({"sockets": {"gt": 4}}, {"sockets": 8})
(True, ['sockets = 8 (gt 4)'])
>>> holds({"radio": True}, {})
(None, ['radio not given'])
>>> holds({"radio": True}, {"radio": "no"})[0]
False
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rackclear.export_control.eccn import parse_bool


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _equal(have: Any, want: Any) -> bool | None:
    if isinstance(want, bool):
        return None if (b := parse_bool(have)) is None else b is want
    if isinstance(want, int | float):
        number = _number(have)
        return None if number is None else number == Decimal(str(want))
    return str(have).strip().lower() == str(want).strip().lower()


def _compare(have: Any, op: str, want: Any) -> bool | None:
    if op == "eq":
        return _equal(have, want)
    if op == "in":
        answers = [_equal(have, w) for w in want]
        return True if any(answers) else (None if None in answers else False)
    a, b = _number(have), _number(want)
    if a is None or b is None:
        return None
    return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]


def holds(condition: dict[str, Any], specs: dict[str, Any]) -> tuple[bool | None, list[str]]:
    """Whether every part of ``condition`` holds for ``specs``, with the reasons."""
    why: list[str] = []
    unknown = False
    for key, want in condition.items():
        if key not in specs or specs[key] is None or str(specs[key]).strip() == "":
            why.append(f"{key} not given")
            unknown = True
            continue
        have = specs[key]
        for op, limit in want.items() if isinstance(want, dict) else [("eq", want)]:
            answer = _compare(have, op, limit)
            shown = f"{key} = {have} ({op} {limit})"
            if answer is None:
                why.append(f"{shown}: cannot compare")
                unknown = True
            elif answer is False:
                return False, [*why, f"{shown}: no"]
            else:
                why.append(shown)
    return (None if unknown else True), why
