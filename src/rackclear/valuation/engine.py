"""Customs value and landed cost for one entry (one shipment at one border).

``assess_entry`` is pure: the rulebook, the FX service and the entry in; an ``EntryResult`` out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.determination import Charge, Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns
from rackclear.domain.grades import is_firm
from rackclear.domain.money import Money, Rounding, round_amount
from rackclear.rulebook.registry import Rulebook
from rackclear.valuation.charges import (
    applies,
    entry_charge,
    estimate_of,
    flag_ddp,
    line_charges,
    plus_charges,
    total_of,
)
from rackclear.valuation.confirm import confirm_findings
from rackclear.valuation.context import Context
from rackclear.valuation.customs_value import apportion, incoterm_terms, transport
from rackclear.valuation.estimate import Estimate
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, EntryResult, LineInput, LineResult

CENT = Rounding(places=2, mode="half_up")


def assess_entry(
    book: Rulebook,
    fx: FxService,
    entry: EntryInput,
    as_of: date,
    duty_rate: Decimal | None = None,
    store: Any = None,
) -> EntryResult:
    """Value one entry and compute its duties, taxes, fees and landed cost."""
    result = EntryResult(entry.shipment, entry.destination, None, as_of)
    pack = book.jurisdiction(entry.destination)
    lines = [_line_shell(li) for li in entry.lines]
    result.lines = lines
    if pack is None:
        result.findings.append(
            make(
                "NO_JURISDICTION_PACK",
                f"No rule pack covers {entry.destination}.",
                "Add a jurisdiction pack for the country (see docs/rule-packs.md).",
                Concerns(shipment=entry.shipment, country=entry.destination),
            )
        )
        return result
    currency = pack.meta.currency or ""
    result.currency = currency
    ctx = Context(book, fx, pack, entry, result, as_of, currency, duty_rate, store)
    _invoice_currency_fallback(ctx)
    terms = incoterm_terms(ctx)
    if terms is not None and terms.get("duties_paid_by") == "seller":
        result.duties_paid_by = "seller"
        flag_ddp(ctx)
    _prices(ctx, lines)
    _customs_values(ctx, lines, terms)
    for line in lines:
        line.value_grade = ctx.value_grade
    _chain(ctx, lines)
    _landed(ctx, lines)
    confirm_findings(ctx, lines)
    if entry.related_parties:
        _related(ctx)
    return result


def _invoice_currency_fallback(ctx: Context) -> None:
    """With no dated rate from the invoice currency to the local one (TWD has no ECB rate),
    compute the estimate in the invoice currency and keep every local amount unknown."""
    currencies = {li.unit_price.currency for li in ctx.entry.lines}
    if len(currencies) != 1:
        return
    invoice = currencies.pop()
    if invoice == ctx.currency:
        return
    if ctx.fx.rate(invoice, ctx.currency, ctx.entry.ship_date).rate is not None:
        return
    ctx.to_local(Money(Decimal(0), invoice))  # records the FX_RATE_UNKNOWN finding and steps
    ctx.result.computed_in = ctx.currency = invoice
    ctx.in_invoice_currency = True
    ctx.result.steps.append(
        Step(
            f"No {invoice}/{ctx.result.currency} rate is known: the estimate is computed in {invoice}"
            f" (amounts rounded to the cent, not as {ctx.entry.destination} rounds); every"
            f" {ctx.result.currency} amount stays unknown",
            invoice,
        )
    )


def _line_shell(li: LineInput) -> LineResult:
    return LineResult(
        li.index, li.sku, li.description, li.quantity, li.origin, li.hs_code, None, None, None
    )


def _prices(ctx: Context, lines: list[LineResult]) -> None:
    for line, li in zip(lines, ctx.entry.lines, strict=True):
        invoice = Money(li.unit_price.amount * li.quantity, li.unit_price.currency)
        line.steps.append(
            Step(
                f"Price paid: {li.quantity} x {li.unit_price.amount} {li.unit_price.currency}",
                f"{invoice.amount} {invoice.currency}",
            )
        )
        local = ctx.to_local(invoice)
        if local is not None and invoice.currency != ctx.currency:
            line.steps.append(
                Step(
                    f"Converted to {ctx.currency} at the ship-date rate",
                    f"{local.amount:.4f} {ctx.currency}",
                )
            )
        line.price = local


def _customs_values(ctx: Context, lines: list[LineResult], terms: dict[str, object] | None) -> None:
    basis_rule = ctx.parameter("valuation_basis")
    if not basis_rule.estimable or terms is None or basis_rule.value not in ("CIF", "FOB"):
        ctx.add(
            make(
                "VALUATION_BASIS_UNKNOWN",
                f"The valuation basis (or incoterm {ctx.entry.incoterm}) of {ctx.entry.destination} is not known on {ctx.as_of}.",
                "Add valuation_basis to the pack with its legal reference.",
                ctx.concerns(),
            )
        )
        return
    basis = str(basis_rule.value)
    ctx.weak_value(basis_rule)
    ctx.result.steps.append(
        Step(f"Valuation basis of {ctx.entry.destination}: {basis}", basis, basis_rule.citation)
    )
    prices = [line.price for line in lines]
    if any(p is None for p in prices):
        return
    total = sum((p.amount for p in prices if p), Decimal(0))
    t = transport(ctx, total, basis, terms)
    ctx.result.steps.extend(t.steps)
    apportion(ctx, lines, total, t)


def _chain(ctx: Context, lines: list[LineResult]) -> None:
    chain = ctx.book.charges(ctx.pack_id)
    assert chain is not None  # the loader guarantees a jurisdiction pack has one
    entry_done: list[Charge] = []
    inputs = {li.index: li for li in ctx.entry.lines}
    for spec in chain.charges:
        if not applies(ctx, spec):
            continue
        if spec.level == "entry":
            entry_done.append(entry_charge(ctx, spec, lines, entry_done))
            continue
        for line in lines:
            li = inputs[line.index]
            line.charges.extend(
                line_charges(
                    ctx, spec, line, li.specs, (li.preference, li.origin_proof, li.origin_decision)
                )
            )
    ctx.result.entry_charges = entry_done


def _landed(ctx: Context, lines: list[LineResult]) -> None:
    """Line landed cost = price + transport paid + line charges + its share of entry charges,
    each as an estimate: the estimate itself, its range, its firm part and its grade."""
    entry_est = total_of([estimate_of(c) for c in ctx.result.entry_charges])
    values = [line.customs_value.amount if line.customs_value else None for line in lines]
    value_total = (
        None if any(v is None for v in values) else sum((v for v in values if v), Decimal(0))
    )
    entry_weak = any(not is_firm(c.grade) or c.amount is None for c in ctx.result.entry_charges)
    shares = _shares(lines, value_total)
    allocated = Estimate.zero()
    for i, line in enumerate(lines):
        line.at_risk = entry_weak or any(
            c.amount is None or not is_firm(c.grade) for c in line.charges
        )
        if line.price is None:
            line.landed_cost = None
            line.at_risk = True
            continue
        known = line.price.amount + (line.transport.amount if line.transport else Decimal(0))
        est = plus_charges(Estimate.exact(known, line.value_grade, True), line.charges)
        if line.transport is None:  # transport paid is unknown: so is the landed cost
            est = est + Estimate.unknown()
        if i == len(lines) - 1:
            share = _minus(entry_est, allocated)
        else:
            share = _round(entry_est.scaled(shares[i]))
        allocated = allocated + share
        est = est + share
        est = _round(est)  # to the cent, as the landed cost is
        line.landed_known = est.low
        line.landed_low, line.landed_high = est.low, est.high
        line.landed_firm, line.grade = est.firm, est.grade
        if est.value is None:
            line.landed_cost = None
            continue
        line.landed_cost = Money(est.value, ctx.currency)
        line.steps.append(
            Step(
                "Landed cost = price + transport paid + duties, taxes and fees (entry fees shared by value)"
                + ("" if is_firm(est.grade) else f"; an estimate, grade {est.grade}"),
                f"{line.landed_cost.amount} {ctx.currency}",
            )
        )


def _shares(lines: list[LineResult], value_total: Decimal | None) -> list[Decimal]:
    """Each line's share of the entry charges, by customs value (equal shares if unknown)."""
    if not value_total:
        return [Decimal(1) / len(lines)] * len(lines) if lines else []
    return [
        (line.customs_value.amount / value_total) if line.customs_value else Decimal(0)
        for line in lines
    ]


def _cents(value: Decimal) -> Decimal:
    return round_amount(value, CENT)


def _round(e: Estimate) -> Estimate:
    return Estimate(
        None if e.value is None else _cents(e.value),
        _cents(e.low),
        None if e.high is None else _cents(e.high),
        _cents(e.firm),
        e.grade,
    )


def _minus(a: Estimate, b: Estimate) -> Estimate:
    """What is left of the entry charges for the last line (so that shares add up exactly)."""
    value = None if a.value is None or b.value is None else a.value - b.value
    high = None if a.high is None or b.high is None else a.high - b.high
    return Estimate(value, a.low - b.low, high, a.firm - b.firm, a.grade)


def _related(ctx: Context) -> None:
    rule = ctx.parameter("related_party_rule")
    text = (
        str(rule.value)
        if rule.usable
        else "the transaction value must not be influenced by the relationship"
    )
    ctx.add(
        make(
            "RELATED_PARTIES",
            f"Buyer and seller are related: {text}",
            "Keep evidence that the relationship did not influence the price (circumstances of sale or test values).",
            ctx.concerns(),
            tuple(c for c in [rule.citation] if c),
        )
    )
