"""Preferential origin inside ``plan``, decided before the duty is computed so that the tariff
treatment, the fees that follow origin (the US merchandise processing fee) and the CUSMA block
of the dossier give one answer for a line, never two.

For each line that claims a CUSMA/USMCA preference into Canada or the US, ``decide`` runs the
product-specific rule on the item's bill of materials (``catalog[].bom``) and production facts
(``catalog[].production``), with General Note 11(p) for the US. The catalog's country of origin
(non-preferential origin) does not decide preferential origin either way: a good made in Mexico
from Taiwanese parts may originate, and a Taiwanese server only tested in Mexico does not,
because nothing was produced there that the rule accepts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rackclear.domain.deployment import Item, Material, Production
from rackclear.domain.determination import Step
from rackclear.origin.cusma import OriginResult, assess_origin
from rackclear.origin.rvc import PACK, RvcInputError
from rackclear.rulebook.registry import Rulebook


@dataclass(slots=True)
class LineOrigin:
    """The origin answer for one line: ``qualifies`` True, False or None (needs data)."""

    qualifies: bool | None
    basis: str  # one sentence a person reads
    country: str | None  # the Party whose tariff treatment applies (production, else export)
    result: OriginResult | None = None
    notes: list[str] = field(default_factory=list)  # BOM facts set aside, in words


def decide(
    book: Rulebook,
    when: date,
    item: Item,
    hs_code: str,
    unit_price: Decimal,
    destination: str,
    exported_from: str,
    parties: Iterable[str],
) -> LineOrigin:
    """Whether ``item`` (classified ``hs_code`` in ``destination``) originates under CUSMA.
    ``parties`` are the countries the agreement covers (from the pack's preference specs)."""
    members = set(parties)
    notes: list[str] = []
    materials = [_material(m, notes) for m in item.bom]
    production = item.production
    net_cost = production.net_cost if production else None
    try:
        result = assess_origin(
            book,
            hs_code,
            materials,
            unit_price,
            net_cost,
            when,
            None,
            None,
            destination=destination,
            exported_from=exported_from,
            with_saving=False,
        )
    except RvcInputError as exc:
        return LineOrigin(None, f"the bill of materials cannot be read: {exc}", None, None, notes)
    result.missing[:0] = [n for n in notes if n not in result.missing]
    deemed = any(s.result == "deemed originating" for s in result.steps)
    country = _treatment_country(item, exported_from, members)
    refused = _production_refusal(book, when, production, members) if production else None
    if refused is not None:
        why, step = refused
        result.steps.append(step)
        if not deemed:
            _refuse(result, hs_code, why)
            return LineOrigin(False, f"not originating: {why}", country, result, notes)
        # General Note 11(p) deems the goods originating whatever was done to them
        result.qualifies, result.rule_applied = True, f"deemed_originating_{destination.lower()}"
        result.missing.clear()
    deemed = (result.rule_applied or "").startswith("deemed_originating")
    if not item.bom and not deemed and result.qualifies is None:
        result.missing.insert(
            0, f"the bill of materials of {item.sku} (catalog[].bom) and where it was produced"
        )
    _restate(result)
    if result.qualifies is True:
        law = next(
            (st.text.split(":")[0] for st in result.steps if st.result == "deemed originating"),
            "the destination's deeming rule",
        )
        basis = (
            f"deemed originating under {law} (imported from {exported_from})"
            if deemed
            else f"originating under the rule for its subheading ({result.rule_applied})"
        )
    elif result.qualifies is False:
        basis = f"not originating: {_why_not(result)}"
    else:
        basis = "not yet decided: it needs " + "; ".join(result.missing)
    return LineOrigin(result.qualifies, basis, country, result, notes)


def _production_refusal(
    book: Rulebook, when: date, production: Production, members: set[str]
) -> tuple[str, Step] | None:
    """Why the good cannot originate by where or how it was produced, with the step that says
    so; None when production does not settle it. An operation is refused as not production only
    on the pack's list for the date (nothing is assumed without it)."""
    where, what = production.country, production.operation
    if where not in members:
        why = f"its last production step ({what}) was in {where}, outside the territory of the Parties"
        return why, Step(
            f"The last production step ({what}) was in {where}, outside the territory of the "
            f"Parties ({', '.join(sorted(members))}): a good originates only where it is produced there",
            "not originating",
        )
    found = book.parameter(PACK, "production_operations", when)
    if not found.estimable or not isinstance(found.value, dict):
        return None
    if what in (found.value.get("production") or ()):
        return None
    why = f"its only operation in {where} was {what}, which is not production"
    return why, Step(
        f"The last step done to the good in {where} was {what}, which is not production "
        "(manufacturing, processing or assembling): nothing was produced there that the rule "
        "could accept",
        "not originating",
        found.citation,
    )


def _refuse(result: OriginResult, hs_code: str, why: str) -> None:
    """Settle ``result`` as not originating for ``why``, replacing what the rule left open."""
    result.qualifies = False
    result.rule_applied = "no production in the territory"
    result.missing.clear()
    result.findings = [
        f
        for f in result.findings
        if f["code"] not in ("ORIGIN_NEEDS_DATA", "ORIGIN_RULE_UNVERIFIED")
    ]
    result.findings.append(
        {
            "code": "ORIGIN_NOT_QUALIFIED",
            "severity": "warning",
            "message": f"{hs_code} does not qualify as CUSMA-originating: {why}",
        }
    )


def _restate(result: OriginResult) -> None:
    """The origin engine's "needs data" finding, restated with everything now missing."""
    for f in result.findings:
        if f["code"] == "ORIGIN_NEEDS_DATA":
            f["message"] = "CUSMA origin cannot be determined: " + "; ".join(result.missing)


def _treatment_country(item: Item, exported_from: str, members: set[str]) -> str | None:
    """The Party whose preferential treatment applies: where the good was produced, else its
    country of origin, else the country it is exported from (when each is a Party)."""
    for found in (
        item.production.country if item.production else None,
        item.country_of_origin,
        exported_from,
    ):
        if found in members:
            return found
    return None


def _material(m: Material, notes: list[str]) -> dict[str, object]:
    """The origin engine's view of one BOM line; ``originating`` true without the supplier's
    certification is taken as not known, and named."""
    originating = m.originating
    if originating is True and not m.supplier_certification:
        notes.append(
            f"a supplier's certification for {m.material} ({m.hs}), declared originating without one"
        )
        originating = None
    return {"description": m.material, "hs": m.hs, "value": m.value, "originating": originating}


def _why_not(result: OriginResult) -> str:
    """The materials that fail the rule, as the steps state them."""
    failed = [s.text for s in result.steps if s.result == "does not satisfy the tariff shift"]
    if failed:
        return "; ".join(failed)
    return f"the rule ({result.rule_applied}) is not met"


class OriginPlanner:
    """The origin decisions of one plan, made once per (sku, destination, code, export country,
    claim) and kept by (shipment, line) for the dossier's CUSMA block."""

    def __init__(self, book: Rulebook, when: date) -> None:
        self.book = book
        self.when = when
        self._cache: dict[tuple[str, str, str, str, str], LineOrigin] = {}
        self._parties: dict[tuple[str, str], frozenset[str]] = {}
        self.decided: dict[tuple[str, int], LineOrigin] = {}

    def parties(self, destination: str, claim: str) -> frozenset[str]:
        """The countries a claim covers into ``destination``: the destination and the origins
        its duty preferences for ``claim`` serve (empty: the claim is not known there)."""
        key = (destination, claim)
        found = self._parties.get(key)
        if found is None:
            chain = self.book.charges(destination.lower())
            origins = {
                o
                for spec in (chain.charges if chain else [])
                if spec.kind == "duty"
                for p in spec.preferences
                if p.claim == claim
                for o in p.origins
            }
            found = self._parties[key] = (
                frozenset(origins | {destination}) if origins else frozenset()
            )
        return found

    def line(
        self,
        shipment: str,
        index: int,
        item: Item,
        hs_code: str | None,
        unit_price: Decimal,
        destination: str,
        exported_from: str,
        claim: str | None,
    ) -> LineOrigin | None:
        """The decision for one claimed line, or None where there is no claim to decide."""
        if not claim or not hs_code or sum(ch.isdigit() for ch in hs_code) < 6:
            return None
        members = self.parties(destination, claim)
        if not members:
            return None
        key = (item.sku, destination, hs_code, exported_from, claim)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = decide(
                self.book, self.when, item, hs_code, unit_price, destination, exported_from, members
            )
        self.decided[(shipment, index)] = found
        return found
