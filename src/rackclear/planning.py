"""The orchestrator: ``plan(deployment, as_of) -> Dossier``, a pure function of its inputs.

Nothing here reads the clock, the environment or the network: ``as_of`` is given, the rulebook is
the packaged data, and FX comes from the ECB history shipped in a package.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from rackclear import __version__
from rackclear.border.planning import BorderPlanner, LaneDocuments
from rackclear.carm.cad import build_cad
from rackclear.classification import Classification, classify
from rackclear.domain.citations import Citation
from rackclear.domain.deployment import Deployment, Item, Party, Shipment, Site
from rackclear.domain.dossier import (
    DestinationSummary,
    Dossier,
    ShipmentDossier,
    Totals,
    entry_totals,
    sum_totals,
)
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, count_by_severity
from rackclear.domain.grades import weakest
from rackclear.domain.money import Money
from rackclear.export_control.planning import ExportControl, end_user_hq
from rackclear.origin.in_plan import OriginPlanner
from rackclear.origin.saving import ORIGIN_REMEDIES, SAVING_CODES, claim_saving, mfn_rate
from rackclear.plan_screening import screen
from rackclear.relief import relief_for
from rackclear.rulebook.registry import Rulebook, load_rulebook
from rackclear.screening import ScreeningIndex
from rackclear.security.entry_summary import (
    EntrySummary,
    build_entry_summary,
    chapter99_line,
    summary_line,
    validate_entry_summary,
)
from rackclear.security.projection import Amount, project_ca_security, project_us_bond
from rackclear.store.tariff_store import TariffStore
from rackclear.timeline import TimelineBuilder
from rackclear.valuation.actions import confirm_actions
from rackclear.valuation.engine import assess_entry
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, EntryResult, LineInput, OriginDecision

Progress = Callable[[int, int], None]


def tariff_code(item: Item, country: str) -> str | None:
    """The declared code for ``country``, else the declared HS ``default``."""
    return item.declared.hs.get(country) or item.declared.hs.get("default")


class Classifier:
    """Classifies each (sku, destination) once per plan; declared codes are evidence, checked."""

    def __init__(self, book: Rulebook, as_of: date, store: TariffStore | None = None) -> None:
        self.book = book
        self.as_of = as_of
        self.store = store
        self.results: dict[tuple[str, str], Classification] = {}

    def code(self, item: Item, country: str) -> str | None:
        key = (item.sku, country)
        result = self.results.get(key)
        if result is None:
            result = self.results[key] = classify(
                self.book,
                item.description,
                item.kind,
                dict(item.specs),
                (country,),
                self.as_of,
                dict(item.declared.hs),
                item.declared.advance_ruling,
                Concerns(country=country, sku=item.sku),
                self.store,
            )
        line = result.national.get(country)
        if line is not None and line.code:
            return line.formatted
        return tariff_code(item, country)


def _money(amount: object) -> Money | None:
    if amount is None:
        return None
    return Money(amount.amount, amount.currency)  # type: ignore[attr-defined]


def entry_input(
    ship: Shipment,
    site: Site,
    items: dict[str, Item],
    classifier: Classifier | None = None,
    origins: OriginPlanner | None = None,
) -> EntryInput:
    """The engine's view of one shipment arriving at its site's country; with ``origins``, each
    claimed preference comes with its origin decided from the bill of materials."""
    lines = []
    for i, line in enumerate(ship.lines):
        item = items[line.sku]
        price = Money(line.unit_value or item.unit_value, line.currency or item.currency)
        code = (
            classifier.code(item, site.country) if classifier else tariff_code(item, site.country)
        )
        decided = (
            origins.line(
                ship.id,
                i,
                item,
                code,
                price.amount,
                site.country,
                ship.origin_country,
                line.preference,
            )
            if origins is not None
            else None
        )
        lines.append(
            LineInput(
                i,
                item.sku,
                item.description,
                line.quantity,
                price,
                item.country_of_origin,
                code,
                item.specs,
                line.preference,
                line.origin_proof,
                None
                if decided is None
                else OriginDecision(decided.qualifies, decided.basis, decided.country),
            )
        )
    return EntryInput(
        ship.id,
        site.country,
        ship.ship_date,
        ship.mode,
        ship.incoterm,
        tuple(lines),
        _money(ship.freight),
        _money(ship.insurance),
        _money(ship.origin_inland_freight),
        ship.related_parties,
        site.use,
        subdivision=site.subdivision,
    )


def to_usd(fx: FxService, totals: Totals, when: date) -> Totals:
    """The same totals in USD at the rate of ``when`` (unknown if no rate)."""
    if totals.currency is None:
        return Totals("USD")
    rate = fx.rate(totals.currency, "USD", when).rate

    def conv(v: Decimal | None) -> Decimal | None:
        return None if v is None or rate is None else (v * rate).quantize(Decimal("0.01"))

    return Totals(
        "USD",
        conv(totals.customs_value),
        conv(totals.duties),
        conv(totals.taxes),
        conv(totals.fees),
        None,
        conv(totals.landed_cost),
        conv(totals.landed_cost_at_least),
        conv(totals.landed_cost_low),
        conv(totals.landed_cost_high),
        totals.grade,
        conv(totals.value_at_risk),
    )


def local_totals(result: EntryResult, computed: Totals) -> Totals:
    """The totals in the destination currency; when the estimate had to be made in the invoice
    currency (no rate known), every local amount is unknown and the note says why."""
    if result.computed_in is None or result.computed_in == result.currency:
        return computed
    return Totals(
        result.currency,
        grade=computed.grade,
        note=f"no {result.computed_in}/{result.currency} rate is known: the estimate is in {result.computed_in} (see USD)",
    )


@contextmanager
def _fewer_gc_passes(threshold: int = 100_000) -> Iterator[None]:
    """Planning allocates many small acyclic objects; the default gen-0 threshold (700) makes the
    cyclic collector rescan the growing dossier again and again (about 40 % of the time on 100,000
    lines). Raise it for the duration of the plan only, then restore it."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], threshold), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def plan(
    deployment: Deployment,
    as_of: date,
    rulebook: Rulebook | None = None,
    duty_rate: Decimal | None = None,
    progress: Progress | None = None,
    map_warnings: Sequence[str] = (),
    store: TariffStore | None = None,
    screening: ScreeningIndex | None = None,
) -> Dossier:
    """Plan every shipment of ``deployment`` under the rules in force on ``as_of``."""
    book = rulebook or load_rulebook()
    fx = FxService(book, as_of, list(deployment.fx_rates))
    dossier = Dossier(deployment.programme, as_of, __version__, book.versions())
    _site_findings(dossier, deployment, book)
    for text in map_warnings:
        dossier.findings.append(
            make("MAP_WARNING", text, "Correct the map if this is not intended.", Concerns())
        )
    classifier = Classifier(book, as_of, store)
    exports = ExportControl(book, as_of)
    dossier.origins = OriginPlanner(book, as_of)
    with _fewer_gc_passes():
        _plan_shipments(
            dossier, deployment, book, fx, as_of, duty_rate, progress, classifier, exports
        )
    _record_classifications(dossier, classifier)
    _timelines(dossier, deployment, book, as_of)
    with _fewer_gc_passes():
        _border(dossier, deployment, book, as_of)
        dated(dossier, deployment, book, as_of)
    dossier.export_control = [(sku, r) for sku, r in sorted(exports.eccns.items())]
    dossier.licences = exports
    for _, result in dossier.export_control:
        dossier.findings.extend(result.findings)
    if store is not None:
        dossier.tariff_store = store.status()
    screen(dossier, deployment, screening, book, as_of)
    dossier.destinations = _summaries(dossier)
    dossier.actions = confirm_actions(dossier.shipments)
    return dossier


