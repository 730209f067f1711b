"""Customs value per line: price converted to local currency, then transport added or deducted
according to the destination's valuation basis (CIF or FOB-type) and the incoterm, apportioned
to lines by value."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.money import ZERO, Money, Rounding, percent_of, round_amount
from rackclear.valuation.context import Context
from rackclear.valuation.model import LineResult

CENT = Rounding(places=2, mode="half_up")


@dataclass
class Transport:
    """Shipment-level adjustments: what customs adds to (or deducts from) the price, and the
    transport actually paid on top of the price (for landed cost). ``None`` = unknown."""

    adjustment: Decimal | None
    extra_cost: Decimal | None
    steps: list[Step]


def incoterm_terms(ctx: Context) -> dict[str, Any] | None:
    found = ctx.book.parameter("incoterms", "terms", ctx.as_of)
    if not found.usable or not isinstance(found.value, dict):
        return None
    term = found.value.get(ctx.entry.incoterm)
    return dict(term) if isinstance(term, dict) else None


def _local(ctx: Context, money: Money | None) -> Decimal | None:
    if money is None:
        return None
    converted = ctx.to_local(money)
    return None if converted is None else converted.amount


def transport(ctx: Context, fob_total: Decimal, basis: str, terms: dict[str, Any]) -> Transport:
    """What the valuation basis adds to or deducts from the invoice price for the whole entry."""
    entry = ctx.entry
    steps: list[Step] = []
    adjustment: Decimal | None = ZERO
    extra: Decimal | None = ZERO
    basis_rule = ctx.parameter("valuation_basis")
    for part in ("freight", "insurance"):
        given = _local(ctx, getattr(entry, part))
        in_price = bool(terms.get(part))
        if entry.value_on_destination_basis and given is None:
            steps.append(
                Step(
                    f"{part.capitalize()}: the value given is taken as on the {basis} basis already"
                )
            )
            ctx.once(
                "basis",
                basis,
                make(
                    "VALUE_TAKEN_AS_BASIS",
                    f"No freight or insurance given: the value was taken as already on the {ctx.entry.destination} {basis} basis.",
                    "Give the freight and insurance to have them added (CIF) or excluded (FOB) explicitly.",
                    ctx.concerns(),
                ),
            )
            continue
        if given is None and getattr(entry, part) is not None:
            adjustment = extra = None  # conversion failed; the blocker is already raised
            continue
        if basis == "CIF":
            adjustment, extra = _cif_part(
                ctx, part, given, in_price, fob_total, adjustment, extra, steps, basis_rule.citation
            )
        else:
            adjustment, extra = _fob_part(
                ctx, part, given, in_price, adjustment, extra, steps, basis_rule.citation
            )
    inland = _local(ctx, entry.origin_inland_freight)
    if inland is not None and entry.incoterm == "EXW" and basis == "CIF":
        # every cost of transport up to the place of importation is in a CIF value
        if extra is not None:
            extra += inland
        if adjustment is not None:
            adjustment += inland
        steps.append(
            Step(
                f"Inland freight to the place of export {inland:.2f} {ctx.currency} added (EXW price, CIF basis)",
                "",
                basis_rule.citation,
            )
        )
    elif inland is not None and entry.incoterm == "EXW":
        adds = ctx.parameter("adds_origin_inland_freight")
        if extra is not None:
            extra += inland
        if not adds.estimable:
            steps.append(ctx.unusable(adds, "Inland freight to the place of export"))
            adjustment = None
        elif adds.value and adjustment is not None:
            ctx.weak_value(adds)
            adjustment += inland
            steps.append(
                Step(
                    f"Inland freight to the place of export {inland:.2f} {ctx.currency} added (EXW price)",
                    "",
                    adds.citation,
                )
            )
        else:
            ctx.weak_value(adds)
            steps.append(
                Step(
                    f"Inland freight to the place of export {inland:.2f} {ctx.currency} not dutiable here",
                    "",
                    adds.citation,
                )
            )
    return Transport(adjustment, extra, steps)


def _cif_part(
    ctx: Context,
    part: str,
    given: Decimal | None,
    in_price: bool,
    fob_total: Decimal,
    adjustment: Decimal | None,
    extra: Decimal | None,
    steps: list[Step],
    cite: Any,
) -> tuple[Decimal | None, Decimal | None]:
    if in_price:
        steps.append(
            Step(
                f"{part.capitalize()} is in the {ctx.entry.incoterm} price: nothing to add on the CIF basis",
                "",
                cite,
            )
        )
        return adjustment, extra
    if given is not None:
        steps.append(
            Step(
                f"{part.capitalize()} to the place of importation added: {given:.2f} {ctx.currency}",
                "",
                cite,
            )
        )
        return _plus(adjustment, given), _plus(extra, given)
    deemed = ctx.parameter(f"deemed_{part}_percent")
    if deemed.estimable:
        ctx.weak_value(deemed)
        amount = percent_of(fob_total, Decimal(str(deemed.value)))
        steps.append(
            Step(
                f"{part.capitalize()} not given: deemed at {deemed.value} % of the FOB value",
                f"{amount:.4f} {ctx.currency}",
                deemed.citation,
            )
        )
        ctx.add(
            make(
                "FREIGHT_DEEMED",
                f"{part.capitalize()} not given; deemed at {deemed.value} % of FOB under {deemed.citation.reference if deemed.citation else 'the pack'}.",
                f"Give the actual {part} in the map; the deemed amount applies only when the actual is unknown.",
                ctx.concerns(),
            )
        )
        return _plus(adjustment, amount), _plus(extra, amount)
    if part == "insurance":
        steps.append(
            Step(
                "No insurance given: none added (if the goods are insured, the premium is part of the CIF value)",
                "",
                cite,
            )
        )
        ctx.add(
            make(
                "INSURANCE_NOT_DECLARED",
                "No insurance amount given for a CIF-basis destination.",
                "If the goods are insured, give the premium in the map's insurance.",
                ctx.concerns(),
            )
        )
        return adjustment, extra
    steps.append(
        Step(
            f"Freight not given under {ctx.entry.incoterm}: the CIF value is unknown",
            "unknown",
            cite,
        )
    )
    ctx.add(
        make(
            "FREIGHT_UNKNOWN",
            f"{ctx.entry.destination} values goods CIF and the {ctx.entry.incoterm} price excludes freight, but no freight is given.",
            "Give the international freight (amount and currency) for this shipment in the map.",
            ctx.concerns(),
        )
    )
    return None, None


def _fob_part(
    ctx: Context,
    part: str,
    given: Decimal | None,
    in_price: bool,
    adjustment: Decimal | None,
    extra: Decimal | None,
    steps: list[Step],
    cite: Any,
) -> tuple[Decimal | None, Decimal | None]:
    if not in_price:
        if given is not None:
            steps.append(
                Step(
                    f"{part.capitalize()} of the international leg {given:.2f} {ctx.currency} is not part of the value (FOB-type basis)",
                    "",
                    cite,
                )
            )
            return adjustment, _plus(extra, given)
        if part == "freight":
            ctx.add(
                make(
                    "TRANSPORT_COST_MISSING",
                    "No freight given: the customs value is unaffected, but the landed cost lacks transport.",
                    "Give the international freight to complete the landed cost.",
                    ctx.concerns(),
                )
            )
            return adjustment, None
        return adjustment, extra
    if given is not None:
        steps.append(
            Step(
                f"{part.capitalize()} in the {ctx.entry.incoterm} price deducted (international leg, shown separately): -{given:.2f} {ctx.currency}",
                "",
                cite,
            )
        )
        return _minus(adjustment, given), extra
    steps.append(
        Step(
            f"{part.capitalize()} in the {ctx.entry.incoterm} price is not shown separately: not deducted",
            "",
            cite,
        )
    )
    ctx.add(
        make(
            "FREIGHT_NOT_SEPARATED",
            f"The {ctx.entry.incoterm} price includes {part} that is not shown separately, so it could not be deducted; the value may be overstated.",
            f"Give the {part} amount in the map so that it can be deducted.",
            ctx.concerns(),
        )
    )
    return adjustment, extra


def _plus(a: Decimal | None, b: Decimal) -> Decimal | None:
    return None if a is None else a + b


def _minus(a: Decimal | None, b: Decimal) -> Decimal | None:
    return None if a is None else a - b


def apportion(ctx: Context, lines: list[LineResult], total: Decimal, t: Transport) -> None:
    """Share the transport adjustment and cost among lines by value; set customs values."""
    for line in lines:
        if line.price is None:
            continue
        share = line.price.amount / total if total else ZERO
        if t.adjustment is None:
            line.customs_value = None
            line.steps.append(Step("Customs value unknown: transport to add is unknown", "unknown"))
        else:
            portion = t.adjustment * share
            value = round_amount(line.price.amount + portion, CENT)
            if value < 0:
                line.customs_value = None
                line.steps.append(
                    Step("Transport to deduct exceeds the price: customs value unknown", "unknown")
                )
                ctx.once(
                    f"negative:{line.index}",
                    "value",
                    make(
                        "TRANSPORT_EXCEEDS_PRICE",
                        f"The freight and insurance to deduct exceed the {ctx.entry.incoterm} price of {line.sku}.",
                        "Check the price, incoterm and freight amounts in the map.",
                        ctx.concerns(line.index, line.sku),
                    ),
                )
                continue
            line.customs_value = Money(value, ctx.currency)
            if portion:
                line.steps.append(
                    Step(
                        f"Transport adjustment apportioned by value ({share:.6f} of the entry)",
                        f"{portion:+.4f} {ctx.currency}",
                    )
                )
            line.steps.append(Step(f"Customs value ({CENT.describe()})", f"{value} {ctx.currency}"))
        line.transport = None if t.extra_cost is None else Money(t.extra_cost * share, ctx.currency)
