"""One timeline per shipment (issue 13): the CAD, 7501, bond and RPP dates run from the planned
release and arrival, not from the ship date, and move when the schedule moves them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import holidays
import pytest

from rackclear import load_map, plan
from rackclear.domain.citations import CitationTable
from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.planning import dated
from rackclear.rulebook.registry import Rulebook
from rackclear.timeline import from_schedule

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ai-cluster-2027.yaml"
AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def planned(book: Rulebook) -> tuple[Deployment, Dossier]:
    deployment, _ = load_map(EXAMPLE)
    return deployment, plan(deployment, AS_OF, book)


def _business_days_after(day: date, n: int, province: str) -> date:
    """An independent count: weekends and the federal and provincial holidays of ``holidays``."""
    closed = holidays.country_holidays("CA", subdiv=province, years=range(day.year, day.year + 2))
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            n -= 1
    return day


def test_every_shipment_has_a_timeline_with_sources(planned: tuple[Deployment, Dossier]) -> None:
    _, dossier = planned
    for ship in dossier.shipments:
        t = ship.timeline
        assert t is not None and t.events["ship"].source == "map"
        assert t.ship <= t.arrive <= t.release, ship.shipment
        assert t.release > t.ship, "clearance follows transit: release is after shipping"
        assert all(e.basis for e in t.events.values())


def test_cad_due_is_five_business_days_after_the_planned_release(
    planned: tuple[Deployment, Dossier],
) -> None:
    _, dossier = planned
    cads = (dossier.north_america or {})["ca_cad"]
    assert cads
    by_id = {s.shipment: s for s in dossier.shipments}
    for cad in cads:
        timeline = by_id[cad["shipment"]].timeline
        assert cad["release_date_planned"] == timeline.release.isoformat()
        due = date.fromisoformat(cad["deadlines"]["cad_due"]["due"])
        assert due == _business_days_after(timeline.release, 5, "QC")
        assert timeline.events["declaration_due"].day == due
        assert due != _business_days_after(timeline.ship, 5, "QC")


def test_a_schedule_that_moves_the_release_moves_the_cad_and_the_billing_period(
    book: Rulebook, planned: tuple[Deployment, Dossier]
) -> None:
    deployment, _ = planned
    dossier = plan(deployment, AS_OF, book)
    ship = next(s for s in dossier.shipments if s.destination == "CA")
    site = next(s for s in deployment.sites if s.id == ship.site)
    # Friday 12 February 2027: Ontario's Family Day (15 Feb) is not a holiday in Quebec
    row = {"id": ship.shipment, "planned_ship": "2027-02-01", "timeline": {"cleared": "2027-02-12"}}
    before = sorted(f.code for f in dossier.all_findings())
    assert from_schedule(ship.timeline, row, site, book)
    dated(dossier, deployment, book, AS_OF)
    cad = next(c for c in dossier.north_america["ca_cad"] if c["shipment"] == ship.shipment)
    assert cad["release_date_planned"] == "2027-02-12"
    assert cad["deadlines"]["cad_due"]["due"] == "2027-02-19"  # QC: no Family Day
    assert cad["deadlines"]["billing_period"] == ["2027-01-18", "2027-02-17"]
    assert ship.timeline.events["release"].source == "schedule"
    ontario = site.model_copy(update={"province": "ON"})
    from_schedule(ship.timeline, {**row, "timeline": {"cleared": "2027-02-12"}}, ontario, book)
    assert ship.timeline.events["declaration_due"].day == date(2027, 2, 22)  # skips Family Day
    # the recomputation replaced the dated findings rather than adding to them
    assert sorted(f.code for f in dossier.all_findings()) == before


def test_us_entry_dates_follow_arrival_and_release(planned: tuple[Deployment, Dossier]) -> None:
    _, dossier = planned
    by_id = {s.shipment: s for s in dossier.shipments}
    summaries = dossier.north_america["us_entry_summaries"]
    assert summaries
    for summary in summaries:
        t = by_id[summary["shipment"]].timeline
        assert summary["entry_date"] == t.release.isoformat()
        assert summary["import_date"] == t.arrive.isoformat()
        assert t.arrive > t.ship
        due = t.events["entry_summary_due"]
        assert "10 working days" in due.basis and due.citation is not None
        assert due.citation.reference.startswith("19 CFR 142.12(b)")


def test_bond_months_are_entry_months_and_keep_known_amounts(
    planned: tuple[Deployment, Dossier],
) -> None:
    _, dossier = planned
    us = [s for s in dossier.shipments if s.destination == "US"]
    months = dossier.north_america["us_bond"]["months"]
    entry_months = {s.timeline.release.isoformat()[:7] for s in us}
    assert {m["month"] for m in months if m["entries"]} == entry_months
    for m in months:
        group = [s for s in us if s.timeline.release.isoformat()[:7] == m["month"]]
        known = sum(
            (
                c.amount.amount if c.amount is not None else c.low
                for s in group
                for c in s.entry.charges()
            ),
            Decimal(0),
        )
        assert Decimal(m["dtf"]) == known


def test_the_timeline_is_in_the_json(planned: tuple[Deployment, Dossier]) -> None:
    _, dossier = planned
    table = CitationTable()
    data = dossier.shipments[0].to_dict(table.ref)
    events = data["timeline"]["events"]
    assert list(events)[:4] == ["ship", "depart", "arrive", "release"]
    assert events["release"]["source"] == "lead times"
