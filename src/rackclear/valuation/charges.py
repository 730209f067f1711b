"""The charge chain: duties, additional duties, taxes and fees, evaluated link by link from the
pack's ``charges.yaml``. Bases use exact amounts; each amount is rounded as the authority rounds.
An unknown rate or base gives an unknown amount, never zero."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Charge, Step
from rackclear.domain.finding_codes import make
from rackclear.domain.grades import is_firm, weaker, weakest
from rackclear.domain.money import Money, Rounding, percent_of, round_amount
from rackclear.rulebook.lookup import Lookup
from rackclear.rulebook.schema import ChargeSpec, RoundingSpec
from rackclear.valuation.context import Context
from rackclear.valuation.estimate import Estimate
from rackclear.valuation.measures import measure_charges
from rackclear.valuation.model import LineResult, Preference
from rackclear.valuation.tariff_rate import RateAnswer, graded, graded_note, line_rate


def total_of(estimates: list[Estimate]) -> Estimate:
    out = Estimate.zero()
    for e in estimates:
        out = out + e
    return out


@lru_cache(maxsize=256)
def rounding_of(spec: RoundingSpec) -> Rounding:
    return Rounding(places=spec.places, mode=spec.mode, step=spec.step)


def applies(ctx: Context, spec: ChargeSpec) -> bool:
    """Whether a chain link is levied on this entry (its dates and transport modes)."""
    if spec.from_ and ctx.as_of < spec.from_:
        return False
    if spec.until and ctx.as_of > spec.until:
        return False
    if spec.modes and ctx.entry.mode not in spec.modes:
        return False
    if not spec.subdivisions:
        return True
    where = ctx.entry.subdivision
    if where is None:  # not told where: levied, and the map is asked (never silently dropped)
        if not any(
            f.code == "SUBDIVISION_NEEDED" and spec.name in f.message for f in ctx.result.findings
        ):
            ctx.add(
                make(
                    "SUBDIVISION_NEEDED",
                    f"{spec.name} is levied only in {', '.join(spec.subdivisions)}; the site's subdivision (emirate, province or state) is not given, so it is counted.",
                    "Give sites[].subdivision (ISO 3166-2, e.g. AE-AZ for Abu Dhabi) and re-plan.",
                    ctx.concerns(),
                )
            )
        return True
    return where in spec.subdivisions


@dataclass(frozen=True, slots=True)
class Base:
    """A charge's base: ``exact`` (None when a component is unknown), its parts, and the
    estimate of it (range, firm part, grade) built from the components' own estimates."""

    exact: Decimal | None
    parts: list[str]
    estimate: Estimate


def _base(
    ctx: Context,
    spec: ChargeSpec,
    customs_value: Money | None,
    done: list[Charge],
    value_grade: str = "official",
) -> Base:
    """The exact base: customs value plus the named earlier charges (``duties`` = all duties)."""
    total: Decimal | None = Decimal(0)
    parts: list[str] = []
    est = Estimate.zero()
    for name in spec.base:
        if name == "customs_value":
            if customs_value is None:
                total, est = None, est + Estimate.unknown()
                parts.append(f"{name} unknown")
                continue
            est = est + Estimate.exact(customs_value.amount, value_grade, is_firm(value_grade))
            picked: list[Decimal | None] = [customs_value.amount]
        else:
            chosen = [
                c
                for c in done
                if (c.kind in ("duty", "additional_duty") if name == "duties" else c.id == name)
            ]
            picked = [_part(c, spec) for c in chosen]
            est = plus_charges(est, chosen)
        if any(p is None for p in picked) or total is None:
            total = None
            parts.append(f"{name} unknown" if any(p is None for p in picked) else name)
            continue
        total += sum((p for p in picked if p is not None), Decimal(0))
        parts.append(name)
    return Base(total, parts, est)


def plus_charges(est: Estimate, charges: list[Charge]) -> Estimate:
    """``est`` plus the charges' estimates, without building one per charge."""
    value, low, high, firm, grade = est.value, est.low, est.high, est.firm, est.grade
    for c in charges:
        value = None if value is None or c.amount is None else value + c.amount.amount
        high = None if high is None or c.high is None else high + c.high
        low, firm, grade = low + c.low, firm + c.firm, weaker(grade, c.grade)
    return Estimate(value, low, high, firm, grade)


def estimate_of(charge: Charge) -> Estimate:
    """A charge's amount as an estimate (its range, firm part and grade)."""
    value = charge.amount.amount if charge.amount else None
    return Estimate(value, charge.low, charge.high, charge.firm, charge.grade)


