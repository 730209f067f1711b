"""One result of a CSL JSON document, checked field by field before it becomes a ``CslRecord``:
text where text belongs (``name``, ``source``, each alias, address part and country), never an
array, a number, ``null`` or an object turned into text such as ``"['ACME', 'B']"``.

>>> from rackclear.screening.limits import DEFAULT_LIMITS
>>> item_problems({"source": "SDN", "name": ["ACME", "B"]}, DEFAULT_LIMITS)
['name is an array (2 items), expected text']
>>> item_problems({"source": "SDN", "name": "ACME", "alt_names": [7]}, DEFAULT_LIMITS)
['alt_names[0] is a number (7), expected text']
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rackclear.screening.csl import CslRecord
from rackclear.screening.limits import ListLimits, too_long
from rackclear.screening.rows import split_list

TEXT_LISTS = ("alt_names", "nationalities", "citizenships", "programs")
ADDRESS_PARTS = ("address", "city", "state", "postal_code", "country")
# what a result says of the listing: text or null
LISTING_FIELDS = ("license_requirement", "license_policy", "start_date", "federal_register_notice")
MAX_ID_DIGITS = 30


def describe(found: Any) -> str:
    """What a JSON value is, in words, with a short view of it."""
    if found is None:
        return "null"
    if isinstance(found, bool):
        return str(found).lower()
    if isinstance(found, Decimal | int | float):
        return f"a number ({str(found)[:40]})"
    if isinstance(found, list):
        return f"an array ({len(found)} items)"
    return "an object" if isinstance(found, dict) else "text"


def item_problems(item: Any, limits: ListLimits) -> list[str]:
    """Every field of ``item`` that is not what a CSL result holds there."""
    if not isinstance(item, dict):
        return [f"{describe(item)}, expected an object with source and name"]
    problems: list[str] = []
    for key in ("source", "name"):
        problems += _required(key, item.get(key), _limit(key, limits))
    problems += _text("type", item.get("type"), limits.max_field_chars)
    for key in LISTING_FIELDS:
        problems += _text(key, item.get(key), limits.max_field_chars)
    for key in ("id", "entity_number"):
        problems += _id(key, item.get(key), limits.max_field_chars)
    for key in TEXT_LISTS:
        problems += _texts(key, item.get(key), _limit(key, limits))
    return problems + _addresses(item.get("addresses"), limits.max_field_chars)


def _limit(key: str, limits: ListLimits) -> int:
    return limits.max_name_chars if key in ("name", "alt_names") else limits.max_field_chars


def _required(key: str, found: Any, limit: int) -> list[str]:
    problems = _text(key, found, limit, nullable=False)
    return problems or ([] if found.strip() else [f"{key} is empty"])


def _text(key: str, found: Any, limit: int, nullable: bool = True) -> list[str]:
    if found is None and nullable:
        return []
    if not isinstance(found, str):
        return [f"{key} is {describe(found)}, expected text"]
    problem = too_long(key, found, limit)
    return [problem] if problem else []


def _id(key: str, found: Any, limit: int) -> list[str]:
    if not isinstance(found, Decimal):
        return _text(key, found, limit)
    if _whole(found):
        return []
    return [f"{key} is {describe(found)}, expected text or a whole number"]


def _whole(number: Decimal) -> bool:
    return (
        number.is_finite()
        and number == number.to_integral_value()
        and number.adjusted() < MAX_ID_DIGITS
    )


def _texts(key: str, found: Any, limit: int) -> list[str]:
    """An array of text, or text separated by ``;``, or null; each part within ``limit``."""
    if isinstance(found, str):
        found = split_list(found)
    elif found is None:
        return []
    if not isinstance(found, list):
        return [f"{key} is {describe(found)}, expected an array of text"]
    return [p for n, part in enumerate(found) for p in _text(f"{key}[{n}]", part, limit, False)]


def _addresses(found: Any, limit: int) -> list[str]:
    if found is None:
        return []
    if not isinstance(found, list):
        return [f"addresses is {describe(found)}, expected an array of objects"]
    problems: list[str] = []
    for n, address in enumerate(found):
        if not isinstance(address, dict):
            problems.append(f"addresses[{n}] is {describe(address)}, expected an object")
            continue
        for part in ADDRESS_PARTS:
            problems += _text(f"addresses[{n}].{part}", address.get(part), limit)
    return problems


def record_from_json(row: int, item: dict[str, Any]) -> CslRecord:
    """A checked JSON result (see :func:`item_problems`): ``addresses`` are objects,
    ``alt_names`` and ``programs`` arrays (or ``;``-separated text)."""
    entity = _id_text(item.get("entity_number"))
    source = item["source"].strip()
    return CslRecord(
        row=row,
        source=source,
        name=item["name"].strip(),
        kind=(item.get("type") or "").strip().lower(),
        record_id=_id_text(item.get("id")) or (f"{source}:{entity}" if entity else ""),
        aliases=_strings(item.get("alt_names")),
        addresses=[_json_address(a) for a in item.get("addresses") or []],
        nationalities=_strings(item.get("nationalities")) + _strings(item.get("citizenships")),
        programs=_strings(item.get("programs")),
        licence_requirement=(item.get("license_requirement") or "").strip(),
        licence_policy=(item.get("license_policy") or "").strip(),
        listed_on=(item.get("start_date") or "").strip(),
        notice=(item.get("federal_register_notice") or "").strip(),
    )


def _id_text(found: str | Decimal | None) -> str:
    if isinstance(found, Decimal):
        return str(int(found))
    return (found or "").strip()


def _json_address(address: dict[str, str | None]) -> tuple[str, str]:
    parts = [(address.get(k) or "").strip() for k in ADDRESS_PARTS]
    return ", ".join(p for p in parts if p), parts[-1]


def _strings(found: str | list[str] | None) -> list[str]:
    if isinstance(found, str):
        return split_list(found)
    return [v.strip() for v in found or [] if v.strip()]
