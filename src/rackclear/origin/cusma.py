"""Does a good qualify as originating under CUSMA/USMCA, and what does the preference save?

``assess_origin`` applies the product-specific rule of the good's subheading from the
``cusma`` pack (never a rule written here), with de minimis (Art. 4.12) where the tariff shift
fails only because of small-value non-originating materials, and RVC (Art. 4.5) only where the
rule has an RVC test. A material of unknown origin is never assumed originating: the answer
is then ``None`` (needs data) unless it is the same whichever way the material goes. Where the
MFN rate is Free the preference saves nothing (``duty_saved`` 0); where the MFN rate is not
known the saving is unknown (``None``), never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.origin.rvc import (
    HUNDRED,
    PACK,
    TWO_PLACES,
    ZERO,
    BomMaterial,
    ParameterSource,
    RvcInputError,
    net_cost_rvc,
    transaction_value_rvc,
)

Material = BomMaterial


def digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _dotted6(code: str) -> str:
    d = digits(code)
    return f"{d[:4]}.{d[4:6]}"


@dataclass(frozen=True, slots=True)
class PsrRule:
    """One product-specific rule as held in ``cusma.psr``."""

    subheading: str
    verified: bool
    type: str | None = None
    text: str = "not retrieved"
    shift: str = "subheading"
    within_subheading: bool = False
    from_outside: tuple[str, ...] = ()
    rvc: dict[str, Decimal] | None = None
    gn11_rule: str | None = None

    @staticmethod
    def parse(subheading: str, raw: dict[str, Any]) -> PsrRule:
        rule = raw.get("rule")
        verified = bool(raw.get("verified", False)) and isinstance(rule, dict)
        if not isinstance(rule, dict):
            return PsrRule(subheading, False, text=str(raw.get("text", "not retrieved")))
        rvc = rule.get("rvc")
        return PsrRule(
            subheading,
            verified,
            type=str(rule["type"]),
            text=str(rule["text"]),
            shift=str(rule.get("shift", "subheading")),
            within_subheading=bool(rule.get("within_subheading", False)),
            from_outside=tuple(str(x) for x in rule.get("from_outside") or ()),
            rvc={k: Decimal(str(v)) for k, v in rvc.items()} if isinstance(rvc, dict) else None,
            gn11_rule=raw.get("gn11_rule"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "subheading": self.subheading,
            "verified": self.verified,
            "type": self.type,
            "text": self.text,
            "shift": self.shift if self.type else None,
            "within_subheading": self.within_subheading,
            "from_outside": list(self.from_outside),
            "rvc": {k: f"{v:f}" for k, v in self.rvc.items()} if self.rvc else None,
            "gn11_rule": self.gn11_rule,
        }


def excluded_by(material_hs: str, exclusions: Sequence[str]) -> str | None:
    """The exclusion (subheading, range "A-B" or heading) that covers the material, if any."""
    d = digits(material_hs)
    for item in exclusions:
        if "-" in item:
            low, high = (digits(p) for p in item.split("-", 1))
            width = len(low)
            if len(d) >= width and low <= d[:width] <= high:
                return item
        elif d.startswith(digits(item)):
            return item
    return None


def shift_satisfied(good_hs: str, material_hs: str, rule: PsrRule) -> tuple[bool, str]:
    """Whether a non-originating material makes the change the rule requires, and why."""
    g, m = digits(good_hs), digits(material_hs)
    hit = excluded_by(m, rule.from_outside)
    if hit is not None:
        return False, f"excluded: the rule allows no change from {hit.replace('-', ' through ')}"
    level = {"chapter": 2, "heading": 4, "subheading": 6}.get(rule.shift, 6)
    if m[:level] != g[:level]:
        return True, f"a change from another {rule.shift} ({_dotted6(m)} to {_dotted6(g)})"
    if rule.within_subheading and m[:6] == g[:6]:
        return True, "a change from another good within the same subheading, which the rule allows"
    return False, f"no change of {rule.shift}: {_dotted6(m)} is in the good's own {rule.shift}"


@dataclass(slots=True)
class OriginResult:
    """The answer: ``qualifies`` True, False or None (needs data, see ``missing``)."""

    hs_code: str
    when: date
    qualifies: bool | None
    rule: PsrRule | None
    rule_applied: str | None
    missing: list[str] = field(default_factory=list)
    de_minimis_applied: bool = False
    rvc: dict[str, str | None] = field(default_factory=dict)
    duty_saved: Decimal | None = None
    potential_saving: Decimal | None = None
    steps: list[Step] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "hs_code": self.hs_code,
            "as_of": self.when.isoformat(),
            "qualifies": self.qualifies,
            "rule": self.rule.to_dict() if self.rule else None,
            "rule_applied": self.rule_applied,
            "missing": list(self.missing),
            "de_minimis_applied": self.de_minimis_applied,
            "rvc": dict(self.rvc),
            "duty_saved": _money(self.duty_saved),
            "potential_saving": _money(self.potential_saving),
            "steps": [s.to_dict() for s in self.steps],
            "findings": [dict(f) for f in self.findings],
        }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(TWO_PLACES, ROUND_HALF_UP):f}"


def _finding(code: str, severity: str, message: str) -> dict[str, str]:
    return {"code": code, "severity": severity, "message": message}


@dataclass(slots=True)
class _Outcome:
    qualifies: bool | None
    path: str | None
    de_minimis: bool = False
    missing: list[str] = field(default_factory=list)
    rvc: dict[str, str | None] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)


def assess_origin(
    book: ParameterSource,
    hs_code: str,
    bom: Sequence[BomMaterial | dict[str, Any]],
    transaction_value: Decimal | None,
    net_cost: Decimal | None,
    when: date,
    mfn_rate: Decimal | None,
    preferential_rate: Decimal | None,
    *,
    international_shipping: Decimal = ZERO,
    total_cost: Decimal | None = None,
    customs_value: Decimal | None = None,
    destination: str | None = None,
    exported_from: str | None = None,
    with_saving: bool = True,
) -> OriginResult:
    """Assess CUSMA origin of the good ``hs_code`` produced from ``bom`` as of ``when``.

    Rates are percentages (``Decimal(0)`` = Free; None = not known). ``transaction_value``
    includes ``international_shipping``, which is excluded for RVC and de minimis.
    ``customs_value`` is the value duty is charged on (default: ``transaction_value``).
    ``with_saving`` False leaves the saving to the caller (``plan`` works it out on the duty it
    computed: ``origin.saving``)."""
    good6 = digits(hs_code)
    if len(good6) < 6:
        raise RvcInputError(f"hs_code: {hs_code!r} needs at least 6 digits (an HS subheading)")
    materials = [BomMaterial.of(m) for m in bom]
    result = OriginResult(hs_code, when, None, None, None)
    steps = result.steps

    deemed = _deemed_us(book, hs_code, when, destination, exported_from, steps, result)
    found = book.parameter(PACK, "psr", when)
    if not found.usable or not isinstance(found.value, dict):
        result.missing.append(f"cusma.psr is {found.status.value} on {when}")
        steps.append(Step(f"No product-specific rules in force on {when} ({found.status.value})"))
    else:
        raw = found.value.get(_dotted6(hs_code))
        if not isinstance(raw, dict):
            result.missing.append(
                f"the CUSMA product-specific rule for {_dotted6(hs_code)} (not in the cusma pack)"
            )
            steps.append(
                Step(f"No product-specific rule for {_dotted6(hs_code)} is held in the cusma pack")
            )
        else:
            result.rule = PsrRule.parse(_dotted6(hs_code), raw)
            _apply_rule(
                book,
                result,
                materials,
                found.citation,
                transaction_value,
                net_cost,
                international_shipping,
                total_cost,
                when,
            )
    if deemed and result.qualifies is not True:  # a rule that is met is the better basis
        result.qualifies, result.rule_applied = (
            True,
            f"deemed_originating_{destination_code(destination)}",
        )
        result.missing.clear()
        # the deeming settles origin whatever the rule says: no "confirm the rule" beside it
        result.findings = [f for f in result.findings if f["code"] != "ORIGIN_RULE_UNVERIFIED"]
    if with_saving:
        _duty_saved(result, mfn_rate, preferential_rate, customs_value or transaction_value)
    _summarise(result)
    return result


def destination_code(destination: str | None) -> str:
    return (destination or "").lower()


def _deemed_us(
    book: ParameterSource,
    hs_code: str,
    when: date,
    destination: str | None,
    exported_from: str | None,
    steps: list[Step],
    result: OriginResult,
) -> bool:
    """Whether the destination deems the good originating when imported from another Party,
    whatever its rule says: HTSUS General Note 11(p) into the US (``deemed_originating_us``),
    CUSMA Rules of Origin Regulations s. 3(7) and Schedule 2 into Canada
    (``deemed_originating_ca``)."""
    if destination is None:
        return False
    name = f"deemed_originating_{destination.lower()}"
    found = book.parameter(PACK, name, when)
    if not found.usable or not isinstance(found.value, dict):
        return False
    lines = found.value.get("lines") or {}
    d = digits(hs_code)
    hit = next((line for line in lines if d.startswith(digits(line))), None)
    if hit is None:
        return False
    law = found.citation.reference.split(";")[0] if found.citation else name
    if exported_from in (found.value.get("imported_from") or []):
        steps.append(
            Step(
                f"{law}: {lines[hit]} of {hit} imported into {destination} from {exported_from} are deemed originating, notwithstanding the product-specific rule",
                "deemed originating",
                found.citation,
            )
        )
        result.findings.append(
            _finding(
                "ORIGIN_DEEMED_US" if destination == "US" else "ORIGIN_DEEMED",
                "info",
                f"{hs_code} is deemed CUSMA-originating under {law} (imported from {exported_from}); non-preferential origin, marking and Section 301 are not changed by it",
            )
        )
        return True
    steps.append(
        Step(
            f"{law} deems {hit} originating only when imported into {destination} from another CUSMA country; it is exported from {exported_from or 'a country not given'}",
            "not applied",
            found.citation,
        )
    )
    return False


def _apply_rule(
    book: ParameterSource,
    result: OriginResult,
    materials: list[BomMaterial],
    citation: Citation | None,
    transaction_value: Decimal | None,
    net_cost: Decimal | None,
    shipping: Decimal,
    total_cost: Decimal | None,
    when: date,
) -> None:
    rule = result.rule
    assert rule is not None
    steps = result.steps
    if not rule.verified or rule.type is None:
        result.missing.append(
            f"the CUSMA product-specific rule for {rule.subheading} (not retrieved; held as unverified)"
        )
        steps.append(
            Step(
                f"The product-specific rule for {rule.subheading} was not retrieved: origin cannot be determined and no rule is assumed",
                "needs data",
                citation,
            )
        )
        result.findings.append(
            _finding(
                "ORIGIN_RULE_UNVERIFIED",
                "warning",
                f"The CUSMA rule for {rule.subheading} is not held as verified; confirm it in Annex 4-B / HTSUS GN 11 before claiming",
            )
        )
        return
    label = f" (GN 11 {rule.gn11_rule})" if rule.gn11_rule else ""
    steps.append(
        Step(
            f"Product-specific rule for {rule.subheading}{label}: {rule.text}", rule.type, citation
        )
    )
    if rule.rvc is None:
        steps.append(
            Step(
                "This rule has no regional value content test: origin turns on the tariff shift alone (with de minimis)",
                "",
                citation,
            )
        )
    tv_adj = transaction_value - shipping if transaction_value is not None else None
    worst, best = (
        _evaluate(
            book,
            result,
            materials,
            unknown_as_originating=assume,
            tv=transaction_value,
            tv_adj=tv_adj,
            shipping=shipping,
            nc=net_cost,
            total_cost=total_cost,
            when=when,
        )
        for assume in (False, True)
    )
    unknown = [m for m in materials if m.originating is None]
    for m in materials:
        steps.append(_material_step(result.hs_code, m, rule))
    if worst.qualifies is True:
        chosen = worst
        if unknown:
            steps.append(
                Step(
                    "The good qualifies even if every material of unknown origin is non-originating",
                    "qualifies",
                )
            )
    elif best.qualifies is False:
        chosen = best
        if unknown:
            steps.append(
                Step(
                    "The good fails even if every material of unknown origin is originating",
                    "does not qualify",
                )
            )
    else:
        chosen = _Outcome(None, None, missing=list(worst.missing), steps=worst.steps)
        for m in unknown:
            matters = rule.rvc is not None or (
                len(digits(m.hs)) < 6 or not shift_satisfied(result.hs_code, m.hs, rule)[0]
            )
            if matters:
                chosen.missing.append(
                    f"originating status of {m.description} ({m.hs}, value {m.value:f})"
                )
        steps.append(
            Step(
                "The answer depends on data not given; a material of unknown origin is never taken as originating",
                "needs data",
            )
        )
    steps.extend(chosen.steps)
    result.qualifies = chosen.qualifies
    result.rule_applied = chosen.path
    result.de_minimis_applied = chosen.de_minimis
    result.rvc = chosen.rvc if chosen.qualifies is not None else worst.rvc
    result.missing.extend(m for m in chosen.missing if m not in result.missing)


def _material_step(good: str, m: BomMaterial, rule: PsrRule) -> Step:
    if m.originating:
        return Step(
            f"{m.description} ({m.hs}, {m.value:f}): originating; no change of classification needed"
        )
    if len(digits(m.hs)) < 6:
        return Step(f"{m.description} ({m.hs!r}, {m.value:f}): HS subheading not given")
    ok, why = shift_satisfied(good, m.hs, rule)
    status = "non-originating" if m.originating is False else "origin unknown"
    verdict = "satisfies the tariff shift" if ok else "does not satisfy the tariff shift"
    return Step(f"{m.description} ({m.hs}, {m.value:f}), {status}: {why}", verdict)


def _evaluate(
    book: ParameterSource,
    result: OriginResult,
    materials: list[BomMaterial],
    *,
    unknown_as_originating: bool,
    tv: Decimal | None,
    tv_adj: Decimal | None,
    shipping: Decimal,
    nc: Decimal | None,
    total_cost: Decimal | None,
    when: date,
) -> _Outcome:
    rule = result.rule
    assert rule is not None and rule.type is not None
    non_orig = [
        m
        for m in materials
        if m.originating is False or (m.originating is None and not unknown_as_originating)
    ]
    out = _Outcome(None, None)
    no_hs = [m for m in non_orig if len(digits(m.hs)) < 6]
    failing = [
        m
        for m in non_orig
        if len(digits(m.hs)) >= 6 and not shift_satisfied(result.hs_code, m.hs, rule)[0]
    ]
    vnm = sum((m.value for m in non_orig), ZERO)
    shift_ok: bool | None
    if rule.type in ("tariff_shift", "tariff_shift_or_rvc"):
        if no_hs:
            out.missing.extend(f"HS subheading of {m.description}" for m in no_hs)
            shift_ok = None
        else:
            shift_ok = not failing
        if shift_ok:
            out.qualifies, out.path = True, "tariff_shift"
            out.steps.append(
                Step(
                    "Every non-originating material makes the required change of tariff classification",
                    "tariff shift met",
                )
            )
            return out
        if failing and not no_hs:
            dm = _de_minimis(book, failing, tv_adj, total_cost, when, out)
            if dm:
                out.qualifies, out.path, out.de_minimis = True, "tariff_shift_de_minimis", True
                return out
            if dm is False and rule.type == "tariff_shift":
                out.qualifies, out.path = False, "tariff_shift"
                return out
    if rule.type in ("rvc", "tariff_shift_or_rvc") and rule.rvc:
        met = _rvc(book, rule, tv, shipping, nc, vnm, when, out)
        if met:
            out.qualifies, out.path = True, "rvc"
        elif met is False and rule.type == "rvc":
            out.qualifies, out.path = False, "rvc"
        elif met is False and not no_hs:
            out.qualifies, out.path = False, "tariff_shift_or_rvc"
    return out


def _de_minimis(
    book: ParameterSource,
    failing: list[BomMaterial],
    tv_adj: Decimal | None,
    total_cost: Decimal | None,
    when: date,
    out: _Outcome,
) -> bool | None:
    found = book.parameter(PACK, "de_minimis", when)
    value = sum((m.value for m in failing), ZERO)
    names = ", ".join(f"{m.description} {m.value:f}" for m in failing)
    if not found.usable or not isinstance(found.value, dict):
        out.missing.append(f"cusma.de_minimis ({found.status.value} on {when})")
        return None
    pct = Decimal(str(found.value["percent_of_transaction_value"]))
    pct_tc = Decimal(str(found.value.get("percent_of_total_cost", pct)))
    tests: list[tuple[str, Decimal]] = []
    if tv_adj is not None and tv_adj > 0:
        tests.append(
            (
                "the transaction value adjusted to exclude international shipment costs",
                tv_adj * pct / HUNDRED,
            )
        )
    if total_cost is not None and total_cost > 0:
        tests.append(("the total cost", total_cost * pct_tc / HUNDRED))
    if not tests:
        out.missing.append("the transaction value (or total cost) of the good, for de minimis")
        out.steps.append(
            Step(
                f"De minimis (CUSMA Art. 4.12) cannot be tested: no transaction value or total cost; failing materials {names} = {value:f}",
                "needs data",
                found.citation,
            )
        )
        return None
    for what, limit in tests:
        ok = value <= limit
        out.steps.append(
            Step(
                f"De minimis (CUSMA Art. 4.12): non-originating materials that do not make the change ({names}) = {value:f}, against {pct:f} % of {what} = {limit:f}",
                "within de minimis: the good is originating" if ok else "exceeds de minimis",
                found.citation,
            )
        )
        if ok:
            return True
    return False


def _rvc(
    book: ParameterSource,
    rule: PsrRule,
    tv: Decimal | None,
    shipping: Decimal,
    nc: Decimal | None,
    vnm: Decimal,
    when: date,
    out: _Outcome,
) -> bool | None:
    assert rule.rvc is not None
    any_met: bool | None = None
    if tv is not None and "transaction_value" in rule.rvc:
        r = transaction_value_rvc(
            tv,
            vnm,
            international_shipping=shipping,
            threshold=rule.rvc["transaction_value"],
            book=book,
            when=when,
        )
        out.steps.extend(r.steps)
        out.rvc["transaction_value"] = f"{r.rvc:f}" if r.rvc is not None else None
        any_met = bool(r.qualifies)
    if nc is not None and "net_cost" in rule.rvc:
        r = net_cost_rvc(nc, vnm, threshold=rule.rvc["net_cost"], book=book, when=when)
        out.steps.extend(r.steps)
        out.rvc["net_cost"] = f"{r.rvc:f}" if r.rvc is not None else None
        any_met = bool(any_met) or bool(r.qualifies)
    if any_met is None:
        out.missing.append("the transaction value or net cost of the good, for the RVC test")
    return any_met


def _duty_saved(
    result: OriginResult,
    mfn: Decimal | None,
    pref: Decimal | None,
    value: Decimal | None,
) -> None:
    steps = result.steps
    if mfn is None:
        steps.append(
            Step(
                "The MFN rate is not known: the duty the preference saves is unknown (never taken as 0)",
                "unknown",
            )
        )
        result.findings.append(
            _finding(
                "PREFERENCE_SAVING_UNKNOWN",
                "warning",
                "MFN rate unknown: the value of a CUSMA claim cannot be stated",
            )
        )
        return
    if mfn == 0:
        result.duty_saved = result.potential_saving = ZERO
        steps.append(Step("MFN is Free: the preference saves no duty", "0"))
        result.findings.append(
            _finding(
                "PREFERENCE_SAVES_NOTHING",
                "info",
                f"MFN is Free for {result.hs_code}: the CUSMA preference saves no duty (origin may still matter for other measures)",
            )
        )
        return
    if pref is None or value is None:
        what = "preferential rate" if pref is None else "customs value"
        steps.append(Step(f"The {what} is not known: the duty saved is unknown", "unknown"))
        return
    saving = ((mfn - pref) * value / HUNDRED).quantize(TWO_PLACES, ROUND_HALF_UP)
    result.potential_saving = saving
    text = f"({mfn:f} % - {pref:f} %) x {value:f}"
    if result.qualifies is True:
        result.duty_saved = saving
        steps.append(
            Step(
                f"Duty saved by the preference = (MFN - preferential rate) x value = {text}",
                f"{saving:f}",
            )
        )
    elif result.qualifies is False:
        result.duty_saved = ZERO
        steps.append(
            Step(
                f"The good does not qualify: the preference cannot be claimed and saves nothing (it would have saved {text} = {saving:f})",
                "0",
            )
        )
    else:
        steps.append(
            Step(
                f"Origin needs data: the saving is unknown; if the good qualifies it saves {text} = {saving:f}",
                "unknown",
            )
        )


def _summarise(result: OriginResult) -> None:
    if result.qualifies is None:
        result.findings.append(
            _finding(
                "ORIGIN_NEEDS_DATA",
                "warning",
                "CUSMA origin cannot be determined: " + "; ".join(result.missing),
            )
        )
    elif result.qualifies is False:
        result.findings.append(
            _finding(
                "ORIGIN_NOT_QUALIFIED",
                "warning",
                f"{result.hs_code} does not qualify as CUSMA-originating under {result.rule_applied}",
            )
        )
    elif result.de_minimis_applied:
        result.findings.append(
            _finding(
                "ORIGIN_DE_MINIMIS_APPLIED",
                "info",
                f"{result.hs_code} qualifies only through de minimis (CUSMA Art. 4.12)",
            )
        )