def _part(charge: Charge, spec: ChargeSpec) -> Decimal | None:
    """An earlier charge as a base component: its exact or its rounded amount, as the pack says."""
    if spec.base_uses == "rounded":
        return charge.amount.amount if charge.amount else None
    return charge.exact


def _apply(
    ctx: Context,
    spec: ChargeSpec,
    answer: RateAnswer,
    base_of: Base,
    cid: str | None = None,
    name: str | None = None,
) -> Charge:
    base, parts = base_of.exact, base_of.parts
    charge = Charge(
        cid or spec.id,
        name or spec.name,
        spec.kind,
        answer.rate,
        None,
        None,
        None,
        answer.citation,
        list(answer.steps),
        weak=answer.weak,
        range_reason=answer.range_reason,
    )
    rounding = ctx.rounding(spec.rounding)
    est = base_of.estimate
    if spec.base_rounding:  # the range and firm part rest on the base as the authority rounds it
        r = rounding_of(spec.base_rounding)
        est = Estimate(
            None if est.value is None else round_amount(est.value, r),
            round_amount(est.low, r),
            None if est.high is None else round_amount(est.high, r),
            round_amount(est.firm, r),
            est.grade,
        )
    ranged = _estimate_parts(charge, answer, est, rounding)
    if base is None:
        charge.steps.append(Step(f"Base ({' + '.join(parts)}) unknown: amount unknown", "unknown"))
        return charge
    if spec.base_rounding:
        rounded_base = round_amount(base, rounding_of(spec.base_rounding))
        charge.steps.append(
            Step(
                f"Base {base} {ctx.currency} {rounding_of(spec.base_rounding).describe()}",
                f"{rounded_base}",
                None,
            )
        )
        base = rounded_base
    charge.base = Money(base, ctx.currency)
    if answer.rate is None:
        return charge
    exact = percent_of(base, answer.rate)
    amount = round_amount(exact, rounding)
    charge.exact, charge.amount = exact, Money(amount, ctx.currency)
    charge.steps.append(
        Step(
            f"{answer.rate} % of {' + '.join(parts)} {base} {ctx.currency}",
            f"{exact} {ctx.currency}",
        )
    )
    how = rounding.describe() + (f" ({spec.rounding.reference})" if spec.rounding.reference else "")
    if not spec.rounding.verified:
        how += f" [rounding practice: grade {spec.rounding.grade}]"
    charge.steps.append(Step(f"Amount {how}", f"{amount} {ctx.currency}"))
    _settle(charge, amount, ranged)
    return charge


def _estimate_parts(charge: Charge, answer: RateAnswer, base: Estimate, rounding: Rounding) -> bool:
    """Range, firm part and grade of a charge from its rate's and its base's; True when the
    charge has a range of its own (otherwise both ends are its amount, set by ``_settle``)."""
    charge.grade = weaker(answer.grade, base.grade)
    if answer.rate is None:
        charge.low, charge.high, charge.firm = Decimal(0), None, Decimal(0)
        return True
    ranged = not (
        answer.low is None
        and answer.high is None
        and base.value is not None
        and base.low == base.value
        and base.high == base.value
    )
    if ranged:
        low_rate = answer.low if answer.low is not None else answer.rate
        high_rate = answer.high if answer.high is not None else answer.rate
        charge.low = round_amount(percent_of(base.low, low_rate), rounding)
        charge.high = (
            None if base.high is None else round_amount(percent_of(base.high, high_rate), rounding)
        )
    if is_firm(answer.grade) and not is_firm(charge.grade):  # a firm rate on a partly weak base
        charge.firm = round_amount(percent_of(base.firm, answer.rate), rounding)
    else:
        charge.firm = Decimal(0)  # nothing (weak rate), or the whole amount (set by _settle)
    return ranged


def _settle(charge: Charge, amount: Decimal, ranged: bool) -> None:
    """Once the amount is known: without a range the ends are the amount itself; a charge of
    firm grade is firm whole."""
    if not ranged or (charge.range_reason is None and charge.high == charge.low):
        charge.low = charge.high = amount
    elif charge.range_reason is None:
        charge.low, charge.high = min(charge.low, amount), max(charge.high or amount, amount)
    if is_firm(charge.grade):
        charge.firm = amount
    charge.firm = min(charge.firm, amount)


def parameter_rate(
    ctx: Context, spec: ChargeSpec, name: str, line: LineResult | None = None
) -> RateAnswer:
    found = ctx.parameter(name)
    if not found.estimable:
        step = ctx.unusable(
            found, spec.name, line.index if line else None, line.sku if line else None
        )
        return RateAnswer(None, found.citation, [step])
    rate = as_rate(found.value)
    return graded(
        found,
        rate,
        [
            Step(
                f"{spec.name} rate {found.value} %" + graded_note(found),
                f"{rate} %",
                found.citation,
            )
        ],
    )