def _timelines(dossier: Dossier, deployment: Deployment, book: Rulebook, as_of: date) -> None:
    """Each shipment's timeline: the map's ship date, the lead times, and the destination's rules."""
    builder = TimelineBuilder(book, deployment, as_of)
    sources = {s.id: s for s in deployment.shipments}
    for ship in dossier.shipments:
        ship.timeline = builder.build(sources[ship.shipment])


def dated(dossier: Dossier, deployment: Deployment, book: Rulebook, as_of: date) -> None:
    """Everything computed from the shipments' timelines: the CAD and 7501 data with their
    deadlines, the US bond months and RPP periods, relief deadlines, and the validity checks.
    Idempotent: the findings of an earlier run are replaced (a schedule may move the dates)."""
    gone = {id(f) for f in dossier.dated_findings}
    if gone:
        dossier.findings = [f for f in dossier.findings if id(f) not in gone]
        for ship in dossier.shipments:
            ship.entry.findings = [f for f in ship.entry.findings if id(f) not in gone]
    before = {id(f) for f in dossier.all_findings()}
    dossier.north_america = None
    _north_america(dossier, deployment, book, as_of)
    dossier.dated_findings = [f for f in dossier.all_findings() if id(f) not in before]


def _border(dossier: Dossier, deployment: Deployment, book: Rulebook, as_of: date) -> None:
    """Product conformity, importer-of-record eligibility and lane documents, and the matrix."""
    families = {(sku, country): r.family for sku, country, r in dossier.classifications}
    sources = {s.id: s for s in deployment.shipments}
    sites = {s.id: s for s in deployment.sites}
    planner = BorderPlanner(
        book, deployment, as_of, {s.shipment: s.timeline for s in dossier.shipments}
    )
    first: dict[str, date] = {}
    free_zone: dict[str, bool] = defaultdict(bool)
    places: dict[str, set[str | None]] = defaultdict(set)
    for ship in dossier.shipments:
        source = sources[ship.shipment]
        country = ship.destination
        fams = {ln.sku: families.get((ln.sku, country)) for ln in source.lines}
        planner.conformity(source, country, fams)
        first[country] = min(first.get(country, ship.ship_date), ship.ship_date)
        free_zone[country] |= sites[source.site].free_zone
        places[country].add(sites[source.site].subdivision)
    for country in sorted(first):
        planner.importer(country, first[country], free_zone[country], frozenset(places[country]))
    planner.finish(dossier)
    for ship in dossier.shipments:
        ship.requirements = planner.shipment_requirements(ship.shipment, ship.destination)
    items = {i.sku: i for i in deployment.catalog}
    documents = LaneDocuments(book, as_of, items, planner.rows)
    for ship in dossier.shipments:
        source = sources[ship.shipment]
        fams = {ln.sku: families.get((ln.sku, ship.destination)) for ln in source.lines}
        ior = deployment.importer_of_record(ship.destination)
        ship.documents = documents(
            ship,
            source,
            sites[source.site].free_zone,
            fams,
            None if ior is None else ior.country != ship.destination,
        )


