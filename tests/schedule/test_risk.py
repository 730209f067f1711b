from dataclasses import replace
from datetime import date
from decimal import Decimal

from rackclear.schedule import (
    Capacity,
    Prereq,
    Scenario,
    ShipmentPlan,
    SitePlan,
    monte_carlo,
    optimise,
    what_if_bond_refused,
    what_if_certificate_late,
    what_if_hold,
    what_if_licence_denied,
)
from tests.schedule.conftest import fixed
from tests.schedule.test_optimise import AS_OF as OPT_AS_OF
from tests.schedule.test_optimise import SHIPS, SITES

AS_OF = date(2027, 5, 1)
SITE = SitePlan("us-1", "US", date(2027, 7, 23))  # latest safe ship 23 Jun (test_backward)
CERT = Prereq("S:cert", "FCC SDoC", "certification", (20, 20))
LIC = Prereq("S:licence", "BIS licence", "licence", (10, 10))


def ship(planned: date) -> ShipmentPlan:
    return ShipmentPlan("S", "us-1", "US", "TW", "air", AS_OF, planned, (CERT, LIC))


def scenario(planned: date) -> Scenario:
    return Scenario((SITE,), (ship(planned),), (), AS_OF)


def test_seeded_runs_repeat(lt):
    ships = [ship(date(2027, 6, 20))]
    one = monte_carlo(lt, [SITE], ships, AS_OF, runs=500, seed=11)
    two = monte_carlo(lt, [SITE], ships, AS_OF, runs=500, seed=11)
    assert one == two


def test_fixed_figures_give_certainty(lt):
    exact = fixed(lt)
    on_time = monte_carlo(exact, [SITE], [ship(date(2027, 6, 23))], AS_OF, runs=200)
    assert on_time.site("us-1").p_on_time == 1.0
    assert on_time.site("us-1").expected_days_late == 0.0
    late = monte_carlo(exact, [SITE], [ship(date(2027, 6, 27))], AS_OF, runs=200).site("us-1")
    # planned 27 Jun is delivered Sun 11 Jul, 2 days after the 9 Jul target (test_backward)
    assert (late.p_on_time, late.expected_days_late, late.p90_days_late) == (0.0, 2.0, 2.0)
    assert late.drivers[0].cause == "plan"


def test_what_if_hold_and_certificate_late(lt):
    exact = fixed(lt)
    base = scenario(date(2027, 6, 20))
    assert base.risk(exact, runs=100).site("us-1").p_on_time == 1.0
    held = what_if_hold(base, "S", 7).risk(exact, runs=100).site("us-1")
    assert held.p_on_time == 0.0 and held.expected_days_late is not None
    # certificate 20 days from 1 May = 21 May; 40 days late -> 30 Jun, past the 23 Jun latest
    late = what_if_certificate_late(base, "S:cert", 40).risk(exact, runs=100).site("us-1")
    assert late.p_on_time == 0.0
    assert late.drivers[0].cause == "prerequisite S:cert"


def test_what_if_licence_denied_and_reroute(lt):
    exact = fixed(lt)
    base = scenario(date(2027, 6, 20))
    denied = what_if_licence_denied(base, "S:licence")
    risk = denied.risk(exact, runs=100).site("us-1")
    assert risk.p_on_time == 0.0 and risk.expected_days_late is None
    assert risk.blocked == ("S",)
    other = replace(ship(date(2027, 6, 20)), origin="MY", prereqs=(CERT,))
    rerouted = what_if_licence_denied(base, "S:licence", reroute=other)
    assert rerouted.risk(exact, runs=100).site("us-1").p_on_time == 1.0


def test_what_if_bond_refused(lt):
    caps = (
        Capacity("US-bond", date(2026, 12, 1), Decimal("100")),
        Capacity("US-bond", date(2027, 2, 1), Decimal("200")),  # the planned increase
        Capacity("US-bond", date(2027, 3, 1), Decimal("200")),
    )
    base = Scenario(tuple(SITES), tuple(SHIPS), caps, OPT_AS_OF)
    refused = what_if_bond_refused(base, "US-bond")
    assert [c.limit for c in refused.capacities] == [100, 100, 100]
    before = optimise(lt, base.sites, base.shipments, base.capacities, base.as_of, time_limit_s=5)
    after = optimise(
        lt, refused.sites, refused.shipments, refused.capacities, refused.as_of, time_limit_s=5
    )
    assert (before.cpsat.objective, after.cpsat.objective) == (0.0, 13.0)
