"""Additional duties (e.g. US Section 301, Section 232) as data: lines, origins, spec
conditions and exemptions, each with dated rates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.rulebook.loader import Measure
from rackclear.rulebook.lookup import Lookup
from rackclear.rulebook.schema import ChargeSpec, SpecRange
from rackclear.rulebook.tariff import digits
from rackclear.valuation.context import Context
from rackclear.valuation.model import LineResult
from rackclear.valuation.tariff_rate import RateAnswer, graded, graded_note


def _in_range(value: Decimal, r: SpecRange) -> bool:
    return (
        (r.gt is None or value > r.gt)
        and (r.ge is None or value >= r.ge)
        and (r.lt is None or value < r.lt)
        and (r.le is None or value <= r.le)
    )


def _specs_match(measure: Measure, specs: dict[str, object]) -> bool | None:
    """True/False when the specs decide; None when a needed spec is missing."""
    if not measure.spec.spec_any_of:
        return True
    undecided = False
    for group in measure.spec.spec_any_of:
        values: dict[str, Decimal] = {}
        for key in group:
            try:
                values[key] = Decimal(str(specs[key]))
            except (KeyError, InvalidOperation):
                continue
        if not all(_in_range(v, group[k]) for k, v in values.items()):
            continue  # a known value falls outside this band: the band cannot match
        if len(values) == len(group):
            return True
        undecided = True
    return None if undecided else False


def _listed(measure: Measure, codes: list[str]) -> bool | None:
    """Whether the line is listed: True if every resolved national line is, False if none is,
    None when the code is not specific enough (some lines beneath it are listed, some not)."""
    hits = [any(code.startswith(digits(p)) for p in measure.spec.lines) for code in codes]
    if all(hits):
        return True
    return None if any(hits) else False


def _partial(partial: str | None, found: Lookup, rate: Decimal, steps: list[Step]) -> RateAnswer:
    """The measure's rate; where it is due on a part of the value the map does not give, a range
    from 0 to the rate on the whole value (the estimate takes the whole value: an upper bound)."""
    answer = graded(found, rate, steps)
    if partial is not None:
        answer.low, answer.high = Decimal(0), rate
        answer.range_reason = (
            f"{partial}: up to {rate} % of the whole value, less if that part is smaller"
        )
        answer.steps.append(
            Step(f"Due on part of the value only ({partial}); the whole value is an upper bound")
        )
    return answer


def measure_charges(
    ctx: Context, spec: ChargeSpec, line: LineResult, specs: dict[str, object]
) -> list[tuple[str, str, RateAnswer]]:
    """The additional duties of ``spec.rate.measures`` that reach this line, matched against the
    national lines the line's code resolves to (a less specific code never misses a measure)."""
    out: list[tuple[str, str, RateAnswer]] = []
    if line.hs_code is None:
        return out
    tariff = ctx.book.tariff(ctx.pack_id)
    resolved = [digits(t.code) for t in tariff.find(line.hs_code)] if tariff else []
    codes = resolved or [digits(line.hs_code)]
    for measure in ctx.book.measures(ctx.pack_id, spec.rate.measures or "") or []:
        m = measure.spec
        listed = _listed(measure, codes)
        if listed is False:
            continue
        concerns = ctx.concerns(line.index, line.sku, measure.series.rule)
        if not line.origin and "*" not in m.origins:
            ctx.once(
                f"origin:{line.index}",
                m.id,
                make(
                    "ORIGIN_NOT_GIVEN",
                    f"{m.name} reaches {line.hs_code} for origins {', '.join(m.origins)}; no origin was given, so it was not evaluated.",
                    "Give the country of origin.",
                    concerns,
                ),
            )
            continue
        if not ({line.origin, "*"} & set(m.origins)):
            continue
        found = measure.series.at(ctx.as_of)
        ctx.watch(found, measure.series.at(ctx.entry.ship_date))
        if found.citation is None:
            continue  # not in force on as_of (a later start is reported by watch)
        if listed is None:
            name = f"{m.name}" + (f" ({m.heading})" if m.heading else "")
            ctx.once(
                f"national:{line.index}",
                m.id,
                make(
                    "NATIONAL_LINE_NEEDED",
                    f"{name} lists some but not all national lines under {line.hs_code}.",
                    "Classify to the full national line.",
                    concerns,
                ),
            )
            out.append(
                (
                    m.id,
                    name,
                    RateAnswer(
                        None,
                        found.citation,
                        [Step(f"{name}: national line needed; amount unknown", "unknown")],
                    ),
                )
            )
            continue
        matched = _specs_match(measure, specs)
        if matched is False:
            continue
        name = f"{m.name}" + (f" ({m.heading})" if m.heading else "")
        if matched is None:
            ctx.add(
                make(
                    "ADDITIONAL_DUTY_SPECS_MISSING",
                    f"{name} depends on specifications ({', '.join(k for g in m.spec_any_of for k in g)}) that {line.sku} lacks.",
                    "Add the specifications to the catalog item.",
                    concerns,
                )
            )
            out.append(
                (
                    m.id,
                    name,
                    RateAnswer(
                        None,
                        found.citation,
                        [Step(f"{name}: specifications missing; amount unknown", "unknown")],
                    ),
                )
            )
            continue
        exemption = next(
            (
                e
                for e in m.exemptions
                if (e.when_site_use is None or e.when_site_use == ctx.entry.site_use)
                and (not e.when_destination or ctx.entry.destination in e.when_destination)
            ),
            None,
        )
        if exemption is not None:
            ctx.add(
                make(
                    "ADDITIONAL_DUTY_EXEMPT",
                    f"{name} reaches {line.sku}, but exemption {exemption.id}"
                    + (f" ({exemption.heading})" if exemption.heading else "")
                    + " applies.",
                    f"Declare the exemption heading and keep the evidence ({exemption.reference}).",
                    concerns,
                    (found.citation,),
                )
            )
            continue
        if not found.estimable:
            out.append(
                (
                    m.id,
                    name,
                    RateAnswer(
                        None, found.citation, [ctx.unusable(found, name, line.index, line.sku)]
                    ),
                )
            )
            continue
        rate = Decimal(str(found.value))
        ctx.add(
            make(
                "ADDITIONAL_DUTY",
                f"{name} at {rate} % applies to {line.sku} (origin {line.origin}, {line.hs_code}).",
                "Budget for it, or review origin and classification.",
                concerns,
                (found.citation,),
            )
        )
        out.append(
            (
                m.id,
                name,
                _partial(
                    m.partial_base,
                    found,
                    rate,
                    [
                        Step(
                            f"{name}: {line.hs_code} of origin {line.origin} is listed; rate {rate} %"
                            + graded_note(found),
                            f"{rate} %",
                            found.citation,
                        )
                    ],
                ),
            )
        )
    return out
