"""The ITA derivation: a participant's 0 % binding on an ITA product caps its applied MFN rate at
0 %, unless a national measure the ``ita`` pack knows says otherwise. Used only where the national
pack holds no firm rate; the answer is graded by its weakest input and says its inference."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.grades import weakest
from rackclear.rulebook.tariff import digits
from rackclear.valuation.context import Context
from rackclear.valuation.tariff_rate_model import RateAnswer

_CACHE: dict[tuple[int, str, str, str, date], RateAnswer | None] = {}


def ita_rate(ctx: Context, code: str, column: str) -> RateAnswer | None:
    """The derived 0 % of ``code`` in ``column``, or None when the ITA does not settle it
    (worked out once per rulebook, destination, line, column and date; a fresh copy each time,
    since callers add steps)."""
    key = (id(ctx.book), ctx.entry.destination, code, column, ctx.as_of)
    if key not in _CACHE:
        if len(_CACHE) > 65536:
            _CACHE.clear()
        _CACHE[key] = _derive(ctx, code, column)
    found = _CACHE[key]
    return None if found is None else replace(found, steps=list(found.steps))


def _derive(ctx: Context, code: str, column: str) -> RateAnswer | None:
    pack = ctx.book.packs.get("ita")
    if pack is None or pack.country_groups is None:
        return None
    country, when = ctx.entry.destination, ctx.as_of
    columns = ctx.book.parameter("ita", "applied_columns", when)
    if not columns.estimable or columns.value.get(country) != column:
        return None
    member = pack.country_groups.member(country, "ITA", when)
    cover = ctx.book.parameter("ita", "coverage", when)
    d = digits(code)
    hs6 = f"{d[:4]}.{d[4:6]}"
    if member is None or not cover.estimable or hs6 not in cover.value:
        return None
    deviations = ctx.book.parameter("ita", "deviations", when)
    if deviations.estimable and hs6 in deviations.value.get(country, []):
        return None
    inputs: list[tuple[str, Citation | None, str]] = [
        (member.citation.rule, member.citation, member.citation.grade)
    ]
    inputs.append((cover.rule, cover.citation, cover.grade or "assumption"))
    grade = weakest(["derived", *(g for _, _, g in inputs)])
    weak = tuple(i for i in inputs if i[2] in ("secondary", "assumption"))
    since = member.citation.effective_from
    step = Step(
        f"Derived: {country} is an ITA participant with its zero-duty binding recorded from {since}"
        f" ({member.citation.reference}); {hs6} is an ITA product ({cover.citation.reference if cover.citation else cover.rule});"
        f" a 0 % binding caps the applied {column} rate at 0 %, and the ITA pack records no"
        f" national deviation for it (grade {grade})",
        "0 %",
        member.citation,
    )
    return RateAnswer(Decimal(0), member.citation, [step], grade, weak=weak)
