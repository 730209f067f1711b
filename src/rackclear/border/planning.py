"""The border requirements of a deployment: product conformity per item and destination, the
importer of record's eligibility and registrations, the documents of each lane, and the programme
matrix (country x requirement, with status, lead time and the date it must be done by)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from rackclear.border.conditions import holds
from rackclear.border.requirements import (
    RequirementCheck,
    documents_for,
    has_requirements,
    importer_rules,
    requirements_for,
    start_unknown,
)
from rackclear.domain.citations import Citation
from rackclear.domain.deployment import Deployment, Item, Party, Shipment
from rackclear.domain.dossier import Dossier, ShipmentDossier
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, Finding
from rackclear.rulebook.conformity_schema import DocumentSpec
from rackclear.rulebook.registry import Rulebook

OPEN = ("needed", "confirm", "unknown")


@dataclass
class Row:
    """One cell group of the matrix: a requirement at one border, over the skus it concerns."""

    country: str
    requirement: str
    kind: str  # conformity | importer
    scheme: str
    authority: str | None
    status: str  # satisfied | needed | confirm | unknown | voluntary | conditional | excluded
    mandatory: bool | None
    verified: bool | None
    holder: str | None
    when: str | None
    per_shipment: bool = False
    lead_time_days: tuple[int, int] | None = None
    lead_time_basis: str | None = None
    due: date | None = None
    due_basis: str | None = None
    skus: list[str] = field(default_factory=list)
    sku_status: dict[str, str] = field(default_factory=dict)
    shipments: int = 0
    reason: str | None = None
    reference: str | None = None
    start_unknown: date | None = None  # the plan date is before the rule's at-least start
    citation: Citation | None = None
    # per shipment: (status over the skus it carries, its skus, its due date and basis, notes)
    per: dict[str, dict[str, Any]] = field(default_factory=dict)
    valid_until: date | None = None
    renewal: str | None = None

    @property
    def start_by(self) -> date | None:
        if self.due is None or self.lead_time_days is None:
            return None
        return self.due - timedelta(days=self.lead_time_days[1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "requirement": self.requirement,
            "kind": self.kind,
            "scheme": self.scheme,
            "authority": self.authority,
            "status": self.status,
            "mandatory": self.mandatory,
            "verified": self.verified,
            "holder": self.holder,
            "when": self.when,
            "per_shipment": self.per_shipment,
            "shipments": self.shipments,
            "lead_time_days": list(self.lead_time_days) if self.lead_time_days else None,
            "lead_time_basis": self.lead_time_basis,
            "due": self.due.isoformat() if self.due else None,
            "due_basis": self.due_basis,
            "start_by": self.start_by.isoformat() if self.start_by else None,
            "skus": self.skus,
            "sku_status": self.sku_status,
            "reason": self.reason,
            "reference": self.reference,
            "start_unknown": self.start_unknown.isoformat() if self.start_unknown else None,
        }


def _status(check: RequirementCheck, item: Item) -> str:
    if check.status in ("excluded", "not_applicable", "voluntary"):
        return check.status
    evidence = item.conformity.get(check.spec.id)
    if evidence is not None:
        return "satisfied"
    return {"required": "needed"}.get(check.status, check.status)


class BorderPlanner:
    """Collects the requirement rows of a plan and turns them into findings and a matrix."""

    def __init__(
        self,
        book: Rulebook,
        deployment: Deployment,
        as_of: date,
        timelines: dict[str, Any] | None = None,
    ) -> None:
        self.book = book
        self.timelines = timelines or {}  # shipment id -> rackclear.timeline.Timeline
        self.deployment = deployment
        self.as_of = as_of
        self.items = {i.sku: i for i in deployment.catalog}
        self.sites = {s.id: s for s in deployment.sites}
        self.rows: dict[tuple[str, str], Row] = {}
        self.findings: list[Finding] = []
        self.by_sku: dict[str, dict[str, list[str]]] = defaultdict(dict)
        self._checks: dict[tuple[str, str], list[RequirementCheck]] = {}
        # (sku, country) -> the checks that apply with their status: pure, so judged once
        self._judged: dict[tuple[str, str], list[tuple[RequirementCheck, str]]] = {}
        self._has_rules: dict[str, bool] = {}

    # -- conformity --------------------------------------------------------------------------
    def conformity(self, ship: Shipment, country: str, families: dict[str, str | None]) -> None:
        """Judge every sku of ``ship`` against ``country``'s schemes (``families``: sku -> family)."""
        site = self.sites[ship.site]
        for sku in dict.fromkeys(line.sku for line in ship.lines):
            item = self.items[sku]
            family = families.get(sku)
            has_rules = self._has_rules.get(country)
            if has_rules is None:
                has_rules = self._has_rules[country] = has_requirements(self.book, country)
            if not has_rules:
                self._row_unknown(
                    country,
                    "conformity-rules",
                    ship,
                    sku,
                    site.go_live,
                    f"No conformity rules for {country} in the packs",
                )
                continue
            if family is None:
                self._row_unknown(
                    country,
                    "product-family",
                    ship,
                    sku,
                    site.go_live,
                    f"{sku}'s product family is not determined (classification)",
                )
                continue
            judged = self._judged.get((sku, country))
            if judged is None:
                checks = self._checks.get((sku, country))
                if checks is None:
                    checks = self._checks[(sku, country)] = requirements_for(
                        self.book, country, family, item.specs, self.as_of
                    )
                judged = self._judged[(sku, country)] = [
                    (check, status)
                    for check in checks
                    for status in (_status(check, item),)
                    if status != "not_applicable"
                ]
            listed = self.by_sku[sku].setdefault(country, [])
            for check, status in judged:
                if status in ("needed", "confirm", "satisfied") and check.spec.mandatory:
                    listed.append(check.spec.id)
                self._add(country, check, status, ship, sku, site.go_live)

    def _due(self, when: str | None, ship: Shipment, go_live: date) -> tuple[date, str]:
        if when == "after_clearance":
            return go_live, "site go-live"
        if when == "before_shipment":
            return ship.ship_date, "planned ship date"
        timeline = self.timelines.get(ship.id)
        if timeline is not None and "arrive" in timeline.events and not timeline.estimated:
            arrive: date = timeline.arrive
            return arrive, f"planned arrival of {ship.id} (its timeline), before clearance"
        return (
            ship.ship_date,
            "planned ship date (no arrival date could be planned, so clearance is taken no later than shipping)",
        )

    def _on(self, ship: Shipment, when: str | None) -> date:
        """The date a shipment uses what a requirement issues: its release (at clearance), or its
        ship date for what is needed before shipment."""
        timeline = self.timelines.get(ship.id)
        if when == "before_shipment" or timeline is None:
            return ship.ship_date
        release: date = timeline.release
        return release

    def _evidence(
        self, check: RequirementCheck, item: Item, status: str, ship: Shipment
    ) -> tuple[str, str | None]:
        """The shipment's status for the sku: recorded evidence counts only while it is valid on
        the date the shipment uses it."""
        evidence = item.conformity.get(check.spec.id)
        if status != "satisfied" or evidence is None or evidence.valid_until is None:
            return status, None
        on = self._on(ship, check.spec.when)
        if evidence.valid_until >= on:
            return status, None
        return (
            "needed",
            f"{item.sku}: {evidence.reference} is valid until {evidence.valid_until}, but "
            f"{ship.id} uses it on {on}",
        )

    def _add(
        self,
        country: str,
        check: RequirementCheck,
        status: str,
        ship: Shipment,
        sku: str,
        go_live: date,
    ) -> None:
        spec = check.spec
        key = (country, spec.id)
        due, basis = self._due(spec.when, ship, go_live)
        item = self.items[sku]
        status, expired = self._evidence(check, item, status, ship)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Row(
                country,
                spec.id,
                "conformity",
                spec.scheme,
                spec.authority,
                status,
                spec.mandatory,
                spec.verified,
                spec.holder,
                spec.when,
                spec.per_shipment,
                spec.lead_time_days,
                spec.lead_time_basis,
                due,
                basis,
                reason="; ".join(check.why) or None,
                reference=spec.reference,
                start_unknown=check.start_unknown,
                citation=check.citation,
                valid_until=spec.valid_until,
                renewal=spec.renewal,
            )
            row.due = None
        else:
            row.status = _worse(row.status, status)
        per = row.per.get(ship.id)
        if per is None:
            per = row.per[ship.id] = {
                "status": status,
                "skus": [],
                "due": due,
                "due_basis": basis,
                "notes": [],
                "on": self._on(ship, spec.when),
            }
        else:
            per["status"] = _worse(per["status"], status)
        if sku not in per["skus"]:
            per["skus"].append(sku)
        if expired:
            per["notes"].append(expired)
        # the row's date is the earliest of the shipments that still need it (any, if none does)
        if status in OPEN and (row.due is None or due < row.due):
            row.due, row.due_basis = due, basis
        if status == "excluded" and check.excluded is not None:
            row.reason = f"excluded: {check.excluded.text}"
        if sku not in row.skus:
            row.skus.append(sku)
        row.sku_status[sku] = _worse(row.sku_status.get(sku, status), status)
        row.shipments += 1

    def _row_unknown(
        self, country: str, what: str, ship: Shipment, sku: str, go_live: date, reason: str
    ) -> None:
        key = (country, what)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Row(
                country,
                what,
                "conformity",
                "product conformity",
                None,
                "unknown",
                None,
                None,
                None,
                None,
                due=ship.ship_date,
                due_basis="planned ship date",
                reason=reason,
            )
        per = row.per.setdefault(
            ship.id,
            {
                "status": "unknown",
                "skus": [],
                "due": ship.ship_date,
                "due_basis": "planned ship date",
                "notes": [],
                "on": ship.ship_date,
            },
        )
        if sku not in per["skus"]:
            per["skus"].append(sku)
        if row.due is None or ship.ship_date < row.due:
            row.due = ship.ship_date
        if sku not in row.skus:
            row.skus.append(sku)
        row.shipments += 1

    # -- importer of record ------------------------------------------------------------------
    def importer(
        self,
        country: str,
        first_ship: date,
        free_zone: bool,
        subdivisions: frozenset[str | None] = frozenset({None}),
    ) -> None:
        """The importer of record's eligibility and registrations for ``country``; a rule tied to
        some subdivisions applies when a site is there, or when a site's subdivision is not given
        (then it is to confirm)."""
        rules = importer_rules(self.book, country, self.as_of)
        party = self.deployment.importer_of_record(country)
        if rules.pack is None:
            self.rows[(country, "importer-rules")] = Row(
                country,
                "importer-rules",
                "importer",
                "importer-of-record eligibility",
                None,
                "unknown",
                None,
                None,
                "importer",
                "before_clearance",
                due=first_ship,
                due_basis="first planned ship date",
                reason=f"No importer-of-record rules for {country} in the packs",
            )
            return
        if party is None:
            return  # IOR_NOT_NAMED is reported by the plan itself
        resident = rules.resident(party.country)
        nr = rules.non_resident
        if nr is not None and not resident:
            status = (
                "needed"
                if nr.allowed is False
                else "satisfied"
                if nr.allowed is True or _has_representative(party, rules.rules)
                else "needed"
            )
            nr_start = rules.start_unknown.get("non_resident")
            if (not nr.verified or nr_start is not None) and status != "satisfied":
                status = "confirm"
            self.rows[(country, "non-resident-importer")] = Row(
                country,
                "non-resident-importer",
                "importer",
                f"non-resident importer of record ({'allowed' if nr.allowed is True else 'through a representative' if nr.allowed == 'via_representative' else 'not allowed'})",
                None,
                status,
                True,
                nr.verified,
                "importer",
                "before_clearance",
                due=first_ship,
                due_basis="first planned ship date",
                reason=f"{party.name} ({party.country}) is not resident in {country}: {nr.text}",
                reference=nr.reference,
                skus=[],
                start_unknown=nr_start,
                citation=nr.citation(f"{rules.pack}.importer.non_resident"),
            )
        for rule in rules.rules:
            applies = {
                "all": True,
                "resident": resident,
                "non_resident": not resident,
                "free_zone": free_zone,
                "mainland": not free_zone,
            }[rule.applies_to]
            if not applies:
                continue
            unplaced = False
            if rule.subdivisions and not set(rule.subdivisions) & subdivisions:
                if None not in subdivisions:
                    continue
                unplaced = True
            held = party.registrations.get(rule.key)
            rule_start = rules.start_unknown.get(rule.id)
            firm = rule.verified and rule_start is None
            status = (
                "satisfied"
                if held
                else (
                    "conditional"
                    if not rule.required
                    else "needed"
                    if firm and not unplaced
                    else "confirm"
                )
            )
            self.rows[(country, rule.id)] = Row(
                country,
                rule.id,
                "importer",
                rule.registration,
                None,
                status,
                rule.required,
                rule.verified,
                "importer",
                "before_clearance",
                False,
                rule.lead_time_days,
                rule.lead_time_basis,
                first_ship,
                "first planned ship date",
                reason=(
                    f"{party.name} holds {rule.key} {held}"
                    if held
                    else f"{party.name}: {rule.text}"
                ),
                reference=rule.reference,
                start_unknown=rule_start,
                citation=rule.citation(f"{rules.pack}.importer.{rule.id}"),
            )

    # -- findings and matrix -----------------------------------------------------------------
    def finish(self, dossier: Dossier) -> None:
        for row in self.rows.values():
            if (
                row.due is None
            ):  # no shipment needs it: the earliest shipment's date, for the record
                dues = [(p["due"], p["due_basis"]) for p in row.per.values()]
                row.due, row.due_basis = min(dues) if dues else (None, None)
        for _, row in sorted(self.rows.items()):
            self.findings.extend(self._findings(row))
            self.findings.extend(self._per_shipment(row))
        dossier.findings.extend(self.findings)
        dossier.border = {
            "as_of": self.as_of.isoformat(),
            "matrix": [r.to_dict() for _, r in sorted(self.rows.items())],
            "by_country": _by_country(self.rows.values()),
            "treated_differently": self._divergences(),
        }

    def _findings(self, row: Row) -> list[Finding]:
        concerns = Concerns(
            country=row.country,
            sku=row.skus[0] if len(row.skus) == 1 else None,  # one sku: name it
            rule=row.requirement,
        )
        focus = [k for k, v in row.sku_status.items() if v == row.status] or row.skus
        skus = f" ({', '.join(focus[:6])}{' ...' if len(focus) > 6 else ''})" if focus else ""
        out: list[Finding] = []
        if row.kind == "importer":
            if row.status == "needed" and row.requirement == "non-resident-importer":
                out.append(
                    make(
                        "IOR_NOT_ELIGIBLE",
                        f"{row.country}: {row.reason}.",
                        "Appoint a resident importer of record (or the representative the rule requires).",
                        concerns,
                    )
                )
            elif row.status == "needed":
                out.append(
                    make(
                        "IOR_REGISTRATION_MISSING",
                        f"{row.country}: the importer of record lacks {row.scheme} ({row.reference}). {row.reason}",
                        f"Obtain it before the first clearance on {row.due}; record it under parties[].registrations.",
                        concerns,
                    )
                )
            elif row.status == "confirm" and not (row.verified and row.start_unknown):
                out.append(
                    make(
                        "IOR_CONFIRM",
                        f"{row.country}: {row.scheme} may be needed, but the rule is unverified in the pack ({row.reference}).",
                        "Confirm with the customs authority or a licensed broker.",
                        concerns,
                    )
                )
            elif row.status == "unknown":
                out.append(
                    make(
                        "IOR_RULES_MISSING",
                        f"{row.reason}: eligibility unknown.",
                        "Check importer-of-record eligibility with the customs authority; add importer.yaml to the pack.",
                        concerns,
                    )
                )
        else:
            if row.status == "needed":
                out.append(
                    make(
                        "CONFORMITY_NEEDED",
                        f"{row.country}: {row.scheme} ({row.authority}) is required{skus}, {row.when.replace('_', ' ') if row.when else ''}; the map records no evidence.",
                        f"Obtain it (holder: {row.holder}) before {row.due} and record it under catalog[].conformity.{row.requirement}.",
                        concerns,
                    )
                )
            elif row.status == "confirm" and not (row.verified and row.start_unknown):
                out.append(
                    make(
                        "CONFORMITY_CONFIRM",
                        f"{row.country}: {row.scheme} may apply{skus}, but its scope is unverified ({row.reference}).",
                        f"Confirm with the authority ({row.authority}) whether it applies before {row.due}.",
                        concerns,
                    )
                )
            elif row.status == "unknown":
                out.append(
                    make(
                        "CONFORMITY_UNKNOWN",
                        f"{row.country}: whether {row.scheme} applies cannot be told{skus}: {row.reason}.",
                        "Give the missing specs (e.g. radio, lithium_battery, sockets) or classify the item; then re-plan.",
                        concerns,
                    )
                )
        if row.start_unknown is not None and row.status != "excluded":
            out.append(
                _start_unknown(
                    row.country, row.scheme, row.start_unknown, self.as_of, concerns, row.citation
                )
            )
        start = row.start_by
        if row.status in OPEN and start is not None and start < self.as_of:
            out.append(
                make(
                    "REQUIREMENT_LATE",
                    f"{row.country}: {row.scheme} takes up to {row.lead_time_days[1] if row.lead_time_days else '?'} days ({row.lead_time_basis}); to be ready by {row.due} it had to start by {start}.",
                    "Start now and re-plan the ship date, or find a faster route (e.g. an existing certificate of the manufacturer).",
                    concerns,
                )
            )
        if row.citation is not None:  # each states a legal conclusion: cite the requirement
            out = [f if f.citations else replace(f, citations=(row.citation,)) for f in out]
        return out

    def _per_shipment(self, row: Row) -> list[Finding]:
        """What concerns one shipment only: evidence that lapses before the shipment uses it, and
        a scheme whose current documents end before the shipment clears."""
        out: list[Finding] = []
        for ship_id, per in sorted(row.per.items()):
            concerns = Concerns(country=row.country, shipment=ship_id, rule=row.requirement)
            cite = (row.citation,) if row.citation is not None else ()
            for note in per["notes"]:
                out.append(
                    replace(
                        make(
                            "EVIDENCE_EXPIRES",
                            f"{row.country}: {row.scheme}: {note}.",
                            f"Renew it before {per['on']} and record the new one under catalog[].conformity.{row.requirement}.",
                            concerns,
                        ),
                        citations=cite,
                    )
                )
            if (
                row.valid_until is not None
                and per["status"] not in ("excluded", "not_applicable", "voluntary")
                and per["on"] > row.valid_until
            ):
                out.append(
                    replace(
                        make(
                            "DOCUMENT_VALIDITY_ENDS",
                            f"{row.country}: {row.scheme} issued now is valid until {row.valid_until}; shipment {ship_id} ({', '.join(per['skus'])}) uses it on {per['on']}"
                            + (f": {row.renewal}" if row.renewal else "")
                            + ".",
                            "Obtain the document of the period the shipment falls in (or clear it earlier), and record it with its validity.",
                            concerns,
                        ),
                        citations=cite,
                    )
                )
        return out

    def shipment_requirements(self, ship_id: str, country: str) -> list[dict[str, Any]]:
        """The requirements one shipment carries: per requirement, its status for the skus the
        shipment carries, those skus, its due date, and the evidence the map records."""
        out = []
        for _, row in sorted(self.rows.items()):
            if row.country != country:
                continue
            per = row.per.get(ship_id)
            if row.kind == "conformity" and per is None:
                continue
            evidence = []
            for sku in per["skus"] if per else []:
                held = (
                    self.items[sku].conformity.get(row.requirement) if sku in self.items else None
                )
                if held is not None:
                    evidence.append(
                        {
                            "sku": sku,
                            "reference": held.reference,
                            "valid_until": held.valid_until.isoformat()
                            if held.valid_until
                            else None,
                        }
                    )
            if row.kind == "importer" and row.status == "satisfied" and row.reason:
                evidence.append({"sku": None, "reference": row.reason, "valid_until": None})
            due = per["due"] if per else row.due
            out.append(
                {
                    "requirement": row.requirement,
                    "kind": row.kind,
                    "scheme": row.scheme,
                    "status": per["status"] if per else row.status,
                    "skus": list(per["skus"]) if per else [],
                    "due": due.isoformat() if due else None,
                    "due_basis": per["due_basis"] if per else row.due_basis,
                    "lead_time_days": list(row.lead_time_days) if row.lead_time_days else None,
                    "lead_time_verified": bool(row.verified),
                    "evidence": evidence,
                    "notes": list(per["notes"]) if per else [],
                }
            )
        return out

    def _divergences(self) -> list[dict[str, Any]]:
        out = []
        for sku, by_country in sorted(self.by_sku.items()):
            if len(by_country) < 2:
                continue
            none = sorted(c for c, ids in by_country.items() if not ids)
            some = sorted(c for c, ids in by_country.items() if ids)
            if none and some:
                out.append(
                    {
                        "sku": sku,
                        "needs_certification": {c: sorted(by_country[c]) for c in some},
                        "no_mandatory_scheme": none,
                    }
                )
        return out


