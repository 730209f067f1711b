from datetime import date

import pytest

from rackclear.schedule import ScheduleInputError, lead_times
from tests.schedule.conftest import AS_OF


def test_pack_figures_are_cited_planning_assumptions(book):
    lt = lead_times(book, AS_OF)
    assert lt.transit("ocean", "TW", "US") == (18, 28, 40)  # the lane
    assert lt.transit("ocean", "XX", "US") == (20, 30, 45)  # the mode
    assert lt.clearance("ZZ").max == lt.clearance("default").max
    assert lt.amber_slack == 14
    cite = lt.citation("clearance_days")
    assert cite is not None and not cite.verified
    assert "schedule.transit_days" in lt.assumptions()


def test_overrides_merge_and_refuse_unknown(lt):
    more = lt.with_overrides({"clearance_days": {"US": {"p_hold": "0.2"}}})
    assert more.clearance("US").p_hold == 0.2
    assert more.clearance("US").max == 3  # other fields kept
    assert more.figures["clearance_days"].overridden
    with pytest.raises(ScheduleInputError):
        lt.with_overrides({"transit_speed": 1})
    with pytest.raises(ScheduleInputError):
        lt.with_overrides({"transit_days": {"air": [5, 3, 1]}})


def test_no_figure_before_the_pack_applies(book):
    with pytest.raises(ScheduleInputError):
        lead_times(book, date(2020, 1, 1))
