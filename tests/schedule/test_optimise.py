"""A case where greedy earliest-due-date is not optimal: the US bond carries one shipment a
month, and the shipment due first is the cheap one."""

from datetime import date
from decimal import Decimal

from rackclear.schedule import Capacity, ShipmentPlan, SitePlan, greedy, optimise

AS_OF = date(2026, 12, 1)
# Site a: go-live Mon 15 Mar -> target Mon 1 Mar -> cleared by Fri 26 Feb -> clearance
# 24-26 Feb -> latest arrival Tue 23 Feb -> latest safe ship Tue 16 Feb.
# Site b: go-live Sat 20 Mar -> target Sat 6 Mar -> cleared by Wed 3 Mar -> clearance 1-3 Mar ->
# latest arrival Sun 28 Feb -> latest safe ship Sun 21 Feb.
SITES = [SitePlan("a", "US", date(2027, 3, 15)), SitePlan("b", "US", date(2027, 3, 20))]
SHIPS = [
    ShipmentPlan(
        "A",
        "a",
        "US",
        "TW",
        "air",
        date(2027, 2, 1),
        date(2027, 2, 1),
        weight=1.0,
        security_pool="US-bond",
        security_usage=Decimal("100"),
    ),
    ShipmentPlan(
        "B",
        "b",
        "US",
        "TW",
        "air",
        date(2027, 2, 1),
        date(2027, 2, 1),
        weight=10.0,
        security_pool="US-bond",
        security_usage=Decimal("100"),
    ),
]
CAPS = [Capacity("US-bond", date(2027, m, 1), Decimal("100")) for m in (2, 3)]


def test_cpsat_beats_greedy_with_the_expected_optimum(lt):
    base = greedy(lt, SITES, SHIPS, CAPS, AS_OF)
    # Greedy: A (due 16 Feb) takes February; B first ships Mon 1 Mar: departs 4 Mar, arrives
    # Mon 8 Mar, cleared 11 Mar, delivered 14 Mar: 8 days after 6 Mar, x weight 10 = 80.
    assert base.objective == 80.0
    result = optimise(lt, SITES, SHIPS, CAPS, AS_OF, time_limit_s=5, num_workers=1)
    # Optimum: B in February (on time), A on 1 Mar: delivered 14 Mar, 13 days after 1 Mar = 13.
    assert result.status == "OPTIMAL"
    assert result.cpsat.objective == 13.0
    assert result.greedy.objective == 80.0 and result.gain == 67.0
    assert result.bound == 13.0 and result.gap == 0.0
    chosen = {c.shipment: (c.ship, c.mode, c.late_days) for c in result.cpsat.choices}
    assert chosen["A"] == (date(2027, 3, 1), "air", 13)
    assert chosen["B"][2] == 0 and chosen["B"][0].month == 2
    bound = {(b.kind, b.key, b.period) for b in result.cpsat.binding}
    assert bound == {
        ("pool-month", "US-bond", date(2027, 2, 1)),
        ("pool-month", "US-bond", date(2027, 3, 1)),
    }
    assert not any(b.over for b in result.cpsat.binding)


def test_warehouse_slots_bind_and_modes_are_chosen(lt):
    sites = [SitePlan("a", "US", date(2027, 3, 15), warehouse_slots=1)]
    ships = [
        ShipmentPlan(
            f"S{k}",
            "a",
            "US",
            "TW",
            "ocean",
            date(2027, 2, 1),
            date(2027, 2, 1),
            alt_modes=("air",),
            weight=1.0 + k,
        )
        for k in range(3)
    ]
    result = optimise(lt, sites, ships, [], AS_OF, time_limit_s=5, num_workers=1)
    assert result.cpsat.objective <= result.greedy.objective
    assert result.cpsat.objective == 0.0  # air in three different weeks, all on time
    assert {c.mode for c in result.cpsat.choices} == {"air"}
    # one delivery a week: three site-weeks, each at its single slot
    assert [(b.kind, b.used, b.limit) for b in result.cpsat.binding] == [
        ("site-week", "1", "1")
    ] * 3


def test_deterministic(lt):
    one = optimise(lt, SITES, SHIPS, CAPS, AS_OF, time_limit_s=5, seed=3).to_dict()
    two = optimise(lt, SITES, SHIPS, CAPS, AS_OF, time_limit_s=5, seed=3).to_dict()
    one.pop("wall_s"), two.pop("wall_s")
    assert one == two
