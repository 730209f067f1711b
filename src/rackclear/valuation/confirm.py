"""``CONFIRM_RATE``: one action per weak rule of an entry, naming the lines that rest on it, the
amount computed with it, the customs value it applies to, the source to check and the date by
which to confirm it (the ship date: before the goods are declared)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rackclear.domain.citations import Citation
from rackclear.domain.finding_codes import make
from rackclear.domain.grades import MEANING
from rackclear.valuation.context import Context
from rackclear.valuation.model import LineResult


@dataclass
class _Use:
    citation: Citation | None
    grade: str
    code: str = "CONFIRM_RATE"
    lines: list[LineResult] = field(default_factory=list)
    amount: Decimal = Decimal(0)
    unknown_amount: bool = False


def _uses(ctx: Context, lines: list[LineResult]) -> dict[str, _Use]:
    uses: dict[str, _Use] = {}
    for rule, cite, grade in ctx.value_weak:  # valuation rules: the customs value rests on them
        use = uses.setdefault(rule, _Use(cite, grade, "CONFIRM_RULE"))
        use.lines.extend(ln for ln in lines if ln not in use.lines)
    for line in lines:
        for charge in line.charges:
            for rule, cite, grade in charge.weak:
                use = uses.setdefault(rule, _Use(cite, grade))
                if line not in use.lines:
                    use.lines.append(line)
                if charge.amount is None:
                    use.unknown_amount = True
                else:
                    use.amount += charge.amount.amount
    for charge in ctx.result.entry_charges:
        for rule, cite, grade in charge.weak:
            use = uses.setdefault(rule, _Use(cite, grade))
            use.lines = list(lines)
            use.amount += charge.amount.amount if charge.amount else Decimal(0)
    return uses


def confirm_findings(ctx: Context, lines: list[LineResult]) -> None:
    """Add one ``CONFIRM_RATE`` warning per weak rule this entry's figures rest on."""
    cur = ctx.currency
    for rule, use in sorted(_uses(ctx, lines).items()):
        value = sum((ln.customs_value.amount for ln in use.lines if ln.customs_value), Decimal(0))
        numbers = ", ".join(str(ln.index + 1) for ln in use.lines)
        amount = (
            "an amount not yet known"
            if use.unknown_amount
            else f"{use.amount.quantize(Decimal('0.01')):,} {cur}"
        )
        source = use.citation.source if use.citation else "the pack"
        reference = use.citation.reference if use.citation else rule
        ctx.add(
            make(
                use.code,
                f"{reference} rests on a {use.grade} value ({MEANING[use.grade]}). "
                f"{'Lines' if len(use.lines) > 1 else 'Line'} {numbers} ({value.quantize(Decimal('0.01')):,} {cur} of customs value) {'rest' if len(use.lines) > 1 else 'rests'} on it; "
                f"the amount computed with it is {amount}. Confirm by {ctx.entry.ship_date}, before the goods are declared.",
                f"Check it in {source}; then record it in the pack as official (or derived, with the inference).",
                ctx.concerns(
                    use.lines[0].index if len(use.lines) == 1 else None,
                    use.lines[0].sku if len(use.lines) == 1 else None,
                    rule,
                ),
                (use.citation,) if use.citation else (),
            )
        )
