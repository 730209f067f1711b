"""A line's rate from the destination tariff: national line lookup, uniform-rate fallback for a
less specific code, claimed preferences, and "lowest of" alternatives (e.g. Korea's WTO rates)."""

from __future__ import annotations

from decimal import Decimal

from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.grades import ORDER, is_firm, weakest
from rackclear.rulebook.lookup import Lookup
from rackclear.rulebook.schema import ChargeSpec, PreferenceSpec
from rackclear.rulebook.tariff import Tariff
from rackclear.valuation.context import Context
from rackclear.valuation.ita import ita_rate
from rackclear.valuation.model import LineResult, OriginDecision, Preference
from rackclear.valuation.store_rate import stored_rate
from rackclear.valuation.tariff_rate_model import RateAnswer, graded

__all__ = ["RateAnswer", "graded", "graded_note", "line_rate"]


def _column(
    ctx: Context, tariff: Tariff, code: str, column: str, spec: ChargeSpec, line: LineResult
) -> RateAnswer:
    """The rate of ``column`` for ``code``: exact line, or uniform over the lines beneath it."""
    imported = stored_rate(ctx, code, column)
    if imported is not None:
        return imported
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
        derived = _ita_instead(ctx, national, column, found)
        if derived is not None:
            return derived
        if not found.estimable:
            return RateAnswer(
                None,
                found.citation,
                [ctx.unusable(found, f"{spec.name} on {national}", line.index, line.sku)],
            )
        return graded(
            found,
            Decimal(found.value),
            [
                Step(
                    f"{spec.name}: {national} {column} rate {found.value} %" + graded_note(found),
                    f"{found.value} %",
                    found.citation,
                )
            ],
        )
    if not all(f.usable for _, f in lookups):
        derived = _ita_instead(ctx, code, column, None)
        if derived is not None:
            return derived
    rates = {found.value for _, found in lookups if found.estimable}
    if len(rates) == 1 and all(found.estimable for _, found in lookups):
        rate = Decimal(rates.pop())
        weakest_lookup = max(lookups, key=lambda kv: _rank(kv[1]))[1]
        cite = weakest_lookup.citation
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
        return graded(
            weakest_lookup,
            rate,
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


def _ita_instead(ctx: Context, code: str, column: str, found: Lookup | None) -> RateAnswer | None:
    """The ITA-derived 0 % where it is better evidence than what the pack holds for the line
    (nothing, a secondary value, or a value before its known start)."""
    if found is not None and found.usable and found.start_unknown is None:
        return None
    derived = ita_rate(ctx, code, column)
    if derived is None:
        return None
    if found is not None and found.estimable and _rank(found) <= ORDER.index(derived.grade):
        return None
    if found is not None and found.estimable:
        derived.steps.append(
            Step(
                f"The {ctx.pack_id} pack holds {found.value} % for {code} {column}"
                f" (grade {found.grade}): the derived rate is the better evidence",
                "",
                found.citation,
            )
        )
    return derived


def _rank(found: Lookup) -> int:
    return 0 if found.grade is None else ORDER.index(found.grade)


def graded_note(found: Lookup) -> str:
    """`` (grade secondary)`` and the like, for a step resting on a value that is not firm."""
    grade = found.grade
    if grade is None or is_firm(grade):
        return ""
    if found.start_unknown is not None:
        return f" (assumed: in force since at least {found.start_unknown})"
    return f" (grade {grade}: confirm)"


def line_rate(
    ctx: Context, spec: ChargeSpec, line: LineResult, preference: Preference
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
            rate,
            None,
            [Step(f"{spec.name}: what-if rate {rate} % given by the user", f"{rate} %")],
            "user",
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
    claim, proof, decided = preference
    if claim and spec.kind == "duty":
        answer = _preference(ctx, spec, line, tariff, claim, proof, answer, decided)
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
    decided: OriginDecision | None = None,
) -> RateAnswer:
    """The claimed preference's rate, or the MFN answer with the reason the claim fails. Where
    origin was decided before valuation (``decided``), that decision, not the catalog's
    non-preferential origin, says whether the goods qualify and which Party's treatment applies."""
    claims = [p for p in spec.preferences if p.claim == claim]
    if decided is not None and claims:
        if decided.originating is False:
            ctx.add(
                make(
                    "PREFERENCE_NOT_ELIGIBLE",
                    f"{claim} claimed for {line.sku}, but the goods are {decided.basis}; the MFN rate was used.",
                    "Remove the claim (a claim on goods that do not originate must be corrected), or give the bill of materials that shows otherwise.",
                    ctx.concerns(line.index, line.sku),
                )
            )
            return mfn
        where = decided.country or line.origin
        pref: PreferenceSpec | None = next((p for p in claims if where in p.origins), None)
        if pref is None and decided.originating is True:
            pref = claims[0]
    else:
        pref = next((p for p in claims if line.origin in p.origins), None)
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
            (answer.citation,) if answer.citation else (),
        )
    )
    answer.steps.insert(
        0,
        Step(
            f"{claim} claimed with proof of origin: tariff treatment {pref.tariff} ({pref.reference})"
            + (f"; origin: {decided.basis}" if decided is not None else "")
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
    if not members.estimable or line.origin not in (members.value or []):
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
    if not members.usable and current.rate is not None:
        # entitlement rests on a list that is not firm: the estimate takes the lower rate, the
        # range runs up to the rate that applies without it
        alt.low, alt.high = alt.rate, current.rate
        alt.range_reason = (
            f"{column} {alt.rate} % if origin {line.origin} is entitled ({group}, grade"
            f" {members.grade}); {current.rate} % if not"
        )
        alt.grade = weakest((alt.grade, members.grade or "assumption"))
        alt.weak = (*alt.weak, (members.rule, members.citation, members.grade or "assumption"))
    return alt