def _north_america(dossier: Dossier, deployment: Deployment, book: Rulebook, as_of: date) -> None:
    """Canada: the CAD data set per shipment with its deadlines and AMPS exposure; for every
    shipment, the relief regimes its purpose allows."""
    sources = {s.id: s for s in deployment.shipments}
    sites = {s.id: s for s in deployment.sites}
    cads = []
    for ship in dossier.shipments:
        source = sources[ship.shipment]
        ship.relief = relief_for(book, ship, source.purpose, sites[source.site].free_zone, as_of)
        for regime in ship.relief:
            ship.entry.findings.append(
                make(
                    "RELIEF_AVAILABLE",
                    f"{regime['name']} may apply to {ship.shipment} ({regime['purpose']}): "
                    + (
                        f"{regime['at_stake']} {regime['currency']} at stake"
                        if regime["at_stake"] is not None
                        else "amount at stake unknown"
                    )
                    + (f"; deadline {regime['deadline']}" if regime["deadline"] else "")
                    + ("" if regime["verified"] else " (unverified: confirm)")
                    + ".",
                    f"Use {regime['form']}."
                    if regime["form"]
                    else "Check the regime's conditions.",
                    Concerns(shipment=ship.shipment, country=ship.destination),
                    _cite(book, ship.destination.lower(), "relief_regimes", as_of),
                )
            )
        if ship.destination != "CA":
            continue
        province = sites[source.site].province
        record = build_cad(book, deployment, ship, source, as_of, province, ship.timeline)
        cads.append(record.to_dict())
        real = [p for p in record.problems if not p.startswith("transaction number")]
        if real:
            ship.entry.findings.append(
                make(
                    "CAD_DATA_INCOMPLETE",
                    f"The CAD data set for {ship.shipment} is not ready: {'; '.join(real)}.",
                    "Complete the map (registrations, 10-digit classification, description, origin proof) before release; the CAD is due within 5 business days of release.",
                    Concerns(shipment=ship.shipment, country="CA"),
                    _cite(book, "ca", "cad_accounting", _entry_day(ship)),
                )
            )
    origin = _cusma(dossier, deployment, book, as_of)
    security = _security(dossier, deployment, book)
    if cads or origin or security:
        dossier.north_america = {"ca_cad": cads, "cusma_origin": origin, **security}


