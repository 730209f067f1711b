"""Red/amber/green from the schedule pack's stated thresholds, each boundary tested with the
pack's own values, the threshold that decided it named, and the driver named when the plan
overrules the simulated probability (the user's "red at 98.9 %", "amber at 100 %")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from rackclear.schedule import (
    LeadTimes,
    Prereq,
    ScheduleInputError,
    ShipmentPlan,
    SitePlan,
    backward_plan,
    lead_times,
    monte_carlo,
    run_schedule,
)
from rackclear.schedule.risk import SiteRisk
from rackclear.schedule.status import site_status
from tests.schedule.conftest import AS_OF, fixed

SITE = SitePlan("us-1", "US", date(2027, 7, 23))
PLAN_DATE = date(2027, 5, 1)
STEP = Decimal("0.0001")  # the precision p_on_time is reported to


@pytest.fixture(scope="module")
def pack(book) -> LeadTimes:  # type: ignore[no-untyped-def]
    """The pack's thresholds as shipped (no overrides), for the boundaries."""
    return lead_times(book, AS_OF)


@pytest.fixture(scope="module")
def lt0(lt, pack) -> LeadTimes:  # type: ignore[no-untyped-def]
    """Fixed lead times, no holds, and the pack's thresholds (not the conftest's)."""
    return fixed(lt).with_overrides(
        {n: pack.figures[n].value for n in ("amber_slack_days", "red_slack_days")}
    )


def _ship(planned: date, prereqs: tuple[Prereq, ...] = ()) -> ShipmentPlan:
    return ShipmentPlan("S", "us-1", "US", "TW", "air", date(2027, 4, 1), planned, prereqs)


def _latest(lt: LeadTimes) -> date:
    return (
        backward_plan(lt, [SITE], [_ship(date(2027, 6, 1))], PLAN_DATE)
        .shipment("S")
        .latest_safe_ship
    )


def _status(lt: LeadTimes, ship: ShipmentPlan, p: float):  # type: ignore[no-untyped-def]
    plan = backward_plan(lt, [SITE], [ship], PLAN_DATE)
    return site_status(lt, plan.site("us-1"), plan.shipments, SiteRisk("us-1", p, 0.0, 0.0, ()))


def test_the_pack_states_every_threshold_as_a_graded_assumption(pack) -> None:  # type: ignore[no-untyped-def]
    for name in ("red_p_on_time", "amber_p_on_time", "red_slack_days", "amber_slack_days"):
        cite = pack.citation(name)
        assert cite is not None and cite.grade == "assumption", name
    assert 0 < pack.red_p_on_time < pack.amber_p_on_time < 1
    assert pack.red_slack < pack.amber_slack


def test_probability_boundaries(lt0, pack) -> None:  # type: ignore[no-untyped-def]
    green_plan = _ship(_latest(lt0) - timedelta(days=lt0.amber_slack + 5))
    red, amber = pack.red_p_on_time, pack.amber_p_on_time
    at_red = _status(lt0, green_plan, float(red))
    assert at_red.status == "amber" and at_red.basis == "simulation"
    assert "< amber threshold" in at_red.reason
    below_red = _status(lt0, green_plan, float(red - STEP))
    assert below_red.status == "red" and below_red.causes[0].rule == "red_p_on_time"
    assert below_red.causes[0].threshold == float(red)
    assert f"< red threshold {float(red) * 100:g} %" in below_red.reason
    at_amber = _status(lt0, green_plan, float(amber))
    assert at_amber.status == "green" and at_amber.basis == "thresholds"
    assert "≥ amber threshold" in at_amber.reason
    below_amber = _status(lt0, green_plan, float(amber - STEP))
    assert below_amber.status == "amber" and below_amber.probability_status == "amber"
    assert below_amber.driver is None  # the probability decides it: nothing to explain away


@pytest.mark.parametrize(
    ("slack_from", "offset", "expected"),
    [("amber", 0, "green"), ("amber", -1, "amber"), ("red", 0, "amber"), ("red", -1, "red")],
)
def test_transport_slack_boundaries(lt0, slack_from, offset, expected) -> None:  # type: ignore[no-untyped-def]
    slack = (lt0.amber_slack if slack_from == "amber" else lt0.red_slack) + offset
    st = _status(lt0, _ship(_latest(lt0) - timedelta(days=slack)), 1.0)
    assert (st.status, st.plan_status) == (expected, expected)
    if expected == "amber":
        assert f"slack {slack} days < amber threshold {lt0.amber_slack} days" in st.reason
    if expected == "red":
        assert f"transport slack {slack} day" in st.reason
        assert f"< red threshold {lt0.red_slack} days" in st.reason


