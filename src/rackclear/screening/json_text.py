"""Parsing a JSON list file within limits: nesting deeper than ``max_json_depth`` is refused
before parsing (no ``RecursionError``), numbers are read as ``Decimal`` (so that a number is
never mistaken for text, and a 5,000-digit number is no crash), ``NaN``/``Infinity`` are refused
(they are not JSON).

>>> depth_at('{"a": [[1], "[[[["]}')
(3, -1)
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from rackclear.screening.errors import ListFormatError
from rackclear.screening.limits import ListLimits

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def load_json(path: Path, text: str, limits: ListLimits) -> Any:
    """The document in ``text``; a ``ListFormatError`` naming the line when it is not JSON or
    nests deeper than the limit."""
    _, at = depth_at(text, limits.max_json_depth)
    if at >= 0:
        raise ListFormatError(
            path,
            [
                f"nested deeper than the limit of {limits.max_json_depth} levels (a CSL "
                "document nests 4 deep): not a CSL JSON document"
            ],
        )
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise ListFormatError(path, [f"line {exc.lineno}: not JSON ({exc.msg})"]) from None
    except (ValueError, RecursionError) as exc:
        raise ListFormatError(path, [f"not JSON ({exc})"]) from None


def depth_at(text: str, limit: int | None = None) -> tuple[int, int]:
    """The deepest nesting of arrays and objects outside strings, and the place (in the text
    without strings, or -1) where it first goes past ``limit``."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for place, char in enumerate(brackets):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
        if limit is not None and depth > limit:
            return deepest, place
    return deepest, -1


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")