def as_rate(value: object) -> Decimal:
    """A percentage from a pack: a number, or an exact fraction written ``"2200/78"``."""
    text = str(value)
    if "/" in text:
        num, den = text.split("/", 1)
        return Decimal(num.strip()) / Decimal(den.strip())
    return Decimal(text)


def line_charges(
    ctx: Context,
    spec: ChargeSpec,
    line: LineResult,
    spec_values: dict[str, object],
    preference: Preference,
) -> list[Charge]:
    """This link's charges on one line (measures may give none or several)."""
    base = _base(ctx, spec, line.customs_value, line.charges, line.value_grade)
    if spec.rate.measures:
        return [
            _apply(ctx, spec, answer, base, cid, cname)
            for cid, cname, answer in measure_charges(ctx, spec, line, spec_values)
        ]
    if spec.rate.parameter:
        answer = parameter_rate(ctx, spec, spec.rate.parameter, line)
    else:
        answer = line_rate(ctx, spec, line, preference)
    return [_apply(ctx, spec, answer, base)]


def entry_charge(
    ctx: Context, spec: ChargeSpec, lines: list[LineResult], done: list[Charge]
) -> Charge:
    """An entry-level charge (e.g. MPF): rate on the summed base, then the minimum and maximum.
    Lines the charge exempts as originating (``exempt_originating``) are left out of the base;
    when every line is exempt the charge is nil and no minimum applies."""
    exempt, steps, weak = _exempt_originating(ctx, spec, lines)
    if exempt and len(exempt) == len(lines):
        nil = Charge(spec.id, spec.name, spec.kind, None, Money(Decimal(0), ctx.currency), None)
        nil.amount, nil.exact, nil.low, nil.high, nil.firm = (
            Money(Decimal(0), ctx.currency), Decimal(0), Decimal(0), Decimal(0), Decimal(0),
        )  # fmt: skip
        nil.citation = steps[-1].citation if steps else None
        if weak:
            nil.grade, nil.weak = weak[2], (weak,)
        nil.steps = [*steps, Step(f"{spec.name}: every line is exempt; nothing is due", "0")]
        return nil
    lines = [line for line in lines if line.index not in exempt]
    values = [line.customs_value for line in lines]
    total_value = (
        None
        if any(v is None for v in values)
        else Money(sum((v.amount for v in values if v), Decimal(0)), ctx.currency)
    )
    if spec.rate.fixed:
        return _fixed(ctx, spec, spec.rate.fixed)
    line_charges_all = [c for line in lines for c in line.charges]
    grades = [line.value_grade for line in lines]
    base = _base(ctx, spec, total_value, line_charges_all + done, weakest(grades))
    answer = parameter_rate(ctx, spec, spec.rate.parameter or "", None)
    charge = _apply(ctx, spec, answer, base)
    charge.steps[:0] = steps
    if charge.amount is None:
        _rests_on(charge, exempt, weak)
        return charge
    capped = False
    for bound, name in ((spec.minimum, "minimum"), (spec.maximum, "maximum")):
        if bound is None:
            continue
        found = ctx.parameter(bound)
        if not found.estimable:
            charge.steps.append(ctx.unusable(found, f"{spec.name} {name}"))
            charge.amount = charge.exact = charge.high = None
            charge.low = charge.firm = Decimal(0)
            return charge
        before = charge.amount.amount if charge.amount else None
        _bound(ctx, spec, charge, found, name)
        capped = capped or (
            name == "maximum" and charge.amount is not None and charge.amount.amount != before
        )
    if not capped:  # at the maximum, the fee is the same with or without the exemption
        _rests_on(charge, exempt, weak)
    return charge


def _rests_on(
    charge: Charge, exempt: set[int], weak: tuple[str, Citation | None, str] | None
) -> None:
    """An amount that an exemption held on weak evidence changed carries that evidence's grade."""
    if exempt and weak:
        charge.grade, charge.weak = weakest((charge.grade, weak[2])), (*charge.weak, weak)
        charge.firm = Decimal(0)