@pytest.mark.parametrize(("offset", "expected"), [(0, "amber"), (-1, "red")])
def test_prerequisite_slack_boundary(lt0, offset, expected) -> None:  # type: ignore[no-untyped-def]
    latest = _latest(lt0)
    lead_max = (latest - PLAN_DATE).days - (lt0.red_slack + offset)  # its slack: red + offset
    licence = Prereq("S:licence", "US export licence (BIS)", "licence", (1, lead_max))
    st = _status(lt0, _ship(latest - timedelta(days=30), (licence,)), 1.0)
    assert st.status == expected
    if expected == "red":
        assert "US export licence (BIS): latest start" in st.reason and "has passed" in st.reason
        assert st.causes[0].value == lt0.red_slack + offset


def test_red_at_high_probability_names_the_driver(book, lt0) -> None:  # type: ignore[no-untyped-def]
    """The user's case: a site red at ~99 %. A certificate whose latest start passed a week ago,
    on a 10-60 day lead, with a wide transit: the plan (every figure at its maximum) misses
    go-live; the simulation, sampling, is almost always on time."""
    lt = lt0.with_overrides({"transit_lane_days": {"TW-US": {"air": [2, 3, 20]}}})
    latest = _latest(lt)
    lead_max = (latest - PLAN_DATE).days + 7  # latest start 7 days before the planning date
    cert = Prereq("S:fcc", "FCC SDoC", "certification", (10, lead_max))
    ship = _ship(latest - timedelta(days=20), (cert,))
    result = run_schedule(book, [SITE], [ship], [], PLAN_DATE, runs=2000, lead=lt)
    site = next(s for s in result.to_dict()["sites"] if s["id"] == "us-1")
    assert site["status"] == "red" and site["status_basis"] == "plan"
    assert site["p_on_time"] >= float(lt.amber_p_on_time)
    assert site["probability_status"] == "green"
    assert "FCC SDoC: latest start" in site["status_reason"]
    driver = site["status_driver"]
    assert driver.startswith("red though P(on time)")
    assert "Driver: S, prerequisite FCC SDoC" in driver
    assert f"maximum lead of {lead_max} days" in driver
    assert f"uniformly on 10-{lead_max} days" in driver
    # ready after the latest safe ship date in 7 of the lead's (lead_max - 10 + 1) whole days
    share = 7 / (lead_max - 10 + 1) * 100
    assert f"in only {share:.2f}".rstrip("0").rstrip(".") in driver
    shipment = result.to_dict()["shipments"][0]
    assert f"on time in {shipment['p_on_time'] * 100:g} % of runs" in driver


def test_amber_at_100_percent_names_the_driver(lt0) -> None:  # type: ignore[no-untyped-def]
    """Slack under the amber threshold but not negative, no holds: every run is on time."""
    ship = _ship(_latest(lt0) - timedelta(days=lt0.amber_slack - 3))
    risk = monte_carlo(lt0, [SITE], [ship], PLAN_DATE, runs=300).site("us-1")
    assert risk.p_on_time == 1.0
    plan = backward_plan(lt0, [SITE], [ship], PLAN_DATE)
    st = site_status(lt0, plan.site("us-1"), plan.shipments, risk)
    assert (st.status, st.probability_status) == ("amber", "green")
    assert st.driver is not None and st.driver.startswith("amber though P(on time) 100 %")
    assert f"transport (slack {lt0.amber_slack - 3} days < amber threshold" in st.driver
    assert "at or below it" in st.driver and "on time in 100 % of runs" in st.driver


def test_red_by_plan_at_amber_probability_is_explained_too(lt0) -> None:  # type: ignore[no-untyped-def]
    red_plan = _ship(_latest(lt0) + timedelta(days=2))
    st = _status(lt0, red_plan, float(lt0.red_p_on_time))  # amber by probability alone
    assert (st.status, st.probability_status) == ("red", "amber")
    assert st.driver is not None and "≥ red threshold" in st.driver
    assert "transport (slack -2 days)" in st.driver


