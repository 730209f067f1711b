"""The national line of a classified item in one destination: the family's dated mapping (with
spec conditions), else the only line beneath the HS 6-digit, else the 6-digit with a finding
that the line must be extended nationally. The rate comes from the destination's pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rackclear.domain.determination import Step
from rackclear.rulebook.loader import Pack
from rackclear.rulebook.lookup import Status
from rackclear.rulebook.national import NationalLine as Mapping
from rackclear.rulebook.registry import Rulebook
from rackclear.rulebook.tariff import Tariff, digits


@dataclass
class NationalLine:
    country: str
    hs6: str
    code: str | None  # digits only; None when no pack covers the country
    formatted: str | None
    description: str | None
    rate: str | None
    complete: bool  # True when ``code`` is a full national line known to the pack
    steps: list[Step] = field(default_factory=list)
    problem: str | None = (
        None  # finding code to raise (EXTEND_NATIONALLY, NATIONAL_LINE_NEEDS_SPEC ...)
    )
    candidates: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "formatted": self.formatted,
            "description": self.description,
            "rate": self.rate,
            "hs6": self.hs6,
            "complete": self.complete,
            "candidates": self.candidates,
        }


def duty_column(book: Rulebook, pack: Pack) -> str | None:
    chain = book.charges(pack.meta.id)
    if chain is None:
        return None
    return next((c.rate.tariff for c in chain.charges if c.kind == "duty" and c.rate.tariff), None)


def rate_text(book: Rulebook, pack: Pack, code: str, when: date) -> str:
    """The duty rate of ``code`` as a short text: ``Free``, ``2.7 %`` or why it is unknown."""
    tariff, column = book.tariff(pack.meta.id), duty_column(book, pack)
    if tariff is None or column is None:
        return "unknown (no tariff in the pack)"
    lines = tariff.find(code)
    if not lines:
        return "unknown (line not in the pack)"
    found = [tariff.rate(line.code, column, when) for line in lines]
    if any(f.status is Status.UNVERIFIED for f in found):
        held = {str(f.value) for f in found if f.value is not None}
        return (
            f"unknown (unverified{'; pack holds ' + '/'.join(sorted(held)) + ' %' if held else ''})"
        )
    if any(not f.usable for f in found):
        return f"unknown (no rate in force on {when})"
    values = {f.value for f in found}
    if len(values) > 1:
        return "depends on the national line"
    value = values.pop()
    return "Free" if value == 0 else f"{value} %"


def _mappings(book: Rulebook, pack: Pack, family: str, when: date) -> list[Mapping]:
    for p in book.chain(pack.meta.id):
        if p.national_lines is not None and family in p.national_lines.families():
            return p.national_lines.for_family(family, when)
    return []


def national_line(
    book: Rulebook, country: str, family: str, hs6: str, specs: dict[str, Any], when: date
) -> NationalLine:
    pack = book.jurisdiction(country)
    if pack is None:
        return NationalLine(
            country,
            hs6,
            None,
            None,
            None,
            None,
            False,
            [Step(f"No rule pack covers {country}")],
            "NO_JURISDICTION_PACK",
        )
    tariff = book.tariff(pack.meta.id)
    rows = _mappings(book, pack, family, when)
    decided = [r for r in rows if all(c.holds(specs) for c in r.conditions)]
    undecided = [
        r
        for r in rows
        if r not in decided and all(c.holds(specs) is not False for c in r.conditions)
    ]
    if len(decided) == 1 and digits(decided[0].line).startswith(digits(hs6)):
        return _mapped(book, pack, tariff, country, hs6, decided[0], when)
    if undecided and not decided:
        needed = sorted({c.key for r in undecided for c in r.conditions if c.holds(specs) is None})
        out = _six(book, pack, country, hs6, when, "NATIONAL_LINE_NEEDS_SPEC")
        out.candidates = [
            f"{r.line} if {'; '.join(str(c) for c in r.conditions)}" for r in undecided
        ]
        out.steps.append(
            Step(
                f"The national line depends on specs not given: {', '.join(needed)}",
                ", ".join(r.line for r in undecided),
            )
        )
        return out
    beneath = [line for line in (tariff.find(hs6) if tariff else []) if len(digits(line.code)) > 6]
    if len(beneath) == 1:
        line = beneath[0]
        return NationalLine(
            country,
            hs6,
            digits(line.code),
            line.code,
            line.description,
            rate_text(book, pack, line.code, when),
            True,
            [Step(f"The only {country} line under {hs6} in the pack: {line.code}", line.code)],
        )
    out = _six(book, pack, country, hs6, when, "EXTEND_NATIONALLY")
    if beneath:
        out.candidates = [line.code for line in beneath]
        out.steps.append(
            Step(
                f"{len(beneath)} {country} lines lie under {hs6}; the rules do not choose between them",
                ", ".join(out.candidates),
            )
        )
    else:
        out.steps.append(
            Step(
                f"The {country} pack holds no national line under {hs6}; extend it nationally", hs6
            )
        )
    return out


def _six(
    book: Rulebook, pack: Pack, country: str, hs6: str, when: date, problem: str
) -> NationalLine:
    return NationalLine(
        country, hs6, digits(hs6), hs6, None, rate_text(book, pack, hs6, when), False, [], problem
    )


def _mapped(
    book: Rulebook,
    pack: Pack,
    tariff: Tariff | None,
    country: str,
    hs6: str,
    row: Mapping,
    when: date,
) -> NationalLine:
    if not row.citation.verified:
        out = _six(book, pack, country, hs6, when, "NATIONAL_MAPPING_UNVERIFIED")
        out.candidates = [row.line]
        out.steps.append(
            Step(
                f"{country} line {row.line} for this family is unverified: not used",
                hs6,
                row.citation,
            )
        )
        return out
    known = tariff.find(row.line) if tariff else []
    exact = [line for line in known if digits(line.code) == digits(row.line)]
    description = exact[0].description if exact else None
    conditions = f" ({'; '.join(str(c) for c in row.conditions)})" if row.conditions else ""
    step = Step(
        f"{country} national line for this family{conditions}: {row.line}", row.line, row.citation
    )
    out = NationalLine(
        country,
        hs6,
        digits(row.line),
        row.line,
        description,
        rate_text(book, pack, row.line, when),
        bool(exact),
        [step],
    )
    if not exact:
        out.problem = "EXTEND_NATIONALLY"
        out.steps.append(
            Step(
                f"{row.line} is not in the {country} tariff pack; its rate is taken from the line that encloses it",
                "",
            )
        )
    return out
