"""Go-live scheduling: backward planning from each site's go-live, CP-SAT choice of ship dates and
modes against a greedy baseline, Monte Carlo risk, what-ifs and an offline SVG Gantt chart.

All lead times come from the ``schedule`` pack (planning assumptions) or the map's overrides;
see docs/schedule.md.
"""

from rackclear.schedule.backward import BackwardPlan, ShipmentSchedule, SiteSchedule, backward_plan
from rackclear.schedule.gantt import gantt_svg
from rackclear.schedule.leadtimes import LeadTimes, ScheduleInputError, lead_times
from rackclear.schedule.model import Capacity, Prereq, ShipmentPlan, SitePlan
from rackclear.schedule.optimise import OptimisationResult, greedy, optimise
from rackclear.schedule.result import ScheduleResult, run_schedule
from rackclear.schedule.risk import RiskResult, SiteRisk, monte_carlo
from rackclear.schedule.solution import Binding, Choice, Solution
from rackclear.schedule.whatif import (
    Scenario,
    what_if_bond_refused,
    what_if_certificate_late,
    what_if_hold,
    what_if_licence_denied,
)

__all__ = [
    "BackwardPlan",
    "Binding",
    "Capacity",
    "Choice",
    "LeadTimes",
    "OptimisationResult",
    "Prereq",
    "RiskResult",
    "Scenario",
    "ScheduleInputError",
    "ScheduleResult",
    "ShipmentPlan",
    "ShipmentSchedule",
    "SitePlan",
    "SiteRisk",
    "SiteSchedule",
    "Solution",
    "backward_plan",
    "gantt_svg",
    "greedy",
    "lead_times",
    "monte_carlo",
    "optimise",
    "run_schedule",
    "what_if_bond_refused",
    "what_if_certificate_late",
    "what_if_hold",
    "what_if_licence_denied",
]