def test_thresholds_from_the_map_decide(lt0) -> None:  # type: ignore[no-untyped-def]
    ship = _ship(_latest(lt0) - timedelta(days=10))
    assert _status(lt0, ship, 1.0).status == "amber"  # 10 days < the pack's 14
    looser = lt0.with_overrides({"amber_slack_days": 7})
    st = _status(looser, ship, 1.0)
    assert st.status == "green" and "≥ amber threshold 7 days" in st.reason
    strict = lt0.with_overrides({"red_p_on_time": "0.999", "amber_p_on_time": "0.9999"})
    assert _status(strict, ship, 0.998).status == "red"


def test_malformed_or_retired_thresholds_are_refused(lt0) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScheduleInputError, match="replaced by red_p_on_time"):
        lt0.with_overrides({"at_risk_p_on_time": "0.8"})
    with pytest.raises(ScheduleInputError, match="red <= amber"):
        lt0.with_overrides({"red_p_on_time": "0.9", "amber_p_on_time": "0.8"})
    with pytest.raises(ScheduleInputError, match="red_slack_days 20 is above"):
        lt0.with_overrides({"red_slack_days": 20})


def test_dict_states_the_rule_and_every_shipment_reason(book, lt0) -> None:  # type: ignore[no-untyped-def]
    ships = [_ship(_latest(lt0) - timedelta(days=30)), replace(_ship(_latest(lt0)), id="T")]
    data = run_schedule(book, [SITE], ships, [], PLAN_DATE, runs=100, lead=lt0).to_dict()
    th = data["status_thresholds"]
    assert th["amber_slack_days"]["value"] == lt0.amber_slack
    assert th["red_p_on_time"]["value"] == float(lt0.red_p_on_time)
    assert f"< {lt0.amber_slack} days" in data["status_rule"]
    by_id = {s["id"]: s for s in data["shipments"]}
    assert by_id["S"]["status"] == "green" and "≥ amber threshold" in by_id["S"]["status_reason"]
    assert by_id["T"]["status"] == "amber"
    assert by_id["T"]["status_causes"][0]["rule"] == "schedule.amber_slack_days"
    assert by_id["T"]["status_causes"][0]["value"] == 0
    site = data["sites"][0]
    assert site["status"] == "amber" and site["status_reason"].startswith("T: slack 0 days")


def test_the_example_dossier_explains_each_site_status(book, example_map) -> None:  # type: ignore[no-untyped-def]
    """The example as of 2026-11-23: us-ash1 is red at a high probability (a certificate's latest
    start has passed) and de-fra1 amber at 100 %; the HTML site table and the plan summary say
    which threshold decided each status and name the driver."""
    import io

    from rich.console import Console

    from rackclear import load_map, plan
    from rackclear.io.dossier_html import render_html
    from rackclear.io.terminal import print_schedule_status
    from rackclear.schedule.adapter import attach_schedule

    as_of = date(2026, 11, 23)
    deployment, _ = load_map(example_map)
    dossier = plan(deployment, as_of, book)
    data = attach_schedule(book, deployment, dossier, as_of, runs=500)
    lt = lead_times(book, as_of)
    sites = {s["id"]: s for s in data["sites"]}
    us = sites["us-ash1"]
    assert us["status"] == "red" and us["p_on_time"] >= float(lt.amber_p_on_time)
    assert "US-003" in us["status_reason"] and "has passed" in us["status_reason"]
    assert "Driver: US-003, prerequisite FCC" in us["status_driver"]
    de = sites["de-fra1"]
    assert de["status"] == "amber" and de["probability_status"] == "green"
    assert "Driver: DE-001" in de["status_driver"]
    for s in sites.values():
        assert s["status_reason"], s["id"]
        assert (s["status_driver"] is None) == (s["status"] == s["probability_status"]), s["id"]
    html = render_html(dossier)
    table = html[
        html.index("<h2>Go-live schedule</h2>") : html.index(
            "</table>", html.index("<h2>Go-live schedule</h2>")
        )
    ]
    assert (
        "<th>Why</th>" in table
        and f"schedule.red_p_on_time</code> = {float(lt.red_p_on_time)}" in table
    )
    assert "red though P(on time)" in table and f"&lt; red threshold {lt.red_slack} days" in table
    console = Console(file=io.StringIO(), width=400)
    print_schedule_status(console, dossier.schedule)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "us-ash1 red (by plan): US-003: prerequisite FCC" in text
