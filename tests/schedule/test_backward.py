"""Backward dates worked by hand (US calendar 2027: Independence Day observed Monday 5 July)."""

from datetime import date

import numpy as np
import pytest

from rackclear.schedule import Prereq, ShipmentPlan, SitePlan, backward_plan
from rackclear.schedule.timeline import forward, latest_safe_ship, leg

SITE = SitePlan("us-1", "US", date(2027, 7, 23))


def ship(sid: str, planned: date, **kw) -> ShipmentPlan:  # type: ignore[no-untyped-def]
    return ShipmentPlan(sid, "us-1", "US", "TW", "air", date(2027, 5, 1), planned, **kw)


def test_latest_safe_ship_by_hand_across_a_holiday(lt):
    # go-live Fri 23 Jul - 14 install = Fri 9 Jul (target); - 2 final mile - 1 hand-over:
    # cleared by Tue 6 Jul. Clearance 3 working days: Thu 1, Fri 2, [Sat, Sun, Mon 5 Jul holiday],
    # Tue 6 -> latest arrival Wed 30 Jun. - 4 transit - 3 booking = Wed 23 Jun.
    s = ship("S", date(2027, 6, 27))
    p = backward_plan(lt, [SITE], [s], date(2027, 5, 1)).shipment("S")
    assert p.latest_arrival == date(2027, 6, 30)
    assert p.latest_safe_ship == date(2027, 6, 23)
    # Planned Sun 27 Jun: departs Wed 30 Jun, arrives Sun 4 Jul; Sun 4 and Mon 5 (holiday) wait
    # in the warehouse: 2 storage days, 2 x 350 USD.
    assert p.arrive == date(2027, 7, 4)
    assert (p.storage_days, p.storage_cost_usd) == (2, 700)
    # Clearance Tue 6, Wed 7, Thu 8; + 1 + 2 = delivered Sun 11 Jul, after the 9 Jul target.
    assert p.cleared == date(2027, 7, 8)
    assert p.delivered == date(2027, 7, 11)
    assert p.transport_slack_days == -4
    assert p.status == "red"
    assert p.steps[-1].result == "2027-06-23"


@pytest.mark.parametrize("country", ["US", "SA", "IN", "DE", "JP"])
def test_latest_safe_ship_is_exactly_the_last_on_time_day(lt, country):
    for go_live in [date(2027, 1, 1) + np.timedelta64(k, "D").item() for k in range(0, 365, 11)]:
        site = SitePlan("x", country, go_live)
        s = ShipmentPlan("S", "x", country, "TW", "air", date(2026, 1, 1), date(2026, 1, 1))
        lg = leg(lt, s, "air", site, date(2026, 1, 1), date(2027, 12, 31))
        latest = latest_safe_ship(lg)
        chain = forward(lg, np.asarray([latest, latest + 1]))
        assert chain.delivered[0] <= lg.target < chain.delivered[1]


def test_rag_statuses(lt):
    as_of = date(2027, 5, 1)
    ships = [
        ship("green", date(2027, 6, 1)),  # slack 22
        ship("amber", date(2027, 6, 15)),  # slack 8 < 14
        ship(
            "prereq",
            date(2027, 6, 1),
            prereqs=(Prereq("prereq:licence", "BIS licence", "licence", (30, 60)),),
        ),
        ship(
            "ready",
            date(2027, 6, 1),
            prereqs=(Prereq("r", "cert", "certification", (300, 400), ready=True),),
        ),
    ]
    plan = backward_plan(lt, [SITE], ships, as_of)
    assert plan.shipment("green").status == "green"
    assert plan.shipment("amber").status == "amber"
    passed = plan.shipment("prereq")
    # latest start = 23 Jun - 60 = 24 Apr, before the 1 May planning date
    assert passed.prereqs[0].latest_start == date(2027, 4, 24)
    assert passed.prereqs[0].slack_days == -7
    assert (passed.status, passed.critical, passed.slack_days) == ("red", "prereq:licence", -7)
    assert plan.shipment("ready").status == "green"
    site = plan.site("us-1")
    assert site.status == "red" and site.critical_shipment == "prereq"
    assert site.latest_safe_ship == date(2027, 6, 23)


def test_a_hold_that_would_make_it_late_is_amber(lt):
    site = SitePlan("ca-1", "CA", date(2027, 7, 23))
    s = ShipmentPlan("C", "ca-1", "CA", "US", "road", date(2027, 5, 1), date(2027, 6, 1))
    p = backward_plan(lt, [site], [s], date(2027, 5, 1)).shipment("C")
    assert p.slack_days >= 14
    assert p.hold_makes_late and p.status == "amber"
