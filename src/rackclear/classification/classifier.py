"""``classify``: a description (and kind, specs, declared codes) in; HS 6-digit, national lines,
confidence, alternatives, steps and findings out.

Evidence comes in this order: a declared code or advance ruling (checked against the tariff and
against the rules, disagreement reported, never silently overridden); then the family rules of
``packs/classification``; then a text search that only suggests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rackclear.classification.matcher import FamilyScore, Matcher
from rackclear.classification.national import NationalLine, national_line, rate_text
from rackclear.classification.search import suggest
from rackclear.classification.vague import judge
from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, Finding
from rackclear.rulebook.registry import Rulebook
from rackclear.rulebook.schema import FamiliesFile, FamilySpec, VagueFile
from rackclear.rulebook.tariff import digits
from rackclear.store.tariff_store import TariffStore

PACK = "classification"
ALGORITHM = "families-v1"


@dataclass
class Classification:
    """The answer for one item; ``hs6 is None`` when refused or when no rule matched."""

    description: str
    hs6: str | None
    family: str | None
    family_name: str | None
    confidence: str  # high | medium | low | none
    evidence: str  # rules | declared | advance_ruling | refused | suggestions
    national: dict[str, NationalLine] = field(default_factory=dict)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    hs6_by_country: dict[str, str] = field(default_factory=dict)

    def code_for(self, country: str) -> str | None:
        line = self.national.get(country)
        return line.formatted if line is not None and line.code else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "hs6": digits(self.hs6) if self.hs6 else None,
            "hs6_formatted": self.hs6,
            "family": self.family,
            "confidence": self.confidence,
            "evidence": self.evidence,
            "algorithm": ALGORITHM,
            "national": {cc: line.to_dict() for cc, line in sorted(self.national.items())},
            "alternatives": self.alternatives,
            "steps": [s.to_dict(lambda c: c.short()) for s in self.steps],
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "message": f.message,
                    "remedy": f.remedy,
                }
                for f in self.findings
            ],
        }


_MATCHERS: dict[int, tuple[FamiliesFile, Matcher]] = {}


def _matcher(families: FamiliesFile) -> Matcher:
    """One compiled matcher per loaded families file (keyed by identity; the file is immutable)."""
    cached = _MATCHERS.get(id(families))
    if cached is None or cached[0] is not families:
        cached = _MATCHERS[id(families)] = (families, Matcher(families))
    return cached[1]


def _rules(book: Rulebook) -> tuple[FamiliesFile, VagueFile]:
    pack = book.packs.get(PACK)
    if pack is None or pack.families is None or pack.vague is None:
        raise LookupError("the classification pack (families.yaml, vague.yaml) is missing")
    return pack.families, pack.vague


def _cite(family: FamilySpec, families: FamiliesFile, rule: str, reference: str) -> Citation:
    return Citation(
        f"classification.{family.id}",
        reference,
        f"rackclear classification rules ({families.hs_edition}): {rule}",
        None,
        None,
        families.from_,
        None,
        True,
    )


def _confidence(best: FamilyScore, runner: FamilyScore | None) -> str:
    margin = best.score - runner.score if runner is not None and runner.qualifies else 99.0
    groups = len(best.family.cues_all)
    if best.head_groups == groups and groups and margin >= 2:
        level = "high"
    elif best.head_groups or (best.kind_match and not best.missing):
        level = "medium"
    else:
        level = "low"
    order = ["low", "medium", "high"]
    return order[min(order.index(level), order.index(best.family.confidence_cap))]


def _view(book: Rulebook, country: str, family: FamilySpec) -> tuple[str, str | None]:
    """The HS 6-digit for ``country``: the family's, or a documented jurisdiction view."""
    pack = book.jurisdiction(country)
    keys = [country] + ([p.meta.id.upper() for p in book.chain(pack.meta.id)] if pack else [])
    for key in keys:
        view = family.jurisdictions.get(key)
        if view is not None and view.verified:
            return view.hs6, f"{key} classifies these goods in {view.hs6}: {view.reference}"
    return family.hs6, None


