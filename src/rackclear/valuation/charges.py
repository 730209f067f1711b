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
from rackclear.domain.money import Money, Rounding, percent_of, round_amount
from rackclear.rulebook.schema import ChargeSpec, RoundingSpec
from rackclear.valuation.context import Context
from rackclear.valuation.measures import measure_charges
from rackclear.valuation.model import LineResult
from rackclear.valuation.tariff_rate import RateAnswer, line_rate


@lru_cache(maxsize=256)
def rounding_of(spec: RoundingSpec) -> Rounding:
    return Rounding(places=spec.places, mode=spec.mode, step=spec.step)


def applies(ctx: Context, spec: ChargeSpec) -> bool:
    """Whether a chain link is levied on this entry (its dates and transport modes)."""
    if spec.from_ and ctx.as_of < spec.from_:
        return False
    if spec.until and ctx.as_of > spec.until:
        return False
    return not spec.modes or ctx.entry.mode in spec.modes


def _base(
    ctx: Context, spec: ChargeSpec, customs_value: Money | None, done: list[Charge]
) -> tuple[Decimal | None, list[str]]:
    """The exact base: customs value plus the named earlier charges (``duties`` = all duties)."""
    total = Decimal(0)
    parts: list[str] = []
    for name in spec.base:
        if name == "customs_value":
            picked: list[Decimal | None] = [customs_value.amount if customs_value else None]
        elif name == "duties":
            picked = [_part(c, spec) for c in done if c.kind in ("duty", "additional_duty")]
        else:
            picked = [_part(c, spec) for c in done if c.id == name]
        if any(p is None for p in picked):
            return None, [*parts, f"{name} unknown"]
        total += sum((p for p in picked if p is not None), Decimal(0))
        parts.append(name)
    return total, parts


def _part(charge: Charge, spec: ChargeSpec) -> Decimal | None:
    """An earlier charge as a base component: its exact or its rounded amount, as the pack says."""
    if spec.base_uses == "rounded":
        return charge.amount.amount if charge.amount else None
    return charge.exact


def _apply(
    ctx: Context,
    spec: ChargeSpec,
    answer: RateAnswer,
    base: Decimal | None,
    parts: list[str],
    cid: str | None = None,
    name: str | None = None,
) -> Charge:
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
    )
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
    amount = round_amount(exact, rounding_of(spec.rounding))
    charge.exact, charge.amount = exact, Money(amount, ctx.currency)
    charge.steps.append(
        Step(
            f"{answer.rate} % of {' + '.join(parts)} {base} {ctx.currency}",
            f"{exact} {ctx.currency}",
        )
    )
    how = rounding_of(spec.rounding).describe() + (
        f" ({spec.rounding.reference})" if spec.rounding.reference else ""
    )
    if not spec.rounding.verified:
        how += " [rounding practice unverified]"
    charge.steps.append(Step(f"Amount {how}", f"{amount} {ctx.currency}"))
    return charge


def parameter_rate(
    ctx: Context, spec: ChargeSpec, name: str, line: LineResult | None = None
) -> RateAnswer:
    found = ctx.parameter(name)
    if not found.usable:
        step = ctx.unusable(
            found, spec.name, line.index if line else None, line.sku if line else None
        )
        return RateAnswer(None, found.citation, [step])
    rate = as_rate(found.value)
    return RateAnswer(
        rate,
        found.citation,
        [Step(f"{spec.name} rate {found.value} %", f"{rate} %", found.citation)],
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
    preference: tuple[str | None, bool],
) -> list[Charge]:
    """This link's charges on one line (measures may give none or several)."""
    base, parts = _base(ctx, spec, line.customs_value, line.charges)
    if spec.rate.measures:
        return [
            _apply(ctx, spec, answer, base, parts, cid, cname)
            for cid, cname, answer in measure_charges(ctx, spec, line, spec_values)
        ]
    if spec.rate.parameter:
        answer = parameter_rate(ctx, spec, spec.rate.parameter, line)
    else:
        answer = line_rate(ctx, spec, line, preference)
    return [_apply(ctx, spec, answer, base, parts)]


@dataclass
class EntryTotals:
    base: Decimal | None


def entry_charge(
    ctx: Context, spec: ChargeSpec, lines: list[LineResult], done: list[Charge]
) -> Charge:
    """An entry-level charge (e.g. MPF): rate on the summed base, then the minimum and maximum."""
    values = [line.customs_value for line in lines]
    total_value = (
        None
        if any(v is None for v in values)
        else Money(sum((v.amount for v in values if v), Decimal(0)), ctx.currency)
    )
    if spec.rate.fixed:
        return _fixed(ctx, spec, spec.rate.fixed)
    line_charges_all = [c for line in lines for c in line.charges]
    base, parts = _base(ctx, spec, total_value, line_charges_all + done)
    answer = parameter_rate(ctx, spec, spec.rate.parameter or "", None)
    charge = _apply(ctx, spec, answer, base, parts)
    if charge.amount is None:
        return charge
    for bound, name in ((spec.minimum, "minimum"), (spec.maximum, "maximum")):
        if bound is None:
            continue
        found = ctx.parameter(bound)
        if not found.usable:
            charge.steps.append(ctx.unusable(found, f"{spec.name} {name}"))
            charge.amount = charge.exact = None
            return charge
        limit = Decimal(str(found.value))
        hit = charge.amount.amount < limit if name == "minimum" else charge.amount.amount > limit
        charge.steps.append(
            Step(
                f"{spec.name} {name} {limit} {ctx.currency}"
                + (": applied" if hit else ": not reached"),
                f"{limit}",
                found.citation,
            )
        )
        if hit:
            charge.amount = Money(limit, ctx.currency)
            charge.exact = limit
            ctx.add(
                make(
                    "FEE_BOUND_APPLIED",
                    f"{spec.name}: the {name} of {limit} {ctx.currency} applies.",
                    "None: the fee is bounded by law.",
                    ctx.concerns(rule=found.rule),
                    (found.citation,) if found.citation else (),
                )
            )
    return charge


def _fixed(ctx: Context, spec: ChargeSpec, name: str) -> Charge:
    """A flat amount per entry (e.g. a declaration fee)."""
    found = ctx.parameter(name)
    charge = Charge(spec.id, spec.name, spec.kind, None, None, None, None, found.citation)
    if not found.usable:
        charge.steps.append(ctx.unusable(found, spec.name))
        return charge
    amount = Decimal(str(found.value))
    charge.exact, charge.amount = amount, Money(amount, ctx.currency)
    charge.steps.append(
        Step(
            f"{spec.name}: flat {amount} {ctx.currency} per entry",
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