def _security(dossier: Dossier, deployment: Deployment, book: Rulebook) -> dict[str, object]:
    """US: the entry summary (7501) data set per shipment and the continuous bond month by month;
    Canada: the RPP security by billing period with its 20 October recalculations."""
    out: dict[str, object] = {}
    us = [s for s in dossier.shipments if s.destination == "US"]
    sources = {s.id: s for s in deployment.shipments}
    if us:
        ior = deployment.importer_of_record("US")
        classification = book.packs.get("classification")
        vague = classification.vague if classification is not None else None
        summaries = []
        for ship in us:
            summary = _entry_summary(ship, sources[ship.shipment], ior)
            problems = validate_entry_summary(summary, vague)
            summaries.append(
                {
                    "shipment": ship.shipment,
                    **summary.to_dict(),
                    "problems": [
                        {"field": p.field, "message": p.message, "severity": p.severity}
                        for p in problems
                    ],
                }
            )
            errors = [p.message for p in problems if p.severity == "error"]
            if errors:
                ship.entry.findings.append(
                    make(
                        "ENTRY_SUMMARY_INCOMPLETE",
                        f"The entry summary (CBP Form 7501) data for {ship.shipment} is not ready: {'; '.join(errors)}.",
                        "Complete the map (importer number under parties[].registrations.cbp_5106, 10-digit HTS numbers, descriptions) before filing.",
                        Concerns(shipment=ship.shipment, country="US"),
                        _cite(book, "us", "entry_summary_timing", _entry_day(ship)),
                    )
                )
        posted = ior.posted_security if ior else None
        current = posted.amount if posted is not None and posted.currency == "USD" else None
        bond = project_us_bond(
            book,
            [(_entry_day(s), _known(s, ("duty", "additional_duty", "tax", "fee"))) for s in us],
            current_bond=current,
        )
        out["us_entry_summaries"] = summaries
        out["us_bond"] = bond.to_dict()
        if bond.increase is not None:
            inc = bond.increase
            dossier.findings.append(
                make(
                    "BOND_INSUFFICIENT",
                    f"From {inc.month:%Y-%m} the planned US entries need a continuous bond of {inc.required} USD{' at least' if inc.at_least else ''}; the bond held is {inc.current} USD.",
                    f"Increase the continuous bond before the entry of {inc.increase_by} (19 CFR 113.13).",
                    Concerns(country="US"),
                    _cite(book, "us", "continuous_bond", inc.increase_by),
                )
            )
        if any(m.at_least for m in bond.months):
            dossier.findings.append(
                make(
                    "BOND_AT_LEAST",
                    "Some planned US entries have unknown duties, taxes and fees: the bond figures are lower bounds.",
                    "Resolve the unknown rates to size the bond exactly.",
                    Concerns(country="US"),
                    _cite(book, "us", "continuous_bond", min(_entry_day(s) for s in us)),
                )
            )
    ca = [s for s in dossier.shipments if s.destination == "CA"]
    if ca:
        ior = deployment.importer_of_record("CA")
        posted = ior.posted_security if ior else None
        current = posted.amount if posted is not None and posted.currency == "CAD" else None
        rpp = project_ca_security(
            book,
            [
                (_entry_day(s), _known(s, ("duty", "additional_duty")), _known(s, ("tax",)))
                for s in ca
            ],
            current_security=current,
        )
        out["ca_rpp_security"] = rpp.to_dict()
        for recalc in rpp.recalculations:
            if recalc.increase is not None and recalc.increase > 0:
                dossier.findings.append(
                    make(
                        "RPP_SECURITY_INCREASE_DUE",
                        f"CBSA's recalculation on {recalc.on} needs {recalc.increase} CAD more RPP security{' (at least)' if recalc.at_least else ''}.",
                        f"Post the increase by {recalc.post_by} (D17-1-8).",
                        Concerns(country="CA"),
                        _cite(book, "ca", "rpp_security", recalc.on),
                    )
                )
    return out


def _cite(book: Rulebook, pack: str, name: str, when: date) -> tuple[Citation, ...]:
    """The citation of a pack parameter in force on ``when`` (none if the pack has no such rule)."""
    if pack not in book.packs:
        return ()
    found = book.parameter(pack, name, when).citation
    return (found,) if found is not None else ()


def _entry_day(ship: ShipmentDossier) -> date:
    """The day the entry is accounted for: the planned release of the shipment's timeline."""
    return ship.timeline.release if ship.timeline is not None else ship.ship_date