def classify(
    book: Rulebook,
    description: str,
    kind: str | None = None,
    specs: dict[str, Any] | None = None,
    destinations: tuple[str, ...] = (),
    as_of: date = date.min,
    declared: dict[str, str] | None = None,
    advance_ruling: str | None = None,
    concerns: Concerns | None = None,
    store: TariffStore | None = None,
) -> Classification:
    """Classify one item for each destination (see the module docstring for the evidence order)."""
    if as_of == date.min:
        raise ValueError("classify needs as_of: the date whose tariff and mappings apply")
    when = as_of
    specs, declared, concerns = specs or {}, declared or {}, concerns or Concerns()
    families, vague_rules = _rules(book)
    vague = judge(description, vague_rules)
    if vague.vague:
        result = Classification(description, None, None, None, "none", "refused")
        result.steps.append(Step(f"Description refused: {vague.reason}", "no code"))
        result.findings.append(
            make(
                "VAGUE_DESCRIPTION",
                f'"{description}" is too vague to classify: {vague.reason}.',
                "Describe what the item is, what it does and its key specs (e.g. 'Rack server, 2 x CPU, 8 x GPU, 1 TB RAM').",
                concerns,
            )
        )
        _declared_only(book, result, destinations, declared, advance_ruling, when, concerns, store)
        return result
    ranked = _matcher(families).score(description, kind, specs)
    best = ranked[0] if ranked and ranked[0].qualifies else None
    if best is None:
        result = _suggest(book, description, ranked, concerns, store)
        _declared_only(book, result, destinations, declared, advance_ruling, when, concerns, store)
        return result
    runner = next((s for s in ranked[1:] if s.qualifies), None)
    family = best.family
    result = Classification(
        description, family.hs6, family.id, family.name, _confidence(best, runner), "rules"
    )
    result.steps.append(Step(f"Family '{family.name}': {'; '.join(best.matched)}", family.hs6))
    for basis in family.basis:
        result.steps.append(
            Step(
                f"{basis.rule}: {basis.text}",
                family.hs6,
                _cite(family, families, basis.rule, basis.reference),
            )
        )
    result.alternatives = _alternatives(family, ranked)
    if result.confidence == "low":
        result.findings.append(
            make(
                "CLASSIFICATION_LOW_CONFIDENCE",
                f"{family.hs6} ({family.name}) rests on weak evidence or sources conflict.",
                "Review the alternatives; obtain a binding ruling for high-value lines.",
                concerns,
            )
        )
    for country in destinations:
        _destination(
            book, result, family, country, specs, when, declared, advance_ruling, concerns, store
        )
    return result


def _alternatives(family: FamilySpec, ranked: list[FamilyScore]) -> list[dict[str, Any]]:
    out = [{"hs6": a.hs6, "why_rejected": a.why, "source": "rule"} for a in family.alternatives]
    for other in ranked[1:]:
        if other.family.hs6 == family.hs6 or not (other.qualifies or other.matched):
            continue
        if other.excluded_by:
            why = f"family '{other.family.name}' excluded: {other.excluded_by}"
        elif other.missing:
            why = f"family '{other.family.name}' lacks {other.missing[0]}"
        else:
            why = f"family '{other.family.name}' matched less strongly ({other.score:.1f} against the chosen family)"
        if any(a["hs6"] == other.family.hs6 for a in out):
            continue
        out.append({"hs6": other.family.hs6, "why_rejected": why, "source": "matching"})
        if len(out) >= 6:
            break
    return out


def _destination(
    book: Rulebook,
    result: Classification,
    family: FamilySpec,
    country: str,
    specs: dict[str, Any],
    when: date,
    declared: dict[str, str],
    ruling: str | None,
    concerns: Concerns,
    store: TariffStore | None = None,
) -> None:
    hs6, view = _view(book, country, family)
    result.hs6_by_country[country] = hs6
    if view:
        result.steps.append(Step(view, hs6))
        result.findings.append(
            make(
                "JURISDICTION_VIEW",
                f"{country}: {view}",
                "None: a documented difference between administrations.",
                Concerns(concerns.shipment, concerns.line, concerns.site, country, concerns.sku),
            )
        )
    if book.jurisdiction(country) is None:
        result.findings.append(
            make(
                "NO_JURISDICTION_PACK",
                f"No rule pack covers {country}: no national line or rate.",
                "Add a jurisdiction pack for the country.",
                Concerns(concerns.shipment, concerns.line, concerns.site, country, concerns.sku),
            )
        )
    line = national_line(book, country, family.id, hs6, specs, when)
    result.steps.extend(line.steps)
    where = Concerns(concerns.shipment, concerns.line, concerns.site, country, concerns.sku)
    code = declared.get(country) or (declared.get("default") if country not in declared else None)
    if code:
        line = _declared(book, result, line, country, hs6, code, ruling, when, where, store)
    elif line.problem == "EXTEND_NATIONALLY":
        result.findings.append(
            make(
                "EXTEND_NATIONALLY",
                f"{country}: {hs6} is known, but the pack does not say which national line"
                + (f" ({', '.join(line.candidates)})" if line.candidates else "")
                + ".",
                f"Extend {hs6} to the full {country} national line and declare it.",
                where,
            )
        )
    elif line.problem == "NATIONAL_LINE_NEEDS_SPEC":
        result.findings.append(
            make(
                "NATIONAL_LINE_NEEDS_SPEC",
                f"{country}: the national line depends on specs not given: {'; '.join(line.candidates)}.",
                "Add the specs to the catalog item (see the conditions).",
                where,
            )
        )
    elif line.problem == "NATIONAL_MAPPING_UNVERIFIED":
        result.findings.append(
            make(
                "NATIONAL_MAPPING_UNVERIFIED",
                f"{country}: the line {line.formatted} for this family is unverified.",
                "Confirm the national line in the official tariff.",
                where,
            )
        )
    result.national[country] = line


