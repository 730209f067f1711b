import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from rackclear.schedule import (
    Capacity,
    Prereq,
    ShipmentPlan,
    SitePlan,
    backward_plan,
    gantt_svg,
    run_schedule,
)

AS_OF = date(2027, 5, 1)
SITES = [SitePlan("us-1 <A&B>", "US", date(2027, 7, 23)), SitePlan("ca-1", "CA", date(2027, 8, 2))]
SHIPS = [
    ShipmentPlan(
        'S1 "x"',
        "us-1 <A&B>",
        "US",
        "TW",
        "air",
        AS_OF,
        date(2027, 6, 27),
        (Prereq("S1:lic", "BIS licence & co", "licence", (30, 60)),),
        security_pool="US-bond",
        security_usage=Decimal("10"),
    ),
    ShipmentPlan(
        "S2",
        "us-1 <A&B>",
        "US",
        "TW",
        "air",
        AS_OF,
        date(2027, 6, 1),
        security_pool="US-bond",
        security_usage=Decimal("10"),
    ),
    ShipmentPlan("C1", "ca-1", "CA", "US", "road", AS_OF, date(2027, 6, 20)),
]
CAPS = [Capacity("US-bond", date(2027, 6, 1), Decimal("20"))]


def test_svg_is_well_formed_and_escaped(lt):
    svg = gantt_svg(backward_plan(lt, SITES, SHIPS, AS_OF))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert any("us-1 <A&B>" in (t or "") for t in texts)
    assert len(list(root.iter(f"{ns}rect"))) == 3 * 3 + 1  # three legs each, one licence
    assert len([ln for ln in root.iter(f"{ns}line") if ln.get("stroke") == "#c0392b"]) == 2
    assert "<script" not in svg and "href" not in svg


def test_run_schedule_findings_and_dict(book, lt):
    result = run_schedule(book, SITES, SHIPS, CAPS, AS_OF, runs=200, lead=lt)
    data = result.to_dict()
    assert {s["id"] for s in data["sites"]} == {"us-1 <A&B>", "ca-1"}
    us = next(s for s in data["sites"] if s["country"] == "US")
    assert us["latest_safe_ship_date"] == "2027-06-23" and us["status"] == "red"
    assert set(us) >= {"p_on_time", "expected_days_late", "go_live"}
    codes = {(f["code"], f["severity"], f["concerns"]["shipment"]) for f in data["findings"]}
    assert ("SCHEDULE_LATE", "blocker", 'S1 "x"') in codes
    assert ("PREREQ_START_PASSED", "blocker", 'S1 "x"') in codes
    assert ("SCHEDULE_AT_RISK", "warning", "C1") in codes  # a hold would make it late
    assert any(f["code"] == "SCHEDULE_CAPACITY_BINDING" for f in data["findings"])
    assert data["constraints_binding"][0]["key"] == "US-bond"
    assert data["optimisation"] is None
    assert "schedule.transit_days" in data["assumptions"]  # not overridden
    ET.fromstring(result.gantt())


def test_run_schedule_optimised(book, lt):
    result = run_schedule(
        book, SITES, SHIPS, CAPS, AS_OF, optimise=True, runs=100, time_limit_s=2, lead=lt
    )
    data = result.to_dict()
    opt = data["optimisation"]
    assert opt["objective_cpsat"] <= opt["objective_greedy"]
    assert set(opt) >= {"gain", "bound", "gap", "status", "time_limit_s"}
    s2 = next(s for s in data["shipments"] if s["id"] == "S2")
    assert s2["chosen_mode"] == "air" and s2["chosen_ship_date"]
    assert "optimised" in data["sites"][0]