def _known(ship: ShipmentDossier, kinds: tuple[str, ...]) -> Amount:
    """What is known of the shipment's charges of ``kinds`` in the totals' currency: the known
    amounts (estimates included) and, for an unknown amount, its known lower end; whether nothing
    else is unknown; and the weakest grade. Nothing is known when the totals have no currency."""
    e = ship.entry
    if ship.totals.currency is None or (e.computed_in and e.computed_in != e.currency):
        return Amount(Decimal(0), complete=False)
    known, complete, grades = Decimal(0), True, []
    for charge in e.charges():
        if charge.kind not in kinds:
            continue
        if charge.amount is None:
            known += charge.low
            complete = False
        else:
            known += charge.amount.amount
            grades.append(charge.grade)
    return Amount(known, complete, weakest(grades) if grades else None)


def _heading(name: str) -> str:
    """The chapter 99 number a measure's name carries, e.g. "... (9903.88.03)"."""
    found = re.search(r"99\d\d\.\d\d\.\d\d", name)
    return found.group(0) if found else name


def _entry_summary(ship: ShipmentDossier, source: Shipment, ior: Party | None) -> EntrySummary:
    lines = []
    for line in ship.entry.lines:
        duty = next((c for c in line.charges if c.id == "duty"), None)
        extra = [
            chapter99_line(_heading(c.name), c.name, c.rate, c.amount.amount if c.amount else None)
            for c in line.charges
            if c.kind == "additional_duty"
        ]
        lines.append(
            summary_line(
                line.hs_code or "",
                line.description,
                line.customs_value.amount if line.customs_value else None,
                duty.rate if duty else None,
                duty.amount.amount if duty and duty.amount else None,
                extra,
                line.origin,
            )
        )
    fee = {c.id: c for c in ship.entry.entry_charges}
    mpf, hmf = fee.get("mpf"), fee.get("hmf")
    return build_entry_summary(
        entry_type="01",
        importer_number=ior.registrations.get("cbp_5106") if ior else None,
        port_of_entry=None,
        entry_date=_entry_day(ship),
        import_date=ship.timeline.arrive if ship.timeline is not None else ship.ship_date,
        country_of_origin=ship.entry.lines[0].origin if ship.entry.lines else None,
        exporting_country=source.origin_country,
        lines=lines,
        mpf=mpf.amount.amount if mpf and mpf.amount else None,
        hmf=(hmf.amount.amount if hmf.amount else None) if hmf else Decimal(0),
        foreign_ior=ior is not None and ior.country != "US",
    )


def _cusma(
    dossier: Dossier, deployment: Deployment, book: Rulebook, as_of: date
) -> list[dict[str, object]]:
    """Each line into Canada or the US that claims a CUSMA preference: the origin decided before
    valuation (the same answer the duty and the MPF used), what the claim saves on the duty
    actually computed, and the duty owed if the certification of origin cannot be produced."""
    planner: OriginPlanner | None = dossier.origins
    if planner is None:
        return []
    out: list[dict[str, object]] = []
    for ship in dossier.shipments:
        tariff = book.tariff(ship.destination.lower())
        for line in ship.entry.lines:
            decided = planner.decided.get((ship.shipment, line.index))
            if decided is None or decided.result is None:
                continue
            concerns = Concerns(
                shipment=ship.shipment, line=line.index, country=ship.destination, sku=line.sku
            )
            record = {
                "shipment": ship.shipment,
                "line": line.index,
                "sku": line.sku,
                **decided.result.to_dict(),
                "basis": decided.basis,
            }
            mfn = mfn_rate(tariff, line.hs_code or "", as_of) if tariff else None
            saving = claim_saving(ship, line, mfn, decided.qualifies)
            record.update(saving.to_dict())
            record["steps"] = [*record["steps"], *[s.to_dict() for s in saving.steps]]
            findings = [
                (str(f["code"]), f["message"])
                for f in decided.result.findings
                if f["code"] not in SAVING_CODES
            ]
            out.append(record)
            for code, message in findings:
                ship.entry.findings.append(
                    make(
                        code,
                        f"Line {line.index} ({line.sku}, {line.hs_code}): {message}.",
                        ORIGIN_REMEDIES.get(code, ORIGIN_REMEDIES["default"]),
                        concerns,
                    )
                )
            if saving.finding is not None:
                code, message, remedy = saving.finding
                cites = (mfn.citation,) if mfn is not None and mfn.citation else ()
                ship.entry.findings.append(
                    make(
                        code,
                        f"Line {line.index} ({line.sku}, {line.hs_code}): {message}",
                        remedy,
                        concerns,
                        cites,
                    )
                )
    return out


