"""The CBP Form 7501 entry summary data set of one shipment, built from plain values.

The builder takes the figures the planner has already computed (duty, MPF, HMF, chapter 99
lines); it computes nothing but the totals. An amount given as ``None`` is unknown: the totals
are then unknown too (never a sum that treats it as zero). ``validate_entry_summary`` lists the
problems that would make the summary unfileable or weak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from rackclear.classification.vague import judge
from rackclear.domain.money import as_text
from rackclear.rulebook.schema import VagueFile

EntryType = Literal["01", "11"]
ENTRY_TYPES: dict[str, str] = {"01": "consumption (formal)", "11": "informal"}
Severity = Literal["error", "warning"]

# Importer number forms on the 7501: IRS EIN (NN-NNNNNNN, optional 2-character suffix), SSN
# (NNN-NN-NNNN) or a CBP-assigned number (YYDDPP-NNNNN).
_IMPORTER_FORMS = (
    re.compile(r"^\d{2}-\d{7}([A-Z0-9]{2})?$"),
    re.compile(r"^\d{3}-\d{2}-\d{4}$"),
    re.compile(r"^\d{6}-\d{5}$"),
)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _sum(values: list[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _text(value: Decimal | None) -> str | None:
    return as_text(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class Chapter99Line:
    """An additional duty reported under a chapter 99 number (Section 301, 232, 122 ...)."""

    number: str  # e.g. "9903.88.03"
    program: str  # e.g. "Section 301"
    rate: Decimal | None  # percent
    amount: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "program": self.program,
            "rate": _text(self.rate),
            "amount": _text(self.amount),
        }


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """One line of the entry summary."""

    hts: str  # 10-digit HTSUS statistical number
    description: str
    entered_value: Decimal | None
    duty_rate: Decimal | None  # percent (0 for Free)
    duty: Decimal | None
    chapter99: tuple[Chapter99Line, ...] = ()
    country_of_origin: str | None = None  # when it differs from the entry's

    @property
    def total_duty(self) -> Decimal | None:
        return _sum([self.duty] + [c.amount for c in self.chapter99])

    def to_dict(self) -> dict[str, Any]:
        return {
            "hts": self.hts,
            "description": self.description,
            "entered_value": _text(self.entered_value),
            "duty_rate": _text(self.duty_rate),
            "duty": _text(self.duty),
            "chapter99": [c.to_dict() for c in self.chapter99],
            "country_of_origin": self.country_of_origin,
            "total_duty": _text(self.total_duty),
        }


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """The CBP Form 7501 data set of one shipment (USD amounts)."""

    entry_type: str  # "01" consumption, "11" informal
    importer_number: str | None
    port_of_entry: str | None  # 4-digit Schedule D code; None until known
    entry_date: date | None
    import_date: date | None
    country_of_origin: str | None
    exporting_country: str | None
    lines: tuple[SummaryLine, ...]
    mpf: Decimal | None
    hmf: Decimal | None  # 0 where it does not apply (air cargo), None if unknown
    foreign_ior: bool = False
    currency: str = field(default="USD")

    @property
    def entered_value(self) -> Decimal | None:
        return _sum([line.entered_value for line in self.lines])

    @property
    def duty(self) -> Decimal | None:
        return _sum([line.duty for line in self.lines])

    @property
    def chapter99(self) -> Decimal | None:
        return _sum([c.amount for line in self.lines for c in line.chapter99])

    @property
    def total(self) -> Decimal | None:
        """Duty + chapter 99 duties + MPF + HMF; None when any of them is unknown."""
        return _sum([self.duty, self.chapter99, self.mpf, self.hmf])

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": "CBP Form 7501",
            "entry_type": self.entry_type,
            "entry_type_name": ENTRY_TYPES.get(self.entry_type),
            "importer_number": self.importer_number,
            "port_of_entry": self.port_of_entry,
            "entry_date": self.entry_date.isoformat() if self.entry_date else None,
            "import_date": self.import_date.isoformat() if self.import_date else None,
            "country_of_origin": self.country_of_origin,
            "exporting_country": self.exporting_country,
            "currency": self.currency,
            "lines": [line.to_dict() for line in self.lines],
            "entered_value": _text(self.entered_value),
            "duty": _text(self.duty),
            "chapter99": _text(self.chapter99),
            "mpf": _text(self.mpf),
            "hmf": _text(self.hmf),
            "total": _text(self.total),
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with an entry summary: where, what, and how serious."""

    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def chapter99_line(
    number: str, program: str, rate: Decimal | None, amount: Decimal | None
) -> Chapter99Line:
    return Chapter99Line(number.strip(), program, rate, amount)


def summary_line(
    hts: str,
    description: str,
    entered_value: Decimal | None,
    duty_rate: Decimal | None,
    duty: Decimal | None,
    chapter99: list[Chapter99Line] | None = None,
    country_of_origin: str | None = None,
) -> SummaryLine:
    return SummaryLine(
        hts.strip(),
        description.strip(),
        entered_value,
        duty_rate,
        duty,
        tuple(chapter99 or ()),
        country_of_origin,
    )


