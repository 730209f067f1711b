"""A line's rate from the destination tariff: national line lookup, uniform-rate fallback for a
less specific code, claimed preferences, and "lowest of" alternatives (e.g. Korea's WTO rates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.rulebook.lookup import Lookup
from rackclear.rulebook.schema import ChargeSpec
from rackclear.rulebook.tariff import Tariff
from rackclear.valuation.context import Context
from rackclear.valuation.model import LineResult


@dataclass
class RateAnswer:
    rate: Decimal | None
    citation: Citation | None
    steps: list[Step] = field(default_factory=list)


def _column(
    ctx: Context, tariff: Tariff, code: str, column: str, spec: ChargeSpec, line: LineResult
) -> RateAnswer:
    """The rate of ``column`` for ``code``: exact line, or uniform over the lines beneath it."""
    found_lines = tariff.find(code)
    what = f"{spec.name} on {code}"
    if not found_lines:
        ctx.once(
            f"tariffline:{line.index}",
            code,
            make(
                "TARIFF_LINE_UNKNOWN",
                f"{code} is not in the {ctx.pack_id} tariff pack.",
                "Check the code, or add the national line with its rate, date and citation to the pack.",
                ctx.concerns(line.index, line.sku),
            ),
        )
        return RateAnswer(
            None, None, [Step(f"{what}: line not in the pack; amount unknown", "unknown")]
        )
    lookups: list[tuple[str, Lookup]] = [
        (tl.code, tariff.rate(tl.code, column, ctx.as_of)) for tl in found_lines
    ]
    for code_, found in lookups:
        ctx.watch(found, tariff.rate(code_, column, ctx.entry.ship_date))
    if len(lookups) == 1:
        national, found = lookups[0]
        if not found.usable:
            return RateAnswer(
                None,
                found.citation,
                [ctx.unusable(found, f"{spec.name} on {national}", line.index, line.sku)],
            )
        return RateAnswer(
            Decimal(found.value),
            found.citation,
            [
                Step(
                    f"{spec.name}: {national} {column} rate {found.value} %",
                    f"{found.value} %",
                    found.citation,
                )
            ],
        )
    rates = {found.value for _, found in lookups if found.usable}
    if len(rates) == 1 and all(found.usable for _, found in lookups):
        rate = Decimal(rates.pop())
        cite = lookups[0][1].citation
        ctx.once(
            f"uniform:{line.index}",
            code,
            make(
                "NATIONAL_LINE_UNIFORM",
                f"{code} is not a national line; all {len(lookups)} lines beneath it carry {column} {rate} %.",
                "Declare the full national line on the entry.",
                ctx.concerns(line.index, line.sku),
            ),
        )
        listed = ", ".join(n for n, _ in lookups)
        return RateAnswer(
            rate,
            cite,
            [
                Step(
                    f"{spec.name}: every national line under {code} ({listed}) has {column} {rate} %",
                    f"{rate} %",
                    cite,
                )
            ],
        )
    ctx.once(
        f"national:{line.index}",
        code,
        make(
            "NATIONAL_LINE_NEEDED",
            f"{code} is not specific enough for {ctx.entry.destination}: the lines beneath it ({', '.join(n for n, _ in lookups)}) differ or are unverified.",
            "Classify to the full national line.",
            ctx.concerns(line.index, line.sku),
        ),
    )
    return RateAnswer(
        None, None, [Step(f"{what}: national line needed; amount unknown", "unknown")]
    )


def line_rate(
    ctx: Context, spec: ChargeSpec, line: LineResult, preference: tuple[str | None, bool]
) -> RateAnswer:
    """The rate of a tariff-driven link for one line."""
    if spec.kind == "duty" and ctx.duty_rate_override is not None:
        rate = ctx.duty_rate_override
        ctx.once(
            "override",
            spec.id,
            make(
                "RATE_OVERRIDDEN",
                f"{spec.name} rate set to {rate} % by the user.",
                "Use only for what-if; the filed rate is the tariff's.",
                ctx.concerns(),
            ),
        )
        return RateAnswer(
            rate, None, [Step(f"{spec.name}: what-if rate {rate} % given by the user", f"{rate} %")]
        )
    tariff = ctx.book.tariff(ctx.pack_id)
    if line.hs_code is None or tariff is None:
        ctx.once(
            f"classification:{line.index}",
            "hs",
            make(
                "CLASSIFICATION_MISSING",
                f"No tariff code for {line.sku} in {ctx.entry.destination}.",
                "Declare the national line in the catalog item's declared.hs (per country, or 'default' for the HS 6-digit).",
                ctx.concerns(line.index, line.sku),
            ),
        )
        return RateAnswer(
            None, None, [Step(f"{spec.name}: no tariff code; amount unknown", "unknown")]
        )
    column = spec.rate.tariff or "MFN"
    answer = _column(ctx, tariff, line.hs_code, column, spec, line)
    claim, proof = preference
    if claim and spec.kind == "duty":
        answer = _preference(ctx, spec, line, tariff, claim, proof, answer)
    for alt in spec.rate.lowest_of:
        answer = _lowest(ctx, spec, line, tariff, alt.tariff, alt.origins_in, answer)
    return answer


def _preference(
    ctx: Context,
    spec: ChargeSpec,
    line: LineResult,
    tariff: Tariff,
    claim: str,
    proof: bool,
    mfn: RateAnswer,
) -> RateAnswer:
    pref = next(
        (p for p in spec.preferences if p.claim == claim and line.origin in p.origins), None
    )
    if pref is None:
        ctx.add(
            make(
                "PREFERENCE_NOT_ELIGIBLE",
                f"{claim} claimed for origin {line.origin}, which it does not serve in {ctx.entry.destination}.",
                "Remove the claim or correct the origin.",
                ctx.concerns(line.index, line.sku),
            )
        )
        return mfn
    if not proof:
        ctx.add(
            make(
                "PREFERENCE_WITHOUT_PROOF",
                f"{claim} claimed without proof of origin; the MFN rate was used.",
                f"Hold a valid certification of origin ({pref.reference}) and set origin_proof.",
                ctx.concerns(line.index, line.sku),
            )
        )
        return mfn
    answer = _column(ctx, tariff, line.hs_code or "", pref.tariff, spec, line)
    ctx.add(
        make(
            "PREFERENCE_APPLIED",
            f"{claim} ({pref.tariff}) applied to {line.sku}.",
            f"Keep the certification of origin on file ({pref.reference}).",
            ctx.concerns(line.index, line.sku),
        )
    )
    answer.steps.insert(
        0,
        Step(
            f"{claim} claimed with proof of origin: tariff treatment {pref.tariff} ({pref.reference})"
        ),
    )
    return answer


def _lowest(
    ctx: Context,
    spec: ChargeSpec,
    line: LineResult,
    tariff: Tariff,
    column: str,
    group: str,
    current: RateAnswer,
) -> RateAnswer:
    members = ctx.parameter(group)
    if not members.usable or line.origin not in (members.value or []):
        return current
    alt = _column(ctx, tariff, line.hs_code or "", column, spec, line)
    if alt.rate is None or (current.rate is not None and alt.rate >= current.rate):
        note = Step(
            f"{column} rate for origin {line.origin} ({group}) is not lower: {current.rate} % kept",
            "",
            members.citation,
        )
        current.steps.append(note)
        return current
    alt.steps.insert(
        0,
        Step(
            f"Origin {line.origin} is in {group}: the lower {column} rate applies",
            "",
            members.citation,
        ),
    )
    return alt
