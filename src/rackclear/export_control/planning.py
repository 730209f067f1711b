"""Export control inside ``plan``: an ECCN per sku, a licence determination per sku, destination
and end user, the origin countries' own regimes, and the findings that follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rackclear.domain.deployment import Deployment, Item, Shipment, Site
from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, Finding
from rackclear.export_control.eccn import (
    ADVANCED_KINDS,
    EccnResult,
    determine_eccn,
    is_advanced_computing,
    normalise_kind,
    parse_bool,
)
from rackclear.export_control.licence import LicenceResult, determine_general, determine_licence
from rackclear.rulebook.registry import Rulebook

ORIGIN_REGIMES = ("eu_dual_use", "sg_strategic_goods", "tw_shtc")


@dataclass
class ExportControl:
    book: Rulebook
    as_of: date
    eccns: dict[str, EccnResult] = field(default_factory=dict)
    licences: dict[tuple[str, str, str | None], LicenceResult] = field(default_factory=dict)
    # the facts each licence determination relied on, by the same key
    facts: dict[tuple[str, str, str | None], dict[str, Any]] = field(default_factory=dict)
    # what check_line found for (sku, destination, origin country, headquarters), minus the
    # line's concerns: the same answer for every line of that kind, so it is worked out once
    _lines: dict[tuple[str, str, str, str | None], list[tuple[str, str, str, tuple[Any, ...]]]] = (
        field(default_factory=dict)
    )

    def eccn(self, item: Item) -> EccnResult:
        found = self.eccns.get(item.sku)
        if found is None:
            specs: dict[str, Any] = {"kind": item.kind, **item.specs}
            found = self.eccns[item.sku] = determine_eccn(
                self.book, specs, self.as_of, item.declared.eccn, Concerns(sku=item.sku)
            )
        return found

    def check_line(
        self, ship: Shipment, site: Site, item: Item, index: int, hq: str | None
    ) -> list[Finding]:
        """Findings for one line: whether the EAR reaches it, and whether a licence is needed."""
        concerns = Concerns(
            shipment=ship.id, line=index, site=site.id, country=site.country, sku=item.sku
        )
        key = (item.sku, site.country, ship.origin_country, hq)
        found = self._lines.get(key)
        if found is None:
            found = self._lines[key] = [
                (f.code, f.message, f.remedy, f.citations)
                for f in self._check_line(ship, site, item, hq, concerns)
            ]
        if not found:
            return []
        return [
            make(code, message, remedy, concerns, citations)
            for code, message, remedy, citations in found
        ]

    def _check_line(
        self, ship: Shipment, site: Site, item: Item, hq: str | None, concerns: Concerns
    ) -> list[Finding]:
        result = self.eccn(item)
        from_us = ship.origin_country == "US"
        if site.country == "US" and not from_us:
            return []  # an import into the US, not an export or reexport under the EAR
        undecided = (
            result.eccn is None
            and not result.candidates  # outside 3A090: the candidates settle the licence
            and normalise_kind(item.kind) in ADVANCED_KINDS
        )
        eccn, paragraph = self.controlling_eccn(item, result)
        advanced = is_advanced_computing(eccn)
        if not (from_us or item.us_content or advanced or undecided or item.declared.eccn):
            return []
        out: list[Finding] = []
        if not from_us and (item.us_content or advanced or undecided):
            out.append(
                make(
                    "FDP_REVIEW",
                    f"{item.sku} is made outside the US ({item.country_of_origin}) and shipped from {ship.origin_country}; it may be subject to the EAR through US content (de minimis, 15 CFR 734.4) or the advanced-computing foreign-direct-product rule (15 CFR 734.9(h))"
                    + (" and its ECCN is not decided." if undecided else "."),
                    "Review de minimis and FDP applicability; the licence determination below assumes the item is subject to the EAR.",
                    concerns,
                )
            )
        key = (item.sku, site.country, hq)
        licence = self.licences.get(key)
        if key not in self.facts:
            self.facts[key] = {
                "eccn": eccn,
                "candidates": list(result.candidates),
                "end_user_headquarters": hq,
                "site_use": site.use,
                "from_us": from_us,
            }
        if licence is None and eccn is None and not undecided:
            licence = self.licences[key] = self._without_eccn(result, site.country, concerns)
        if licence is None:
            dc = parse_bool(item.specs.get("datacenter"))
            licence = self.licences[key] = determine_licence(
                self.book,
                eccn,
                site.country,
                self.as_of,
                hq,
                dict(item.specs),
                paragraph,
                True if dc is None and site.use == "data_center" else dc,
                concerns,
                result.tpp,
            )
        for finding in licence.findings:
            out.append(
                make(finding.code, finding.message, finding.remedy, concerns, finding.citations)
            )
        for exception in licence.exceptions:
            if exception["eligible"]:
                out.append(
                    make(
                        "LICENCE_EXCEPTION_AVAILABLE",
                        f"License Exception {exception['name']} may be used: {exception['conditions']}",
                        "Meet every condition and keep the records.",
                        concerns,
                    )
                )
        return out

    def _without_eccn(self, result: EccnResult, country: str, concerns: Concerns) -> LicenceResult:
        """No single ECCN: settled from the candidates when they agree; otherwise a review of the
        ECCN (a data request), not a licence blocker, for an item outside the controlled families."""
        if result.candidates:
            settled = determine_general(self.book, result.candidates, country, self.as_of, concerns)
            if settled is not None:
                return settled
        out = LicenceResult(None)
        out.steps.append(
            Step(
                f"No ECCN yet for this item (see the ECCN review): the licence need to {country} is determined once it is classified",
                "unknown",
            )
        )
        out.findings.append(
            make(
                "LICENCE_DETERMINATION_NEEDED",
                f"The licence need to {country} waits for the item's ECCN (not an advanced-computing family: a licence is unlikely but not established).",
                "Classify the item (declared.eccn or the specs the ECCN review asks for) before export.",
                concerns,
            )
        )
        return out

    def determinations(self, cite: Any) -> list[dict[str, Any]]:
        """Every licence determination made (sku x destination x end user), with its steps,
        citations, findings and the facts it relied on, "not required" included."""
        out = []
        for (sku, country, hq), r in sorted(
            self.licences.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")
        ):
            facts = self.facts.get((sku, country, hq), {})
            out.append(
                {
                    "sku": sku,
                    "destination": country,
                    "end_user_headquarters": hq,
                    "eccn": facts.get("eccn"),
                    "candidates": facts.get("candidates", []),
                    "licence_required": r.licence_required,
                    "outcome": {True: "required", False: "not required", None: "not determined"}[
                        r.licence_required
                    ],
                    "policy": r.policy,
                    "exceptions": r.exceptions,
                    "facts": facts,
                    "steps": [s.to_dict(cite) for s in r.steps],
                    "findings": [f.code for f in r.findings],
                }
            )
        return out

    @staticmethod
    def controlling_eccn(item: Item, result: EccnResult) -> tuple[str | None, str | None]:
        """The ECCN a licence decision rests on, with its paragraph: the stricter of the ECCN the
        specs give and the declared one (an advanced-computing ECCN is never set aside)."""
        declared = (item.declared.eccn or "").strip().upper().replace(" ", "") or None
        declared_advanced = is_advanced_computing(declared)
        if result.advanced_computing:
            return result.eccn, result.paragraph
        if declared_advanced:
            return declared, declared if declared and declared.count(".") else None
        return (declared, None) if declared else (result.eccn, result.paragraph)

    def origin_findings(self, ship: Shipment) -> list[Finding]:
        out = []
        for name in ORIGIN_REGIMES:
            rule = self.book.parameter("origin-controls", name, self.as_of)
            if rule.value and ship.origin_country in rule.value.get("origins", []):
                confirm = (
                    "" if rule.usable else " (Recorded but unverified: confirm with the authority.)"
                )
                out.append(
                    make(
                        "ORIGIN_EXPORT_CONTROL",
                        str(rule.value["message"]) + confirm,
                        str(rule.value["remedy"]),
                        Concerns(shipment=ship.id, country=ship.origin_country),
                        (rule.citation,) if rule.citation else (),
                    )
                )
        return out


def end_user_hq(deployment: Deployment, ship: Shipment) -> str | None:
    """The headquarters country of the shipment's end user's ultimate parent (or its own country)."""
    if ship.end_user is None:
        return None
    party = next((p for p in deployment.parties if p.id == ship.end_user), None)
    if party is None:
        return None
    return party.parent_headquarters or party.country
