"""Customs value and landed cost for one entry (one shipment at one border).

``assess_entry`` is pure: the rulebook, the FX service and the entry in; an ``EntryResult`` out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rackclear.domain.determination import Charge, Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns
from rackclear.domain.money import Money, Rounding, round_amount
from rackclear.rulebook.registry import Rulebook
from rackclear.valuation.charges import applies, entry_charge, flag_ddp, line_charges
from rackclear.valuation.context import Context
from rackclear.valuation.customs_value import apportion, incoterm_terms, transport
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, EntryResult, LineInput, LineResult

CENT = Rounding(places=2, mode="half_up")


def assess_entry(
    book: Rulebook, fx: FxService, entry: EntryInput, as_of: date, duty_rate: Decimal | None = None
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
    ctx = Context(book, fx, pack, entry, result, as_of, currency, duty_rate)
    terms = incoterm_terms(ctx)
    if terms is not None and terms.get("duties_paid_by") == "seller":
        result.duties_paid_by = "seller"
        flag_ddp(ctx)
    _prices(ctx, lines)
    _customs_values(ctx, lines, terms)
    _chain(ctx, lines)
    _landed(ctx, lines)
    if entry.related_parties:
        _related(ctx)
    return result


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
    if not basis_rule.usable or terms is None or basis_rule.value not in ("CIF", "FOB"):
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
                line_charges(ctx, spec, line, li.specs, (li.preference, li.origin_proof))
            )
    ctx.result.entry_charges = entry_done


def _landed(ctx: Context, lines: list[LineResult]) -> None:
    """Line landed cost = price + transport paid + line charges + its share of entry charges."""
    entry_charges = ctx.result.entry_charges
    entry_total = (
        None
        if any(c.amount is None for c in entry_charges)
        else sum((c.amount.amount for c in entry_charges if c.amount), Decimal(0))
    )
    values = [line.customs_value.amount if line.customs_value else None for line in lines]
    value_total = (
        None
        if any(v is None for v in values)
        else sum((v for v in values if v is not None), Decimal(0))
    )
    allocated = Decimal(0)
    for i, line in enumerate(lines):
        parts = [line.price, line.transport] + [c.amount for c in line.charges]
        if line.price is not None:
            line.landed_known = sum((p.amount for p in parts if p is not None), Decimal(0))
        if (
            any(p is None for p in parts)
            or entry_total is None
            or value_total is None
            or line.customs_value is None
        ):
            line.landed_cost = None
            continue
        if i == len(lines) - 1:
            share = entry_total - allocated
        else:
            share = (
                round_amount(entry_total * line.customs_value.amount / value_total, CENT)
                if value_total
                else Decimal(0)
            )
        allocated += share
        amount = sum((p.amount for p in parts if p is not None), Decimal(0)) + share
        line.landed_cost = Money(round_amount(amount, CENT), ctx.currency)
        line.steps.append(
            Step(
                "Landed cost = price + transport paid + duties, taxes and fees (entry fees shared by value)",
                f"{line.landed_cost.amount} {ctx.currency}",
            )
        )


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