def build_entry_summary(
    *,
    entry_type: str,
    importer_number: str | None,
    port_of_entry: str | None,
    entry_date: date | None,
    import_date: date | None,
    country_of_origin: str | None,
    exporting_country: str | None,
    lines: list[SummaryLine],
    mpf: Decimal | None,
    hmf: Decimal | None,
    foreign_ior: bool = False,
) -> EntrySummary:
    """An entry summary from plain values (strings, Decimals, dates). No check is made here:
    call ``validate_entry_summary``."""
    return EntrySummary(
        entry_type=entry_type.strip(),
        importer_number=(importer_number or "").strip() or None,
        port_of_entry=(port_of_entry or "").strip() or None,
        entry_date=entry_date,
        import_date=import_date,
        country_of_origin=(country_of_origin or "").strip().upper() or None,
        exporting_country=(exporting_country or "").strip().upper() or None,
        lines=tuple(lines),
        mpf=mpf,
        hmf=hmf,
        foreign_ior=foreign_ior,
    )


def _vague_rules() -> VagueFile | None:
    from rackclear.rulebook import load_rulebook

    pack = load_rulebook().packs.get("classification")
    return pack.vague if pack is not None else None


def validate_entry_summary(summary: EntrySummary, vague: VagueFile | None = None) -> list[Problem]:
    """Every problem found, in field order. ``vague`` is the classification pack's vague-word
    rules (loaded from the built-in packs when not given)."""
    problems: list[Problem] = []
    add = problems.append
    if summary.entry_type not in ENTRY_TYPES:
        add(
            Problem(
                "entry_type", f"{summary.entry_type!r} is not 01 (consumption) or 11 (informal)"
            )
        )
    elif summary.entry_type == "11" and summary.foreign_ior:
        add(
            Problem(
                "entry_type",
                "informal entry (11) for a foreign importer of record: the executive order of "
                "2026-06-03 directs CBP to bar it (pending rulemaking); file a formal entry (01)",
                "warning",
            )
        )
    if summary.importer_number is None:
        add(Problem("importer_number", "missing: the importer of record number is required"))
    elif not any(p.match(summary.importer_number) for p in _IMPORTER_FORMS):
        add(
            Problem(
                "importer_number",
                f"{summary.importer_number!r} is not in an EIN (NN-NNNNNNN[XX]), SSN or "
                "CBP-assigned (YYDDPP-NNNNN) form",
                "warning",
            )
        )
    if summary.port_of_entry is None:
        add(Problem("port_of_entry", "not known yet", "warning"))
    elif len(_digits(summary.port_of_entry)) != 4 or len(summary.port_of_entry) != 4:
        add(Problem("port_of_entry", f"{summary.port_of_entry!r} is not a 4-digit port code"))
    for name in ("entry_date", "import_date", "country_of_origin", "exporting_country"):
        if getattr(summary, name) is None:
            add(Problem(name, "missing"))
    for name in ("country_of_origin", "exporting_country"):
        value = getattr(summary, name)
        if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
            add(Problem(name, f"{value!r} is not an ISO 3166 alpha-2 code"))
    if (
        summary.entry_date is not None
        and summary.import_date is not None
        and summary.entry_date < summary.import_date
        and summary.entry_type == "01"
    ):
        add(
            Problem(
                "entry_date",
                f"{summary.entry_date} is before the import date {summary.import_date}",
                "warning",
            )
        )
    if not summary.lines:
        add(Problem("lines", "no lines"))
    rules = vague if vague is not None else _vague_rules()
    for i, line in enumerate(summary.lines):
        where = f"lines[{i}]"
        digits = _digits(line.hts)
        if len(digits) != 10:
            add(
                Problem(
                    f"{where}.hts",
                    f"{line.hts!r} has {len(digits)} digits; the entry summary needs the 10-digit "
                    "statistical number",
                )
            )
        if not line.description:
            add(Problem(f"{where}.description", "missing"))
        elif rules is not None:
            verdict = judge(line.description, rules)
            if verdict.vague:
                add(
                    Problem(
                        f"{where}.description",
                        f"{line.description!r} is too vague ({verdict.reason}); 19 CFR 141.87 "
                        "needs a description that says what the goods are",
                    )
                )
        for label, value in (
            ("entered_value", line.entered_value),
            ("duty_rate", line.duty_rate),
            ("duty", line.duty),
        ):
            if value is None:
                add(Problem(f"{where}.{label}", "unknown"))
            elif value < 0:
                add(Problem(f"{where}.{label}", f"{value} is negative"))
        for j, extra in enumerate(line.chapter99):
            ch = f"{where}.chapter99[{j}]"
            d = _digits(extra.number)
            if not d.startswith("99") or len(d) not in (8, 10):
                add(Problem(f"{ch}.number", f"{extra.number!r} is not a chapter 99 number"))
            if extra.amount is None:
                add(Problem(f"{ch}.amount", f"{extra.program} amount unknown"))
    for name in ("mpf", "hmf"):
        if getattr(summary, name) is None:
            add(Problem(name, "unknown"))
    if summary.total is None and summary.lines:
        add(Problem("total", "unknown: an amount above is unknown (it is never taken as zero)"))
    return problems