def _exempt_originating(
    ctx: Context, spec: ChargeSpec, lines: list[LineResult]
) -> tuple[set[int], list[Step], tuple[str, Citation | None, str] | None]:
    """The lines ``spec`` exempts as originating goods, and a step for each: the claim is made
    with proof, origin was decided originating, and the goods' origin is one whose marking
    qualifies. Nothing is exempt on a rule not in force or a line whose origin needs data."""
    if not spec.exempt_originating:
        return set(), [], None
    found = ctx.parameter(spec.exempt_originating)
    if not found.estimable or not isinstance(found.value, dict):
        return set(), [], None
    grade = found.grade or "official"
    weak = None if is_firm(grade) else (found.rule, found.citation, grade)
    claims = set(found.value.get("claims") or ())
    marked = set(found.value.get("marked_in") or ())
    inputs = {li.index: li for li in ctx.entry.lines}
    exempt: set[int] = set()
    steps: list[Step] = []
    for line in lines:
        li = inputs.get(line.index)
        decided = li.origin_decision if li is not None else None
        if li is None or li.preference not in claims or decided is None:
            continue
        value = line.customs_value.amount if line.customs_value else None
        shown = f"{value:,.2f} {ctx.currency}" if value is not None else "value unknown"
        if decided.originating is True and li.origin_proof and li.origin in marked:
            exempt.add(line.index)
            steps.append(
                Step(
                    f"{spec.name}: line {line.index} ({line.sku}, {shown}) is exempt: "
                    f"{decided.basis}, claimed with proof, and of {li.origin} origin for marking"
                    + graded_note(found),
                    "exempt",
                    found.citation,
                )
            )
        elif decided.originating is True:
            why = (
                "the claim is made without proof of origin"
                if not li.origin_proof
                else f"its origin for marking is {li.origin}, not {' or '.join(sorted(marked))}"
            )
            steps.append(
                Step(
                    f"{spec.name}: line {line.index} ({line.sku}) is charged although originating: {why}",
                    "charged",
                    found.citation,
                )
            )
    return exempt, steps, weak


def _bound(ctx: Context, spec: ChargeSpec, charge: Charge, found: Lookup, name: str) -> None:
    """Apply a fee's legal minimum or maximum to the amount and to both ends of its range."""
    assert charge.amount is not None
    limit = Decimal(str(found.value))
    clamp = max if name == "minimum" else min
    hit = clamp(charge.amount.amount, limit) != charge.amount.amount
    charge.steps.append(
        Step(
            f"{spec.name} {name} {limit} {ctx.currency}"
            + (": applied" if hit else ": not reached")
            + graded_note(found),
            f"{limit}",
            found.citation,
        )
    )
    charge.low = clamp(charge.low, limit)
    charge.high = None if charge.high is None else clamp(charge.high, limit)
    grade = found.grade or "official"
    if not is_firm(grade):
        charge.weak = (*charge.weak, (found.rule, found.citation, grade))
    if hit:
        charge.grade = weakest((charge.grade, grade))
        charge.amount = Money(limit, ctx.currency)
        charge.exact = limit
        charge.firm = limit if is_firm(charge.grade) else Decimal(0)
        ctx.add(
            make(
                "FEE_BOUND_APPLIED",
                f"{spec.name}: the {name} of {limit} {ctx.currency} applies.",
                f"Nothing to do: the law sets this {name} ({found.citation.reference if found.citation else found.rule}).",
                ctx.concerns(rule=found.rule),
                (found.citation,) if found.citation else (),
            )
        )


def _fixed(ctx: Context, spec: ChargeSpec, name: str) -> Charge:
    """A flat amount per entry (e.g. a declaration fee)."""
    found = ctx.parameter(name)
    charge = Charge(spec.id, spec.name, spec.kind, None, None, None, None, found.citation)
    if not found.estimable:
        charge.steps.append(ctx.unusable(found, spec.name))
        return charge
    amount = Decimal(str(found.value))
    grade = found.grade or "official"
    charge.exact, charge.amount = amount, Money(amount, ctx.currency)
    charge.grade, charge.low, charge.high = grade, amount, amount
    charge.firm = amount if is_firm(grade) else Decimal(0)
    if not is_firm(grade):
        charge.weak = ((found.rule, found.citation, grade),)
    charge.steps.append(
        Step(
            f"{spec.name}: flat {amount} {ctx.currency} per entry" + graded_note(found),
            f"{amount} {ctx.currency}",
            found.citation,
        )
    )
    return charge


def cite_all(charges: list[Charge]) -> tuple[Citation, ...]:
    return tuple(c.citation for c in charges if c.citation)


def flag_ddp(ctx: Context) -> None:
    ctx.add(
        make(
            "DDP_SELLER_IS_IOR",
            "Under DDP the seller pays the duties and taxes at import.",
            "Make sure the importer of record named for this country is the seller or acts for it.",
            ctx.concerns(),
        )
    )