def _record_classifications(dossier: Dossier, classifier: Classifier) -> None:
    """Each (sku, destination) classification once in the dossier, its findings, and the
    cross-market consistency check (one sku, one HS 6-digit, unless a documented view differs)."""
    by_sku: dict[str, dict[str, str]] = defaultdict(dict)
    for (sku, country), result in sorted(classifier.results.items()):
        dossier.classifications.append((sku, country, result))
        dossier.findings.extend(result.findings)
        line = result.national.get(country)
        code = line.code if line is not None and line.code else None
        if code:
            by_sku[sku][country] = code[:6]
        documented = {
            c
            for f in result.findings
            if f.code == "JURISDICTION_VIEW"
            for c in [f.concerns.country]
        }
        by_sku[sku + "#documented"].update({c: "" for c in documented if c})
    for sku, codes in by_sku.items():
        if sku.endswith("#documented"):
            continue
        documented = set(by_sku.get(sku + "#documented", {}))
        plain = {c: h for c, h in codes.items() if c not in documented}
        if len(set(plain.values())) > 1:
            listed = ", ".join(f"{c} {h[:4]}.{h[4:]}" for c, h in sorted(plain.items()))
            dossier.findings.append(
                make(
                    "INCONSISTENT_CLASSIFICATION",
                    f"{sku} is classified in different HS 6-digit subheadings across destinations ({listed}) without a documented jurisdiction difference.",
                    "Align the declared codes (one item, one HS 6-digit) or document the administration's ruling.",
                    Concerns(sku=sku),
                )
            )


def _plan_shipments(
    dossier: Dossier,
    deployment: Deployment,
    book: Rulebook,
    fx: FxService,
    as_of: date,
    duty_rate: Decimal | None,
    progress: Progress | None,
    classifier: Classifier,
    exports: ExportControl,
) -> None:
    items = {i.sku: i for i in deployment.catalog}
    sites = {s.id: s for s in deployment.sites}
    total = len(deployment.shipments)
    for n, ship in enumerate(deployment.shipments, start=1):
        site = sites[ship.site]
        result = assess_entry(
            book,
            fx,
            entry_input(ship, site, items, classifier, dossier.origins),
            as_of,
            duty_rate,
            classifier.store,
        )
        hq = end_user_hq(deployment, ship)
        result.findings.extend(exports.origin_findings(ship))
        for index, line in enumerate(ship.lines):
            result.findings.extend(exports.check_line(ship, site, items[line.sku], index, hq))
        computed = entry_totals(result)
        totals = local_totals(result, computed)
        dossier.shipments.append(
            ShipmentDossier(
                ship.id,
                site.id,
                site.country,
                ship.origin_country,
                ship.mode,
                ship.incoterm,
                ship.ship_date,
                deployment.importers_of_record.get(site.country),
                result,
                totals,
                to_usd(fx, computed, as_of),
            )
        )
        if progress is not None:
            progress(n, total)


def _site_findings(dossier: Dossier, deployment: Deployment, book: Rulebook) -> None:
    for site in deployment.sites:
        if site.free_zone:
            dossier.findings.append(
                make(
                    "FREE_ZONE_SITE",
                    f"Site {site.id} is in a free zone: duty and import VAT are suspended until the goods are released to the mainland.",
                    "The figures shown are for release to the mainland; keep the free-zone entry records.",
                    Concerns(site=site.id, country=site.country),
                    _cite(book, site.country.lower(), "relief_regimes", site.go_live),
                )
            )
        if site.country not in deployment.importers_of_record:
            dossier.findings.append(
                make(
                    "IOR_NOT_NAMED",
                    f"No importer of record is named for {site.country} (site {site.id}).",
                    "Name the importer of record for the country in importers_of_record.",
                    Concerns(site=site.id, country=site.country),
                )
            )


def _summaries(dossier: Dossier) -> list[DestinationSummary]:
    by_country: dict[str, list[ShipmentDossier]] = defaultdict(list)
    for s in dossier.shipments:
        by_country[s.destination].append(s)
    out = []
    for country in sorted(by_country):
        group = by_country[country]
        local, usd = group[0].totals, group[0].totals_usd
        for s in group[1:]:
            local, usd = sum_totals(local, s.totals), sum_totals(usd, s.totals_usd)
        findings = [f for s in group for f in s.entry.findings] + [
            f for f in dossier.findings if f.concerns.country == country
        ]
        out.append(DestinationSummary(country, len(group), local, usd, count_by_severity(findings)))
    return out