def _declared(
    book: Rulebook,
    result: Classification,
    ours: NationalLine,
    country: str,
    hs6: str,
    code: str,
    ruling: str | None,
    when: date,
    where: Concerns,
    store: TariffStore | None = None,
) -> NationalLine:
    """A declared code is evidence: check it exists, compare with the rules, keep it, report."""
    pack = book.jurisdiction(country)
    tariff = book.tariff(pack.meta.id) if pack else None
    known = tariff.find(code) if tariff else []
    label = f"advance ruling {ruling}" if ruling else "the declared code"
    result.evidence = "advance_ruling" if ruling else "declared"
    result.steps.append(Step(f"{country}: {label} gives {code}", code))
    stored = store.lookup(country, code) if store is not None and not known else None
    if stored is not None:
        result.steps.append(
            Step(
                f"{country}: {stored.code} exists in the imported official file {stored.file} (row {stored.row}, "
                f"sha256 {stored.sha256[:12]}, imported {stored.imported_at})",
                stored.code,
            )
        )
    if not known and stored is None:
        result.findings.append(
            make(
                "DECLARED_CODE_NOT_IN_TARIFF",
                f"{country}: {code} ({label}) is not in the {country} tariff pack on {when}.",
                "Check the code against the official tariff; the pack cannot confirm it.",
                where,
            )
        )
    if digits(code)[:6] != digits(hs6):
        result.findings.append(
            make(
                "DECLARED_CODE_DISAGREES",
                f"{country}: {label} {code} is in {digits(code)[:4]}.{digits(code)[4:6]}, the rules give {hs6} ({result.family_name}).",
                "Review both: keep the declared code only with a ruling or a documented reason; otherwise correct it.",
                where,
            )
        )
    elif (
        ours.code
        and ours.complete
        and not (digits(code).startswith(ours.code) or ours.code.startswith(digits(code)))
    ):
        result.findings.append(
            make(
                "DECLARED_LINE_DIFFERS",
                f"{country}: {label} {code} differs from the rules' national line {ours.formatted}.",
                "Check the statistical suffix against the tariff text.",
                where,
            )
        )
    if ruling:
        result.findings.append(
            make(
                "ADVANCE_RULING_USED",
                f"{country}: {code} from advance ruling {ruling} is used.",
                "Keep the ruling on file; it binds while the facts and law are unchanged.",
                where,
            )
        )
    description = next(
        (line.description for line in known if digits(line.code) == digits(code)), None
    )
    rate = rate_text(book, pack, code, when) if pack else None
    exact = any(digits(line.code) == digits(code) for line in known) or stored is not None
    return NationalLine(country, hs6, digits(code), code, description, rate, exact, ours.steps)


def _declared_only(
    book: Rulebook,
    result: Classification,
    destinations: tuple[str, ...],
    declared: dict[str, str],
    ruling: str | None,
    when: date,
    concerns: Concerns,
    store: TariffStore | None,
) -> None:
    """Without a rule to compare with, a declared code is still checked against the tariff and kept."""
    for country in destinations:
        code = declared.get(country) or (
            declared.get("default") if country not in declared else None
        )
        if not code:
            continue
        hs6 = f"{digits(code)[:4]}.{digits(code)[4:6]}"
        where = Concerns(concerns.shipment, concerns.line, concerns.site, country, concerns.sku)
        empty = NationalLine(country, hs6, None, None, None, None, False, [])
        result.national[country] = _declared(
            book, result, empty, country, hs6, code, ruling, when, where, store
        )
        result.hs6_by_country[country] = hs6
        result.findings.append(
            make(
                "DECLARED_CODE_UNCHECKED",
                f"{country}: the declared code {code} could not be checked against the rules ({result.evidence}).",
                "Describe the item precisely so that the code can be confirmed.",
                where,
            )
        )


def _suggest(
    book: Rulebook,
    description: str,
    ranked: list[FamilyScore],
    concerns: Concerns,
    store: TariffStore | None = None,
) -> Classification:
    result = Classification(description, None, None, None, "none", "suggestions")
    hints = suggest(book, description, tuple(store.descriptions()) if store is not None else ())
    partial = [s for s in ranked if s.matched and s.excluded_by is None][:2]
    for s in partial:
        result.alternatives.append(
            {
                "hs6": s.family.hs6,
                "why_rejected": f"family '{s.family.name}' only partly matched: lacks {s.missing[0] if s.missing else 'evidence'}",
                "source": "matching",
            }
        )
    for hint in hints:
        result.alternatives.append(
            {
                "hs6": hint.hs6,
                "why_rejected": f"text search only ({hint.score:.0f} % similar to '{hint.text[:80]}'); needs review",
                "source": "search",
            }
        )
    result.steps.append(
        Step(
            "No classification rule matched; the text search below gives suggestions only",
            "no code",
        )
    )
    result.findings.append(
        make(
            "NO_RULE_MATCHED",
            f'No classification rule recognises "{description}".',
            "Review the suggestions and declare the code, or add a family to the classification pack.",
            concerns,
        )
    )
    return result
