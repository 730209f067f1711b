"""What each border demands of a product family, and of the importer of record, as of a date.

Requirements come from ``requirements.yaml`` of the destination's pack and the packs it extends
(Germany and the Netherlands inherit the EU's CE rules and add their own WEEE registration). A
country whose packs hold no requirements file gets an explicit "unknown", never "none needed"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from rackclear.border.conditions import holds
from rackclear.domain.citations import Citation
from rackclear.export_control.eccn import normalise_kind
from rackclear.rulebook.conformity_schema import (
    DocumentSpec,
    Exclusion,
    ImporterRule,
    NonResident,
    RequirementSpec,
)
from rackclear.rulebook.registry import Rulebook
from rackclear.rulebook.schema import Cited

C = TypeVar("C", bound=Cited)


def start_unknown(entry: Cited, when: date) -> date | None:
    """The date ``entry`` is known to be in force from, when ``when`` is before it and the rule's
    legal start is not known (``from_known: at_least``): it may already have applied on ``when``.
    None otherwise."""
    if entry.from_known == "at_least" and when < entry.from_:
        return entry.from_
    return None


def in_force(entries: list[C], when: date, key: Any = lambda e: e.id) -> list[C]:
    """The version of each id in force on ``when`` (a later version ends an open earlier one).

    Where no version of an id covers ``when`` but one is only known to be in force since at least
    a later date (``from_known: at_least``), that version is returned too, never dropped: its
    legal start is not established, so it may already have applied. Callers tell it apart with
    ``start_unknown(entry, when)``."""
    best: dict[Any, C] = {}
    pending: dict[Any, C] = {}
    for entry in entries:
        k = key(entry)
        if entry.covers(when):
            if k not in best or entry.from_ > best[k].from_:
                best[k] = entry
        elif start_unknown(entry, when) is not None and (
            k not in pending or entry.from_ < pending[k].from_
        ):
            pending[k] = entry
    for k, entry in pending.items():
        best.setdefault(k, entry)
    return list(best.values())


def _cite(entry: Cited, rule: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "reference": entry.reference,
        "source": entry.source,
        "url": entry.url,
        "read": entry.read.isoformat(),
        "from": entry.from_.isoformat(),
        "until": entry.until.isoformat() if entry.until else None,
        "verified": entry.verified,
        "from_known": entry.from_known,
    }


@dataclass
class RequirementCheck:
    """One scheme judged for one item family (and its specs) at one border."""

    spec: RequirementSpec
    pack: str
    applies: bool | None
    why: list[str] = field(default_factory=list)
    excluded: Exclusion | None = None
    open_exclusions: list[Exclusion] = field(default_factory=list)
    start_unknown: date | None = None  # the plan date is before the rule's at-least start

    @property
    def confirm(self) -> bool:
        """The rule must be confirmed before it is relied on: unverified, or not established to
        be in force yet on the plan date."""
        return not self.spec.verified or self.start_unknown is not None

    @property
    def status(self) -> str:
        """``excluded``, ``not_applicable``, ``unknown`` (a condition cannot be told from the
        specs), ``confirm`` (the rule is unverified, or its start in law is not established on
        the plan date), ``voluntary`` or ``required``."""
        if self.excluded is not None:
            return "excluded"
        if self.applies is False:
            return "not_applicable"
        if self.applies is None:
            return "unknown" if self.spec.mandatory else "voluntary"
        if self.confirm:
            return "confirm"
        return "required" if self.spec.mandatory else "voluntary"

    @property
    def citation(self) -> Citation:
        return self.spec.citation(f"{self.pack}.requirements.{self.spec.id}")

    def to_dict(self) -> dict[str, Any]:
        s = self.spec
        return {
            "id": s.id,
            "scheme": s.scheme,
            "authority": s.authority,
            "mandatory": s.mandatory,
            "verified": s.verified,
            "start_unknown": self.start_unknown.isoformat() if self.start_unknown else None,
            "status": self.status,
            "when": s.when,
            "holder": s.holder,
            "lead_time_days": list(s.lead_time_days) if s.lead_time_days else None,
            "lead_time_basis": s.lead_time_basis,
            "per_shipment": s.per_shipment,
            "validity": s.validity,
            "conditions": s.conditions or None,
            "why": self.why,
            "excluded_by": self.excluded.text if self.excluded else None,
            "exclusions": [
                {"id": e.id, "text": e.text, "checkable": e.condition is not None}
                for e in s.exclusions
            ],
            "open_exclusions": [e.text for e in self.open_exclusions],
            "remedy": s.remedy
            if not self.confirm
            else f"Confirm with the authority ({s.authority}) whether this applies: {s.remedy}",
            "note": s.note,
            "citation": _cite(s, f"{self.pack}.requirements.{s.id}"),
        }


def _packs(book: Rulebook, country: str) -> list[Any]:
    pack = book.jurisdiction(country)
    return book.chain(pack.meta.id) if pack is not None else []


def has_requirements(book: Rulebook, country: str) -> bool:
    return any(p.requirements is not None for p in _packs(book, country))


def requirements_for(
    book: Rulebook, country: str, family: str, specs: dict[str, Any], when: date
) -> list[RequirementCheck]:
    """Every scheme of ``country`` that names ``family`` (or all families), judged on ``specs``."""
    out: list[RequirementCheck] = []
    for pack in _packs(book, country):
        if pack.requirements is None:
            continue
        for spec in in_force(pack.requirements.requirements, when):
            if family not in spec.families and "all" not in spec.families:
                continue
            applies, why = holds(spec.conditions, specs)
            check = RequirementCheck(
                spec, pack.meta.id, applies, why, start_unknown=start_unknown(spec, when)
            )
            for exclusion in spec.exclusions:
                if exclusion.condition is None:
                    check.open_exclusions.append(exclusion)
                    continue
                hit, reasons = holds(exclusion.condition, specs)
                if hit:
                    check.excluded = exclusion
                    check.why.extend(reasons)
                    break
                if hit is None:
                    check.open_exclusions.append(exclusion)
            out.append(check)
    return sorted(out, key=lambda c: c.spec.id)


@dataclass
class ImporterRules:
    country: str
    pack: str | None
    non_resident: NonResident | None
    rules: list[ImporterRule]
    territory: list[str] = field(default_factory=list)
    start_unknown: dict[str, date] = field(default_factory=dict)
    """Rule id (``non_resident`` for that rule) -> the at-least start the plan date is before."""

    def resident(self, party_country: str) -> bool:
        """Established in the country, or anywhere in its customs territory (e.g. the EU)."""
        return party_country == self.country or party_country in self.territory

    def to_dict(self) -> dict[str, Any]:
        nr = self.non_resident
        return {
            "country": self.country,
            "known": self.pack is not None,
            "territory": self.territory,
            "non_resident": None
            if nr is None
            else {
                "allowed": nr.allowed,
                "text": nr.text,
                "verified": nr.verified,
                "start_unknown": _iso(self.start_unknown.get("non_resident")),
                "citation": _cite(nr, f"{self.pack}.importer.non_resident"),
            },
            "rules": [
                {
                    "id": r.id,
                    "registration": r.registration,
                    "key": r.key,
                    "applies_to": r.applies_to,
                    "required": r.required,
                    "verified": r.verified,
                    "start_unknown": _iso(self.start_unknown.get(r.id)),
                    "lead_time_days": list(r.lead_time_days) if r.lead_time_days else None,
                    "lead_time_basis": r.lead_time_basis,
                    "text": r.text,
                    "remedy": r.remedy,
                    "note": r.note,
                    "citation": _cite(r, f"{self.pack}.importer.{r.id}"),
                }
                for r in self.rules
            ],
        }


def importer_rules(book: Rulebook, country: str, when: date) -> ImporterRules:
    """The importer-of-record rules of ``country`` in force on ``when`` (nearest pack first;
    a national pack adds to, and may override by id, the rules of the pack it extends)."""
    non_resident: NonResident | None = None
    rules: dict[str, ImporterRule] = {}
    source: str | None = None
    territory: list[str] = []
    for pack in _packs(book, country):
        if pack.importer is None:
            continue
        source = source or pack.meta.id
        t = pack.importer.territory
        if not territory and t is not None and t.covers(when):
            territory = list(t.countries)
        found = in_force(pack.importer.non_resident, when, key=lambda _: "non_resident")
        if non_resident is None and found:
            non_resident = found[0]
        for rule in in_force(pack.importer.rules, when):
            rules.setdefault(rule.id, rule)
    unknown: dict[str, date] = {}
    if non_resident is not None and (d := start_unknown(non_resident, when)) is not None:
        unknown["non_resident"] = d
    for rule in rules.values():
        if (d := start_unknown(rule, when)) is not None:
            unknown[rule.id] = d
    return ImporterRules(
        country,
        source,
        non_resident,
        sorted(rules.values(), key=lambda r: r.id),
        territory,
        unknown,
    )


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def documents_for(book: Rulebook, country: str, when: date) -> list[tuple[str, DocumentSpec]]:
    """Documents every lane needs (the ``documents`` pack) and those of ``country``'s packs."""
    packs = list(_packs(book, country))
    common = book.packs.get("documents")
    if common is not None and common not in packs:
        packs.append(common)
    out: list[tuple[str, DocumentSpec]] = []
    for pack in packs:
        if pack.documents is not None:
            out.extend((pack.meta.id, d) for d in in_force(pack.documents.documents, when))
    return out


def family_for_kind(book: Rulebook, kind: str) -> str | None:
    """The classification family a catalog ``kind`` names (``gpu_server`` -> ``server``)."""
    wanted = normalise_kind(kind)
    for pack in book.packs.values():
        if pack.families is None:
            continue
        for fam in pack.families.families:
            if wanted == fam.id:
                return fam.id
        for fam in pack.families.families:
            if wanted in fam.kinds:
                return fam.id
    return None
