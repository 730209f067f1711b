"""Lead times fixed by the tests (map overrides), so the pack's assumptions can change freely."""

from __future__ import annotations

from datetime import date

import pytest

from rackclear.rulebook import load_rulebook
from rackclear.schedule import LeadTimes, lead_times

AS_OF = date(2027, 1, 4)
FIXED = {
    "transit_lane_days": {"TW-US": {"air": [2, 3, 4]}},
    "booking_lead_days": {"air": 3},
    "clearance_days": {
        "US": {"days": [1, 2, 3], "p_hold": "0", "hold_extra_days": [0, 0]},
        "CA": {"days": [1, 2, 3], "p_hold": "0.5", "hold_extra_days": [10, 20]},
    },
    "handover_days": 1,
    "final_mile_days": 2,
    "install_buffer_days": 14,
    "amber_slack_days": 14,
    "storage_cost_per_day": "350",
    "optimise_horizon_days": 40,
    "objective_usd_per_weight_day": 1000,
}


@pytest.fixture(scope="session")
def book():  # type: ignore[no-untyped-def]
    return load_rulebook()


@pytest.fixture(scope="session")
def lt(book) -> LeadTimes:  # type: ignore[no-untyped-def]
    return lead_times(book, AS_OF).with_overrides(FIXED)


def fixed(lt: LeadTimes, country: str = "US") -> LeadTimes:
    """Every figure a single value, and no holds: the Monte Carlo becomes deterministic."""
    return lt.with_overrides(
        {
            "transit_lane_days": {"TW-US": {"air": [4, 4, 4]}},
            "clearance_days": {country: {"days": [3, 3, 3], "p_hold": "0"}},
        }
    )