_ORDER = {
    status: rank
    for rank, status in enumerate(
        [
            "needed",
            "unknown",
            "confirm",
            "satisfied",
            "conditional",
            "voluntary",
            "excluded",
            "not_applicable",
        ]
    )
}


def _worse(a: str, b: str) -> str:
    return a if _ORDER[a] <= _ORDER[b] else b


def _start_unknown(
    country: str,
    what: str,
    since: date,
    as_of: date,
    concerns: Concerns,
    citation: Citation | None,
) -> Finding:
    """RULE_START_UNKNOWN: the plan date is before the date the rule is known to be in force
    from, and its legal start is not established, so it is listed for confirmation."""
    return make(
        "RULE_START_UNKNOWN",
        f"{country}: {what} is known to be in force since at least {since}; whether it applied"
        f" on {as_of} is not established.",
        "Find the date the rule took effect in law and record it as from in the pack.",
        concerns,
        (citation,) if citation is not None else (),
    )


def _has_representative(party: Party, rules: list[Any]) -> bool:
    return any(r.applies_to == "non_resident" and party.registrations.get(r.key) for r in rules)


def _by_country(rows: Any) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        out[row.country][row.status] += 1
    return {c: dict(v) for c, v in sorted(out.items())}


class LaneDocuments:
    """The documents each shipment's lane needs, each with why and its citation; a condition the
    map cannot answer is listed as ``needed: null`` (confirm), never dropped. Pack lookups and
    spec answers are cached, so a plan of many shipments pays for them once."""

    def __init__(
        self,
        book: Rulebook,
        as_of: date,
        items: dict[str, Item],
        rows: dict[tuple[str, str], Row],
    ) -> None:
        self.book = book
        self.as_of = as_of
        self.items = items
        self._docs: dict[str, list[tuple[str, DocumentSpec]]] = {}
        self._flagged: set[tuple[str, str, str]] = set()  # (country, pack, doc): one finding each
        self._flags: dict[tuple[str, str], bool | None] = {}
        self._rows: dict[str, list[tuple[str, Row]]] = defaultdict(list)
        for (country, rid), row in sorted(rows.items()):
            if row.kind == "conformity" and row.status in ("needed", "confirm", "satisfied"):
                self._rows[country].append((rid, row))

    def _flag(self, sku: str, key: str) -> bool | None:
        found = self._flags.get((sku, key), ...)
        if found is ...:
            found = self._flags[(sku, key)] = holds({key: True}, self.items[sku].specs)[0]
        return found

    def _any(self, skus: list[str], key: str) -> bool | None:
        answers = [self._flag(sku, key) for sku in skus]
        return True if any(answers) else (None if None in answers else False)

    def __call__(
        self,
        ship: ShipmentDossier,
        source: Shipment,
        free_zone: bool,
        families: dict[str, str | None],
        non_resident: bool | None = None,
    ) -> list[dict[str, Any]]:
        codes = {f.code for f in ship.entry.findings}
        skus = list(dict.fromkeys(line.sku for line in source.lines))
        present = {families.get(sku) for sku in skus}
        facts: dict[str, bool | None] = {
            "always": True,
            "preference_claimed": any(line.preference for line in source.lines),
            "licence_required": "LICENCE_REQUIRED" in codes,
            "licence_exception": "LICENCE_EXCEPTION_AVAILABLE" in codes,
            "lithium_battery": self._any(skus, "lithium_battery"),
            "radio": self._any(skus, "radio"),
            "high_value_adp": True,  # narrowed by the document's families
            "free_zone": free_zone,
            "non_resident": non_resident,
        }
        docs = self._docs.get(ship.destination)
        if docs is None:
            docs = self._docs[ship.destination] = documents_for(
                self.book, ship.destination, self.as_of
            )
        out = []
        for pack, doc in docs:
            if doc.needed_when == "certificate":
                continue
            needed = facts.get(doc.needed_when)
            if needed is False or (doc.families and not present & set(doc.families)):
                continue
            since = start_unknown(doc, self.as_of)
            why = doc.why if doc.verified else f"{doc.why} (unverified: confirm)"
            if since is not None:
                needed = None  # confirm: the rule may not have applied yet on the plan date
                why = f"{why} (in force since at least {since}; not established on {self.as_of}: confirm)"
                flag = (ship.destination, pack, doc.id)
                if flag not in self._flagged:
                    self._flagged.add(flag)
                    rule = f"{pack}.documents.{doc.id}"
                    ship.entry.findings.append(
                        _start_unknown(
                            ship.destination,
                            doc.name,
                            since,
                            self.as_of,
                            Concerns(country=ship.destination, rule=rule),
                            doc.citation(rule),
                        )
                    )
            out.append(
                {
                    "id": doc.id,
                    "name": doc.name,
                    "needed": needed,
                    "why": why,
                    "reference": doc.reference,
                    "rule": f"{pack}.documents.{doc.id}",
                    "start_unknown": since.isoformat() if since else None,
                }
            )
        here = set(skus)
        for rid, row in self._rows.get(ship.destination, []):
            mine = [sku for sku in row.skus if sku in here]
            if mine:
                out.append(
                    {
                        "id": f"certificate:{rid}",
                        "name": row.scheme + (" (one per shipment)" if row.per_shipment else ""),
                        "needed": True if row.status != "confirm" else None,
                        "why": f"{row.authority}: conformity evidence for {', '.join(mine)}",
                        "reference": row.reference,
                        "rule": f"requirements.{rid}",
                    }
                )
        return out
