"""Lead times for scheduling, read from the ``schedule`` pack as of a date, each with its citation.

Every figure in the pack is a planning assumption (``verified: false``); the scheduler uses it all
the same and says so: ``LeadTimes.assumptions()`` lists the figures that are not verified. The map
can override any figure (``with_overrides``); an overridden figure is cited to the map.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from rackclear.domain.citations import Citation
from rackclear.rulebook.registry import Rulebook

PACK = "schedule"
MODES = ("air", "ocean", "road")
MAPPINGS = ("transit_days", "transit_lane_days", "booking_lead_days", "clearance_days")
NUMBERS = (
    "handover_days",
    "final_mile_days",
    "install_buffer_days",
    "red_slack_days",
    "amber_slack_days",
    "red_p_on_time",
    "amber_p_on_time",
    "optimise_horizon_days",
    "objective_usd_per_weight_day",
)
AMOUNTS = ("storage_cost_per_day",)
NAMES = MAPPINGS + NUMBERS + AMOUNTS
THRESHOLDS = ("red_p_on_time", "amber_p_on_time", "red_slack_days", "amber_slack_days")
RETIRED = {"at_risk_p_on_time": "red_p_on_time and amber_p_on_time"}


class ScheduleInputError(ValueError):
    """A lead time is missing, not in force or malformed."""


class Triple(NamedTuple):
    min: int
    likely: int
    max: int


class Clearance(NamedTuple):
    min: int
    likely: int
    max: int
    p_hold: float
    hold_extra: tuple[int, int]


@dataclass(frozen=True)
class Figure:
    """One pack figure as used: its value, citation, and whether it is verified or from the map."""

    name: str
    value: Any
    citation: Citation | None
    verified: bool
    overridden: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": f"{PACK}.{self.name}",
            "verified": self.verified,
            "overridden": self.overridden,
            "reference": self.citation.reference if self.citation else "deployment map",
        }


def _triple(value: Any, what: str) -> Triple:
    try:
        lo, mid, hi = (int(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ScheduleInputError(
            f"{what}: expected [min, likely, max] days, got {value!r}"
        ) from exc
    if not 0 <= lo <= mid <= hi:
        raise ScheduleInputError(f"{what}: expected 0 <= min <= likely <= max, got {value!r}")
    return Triple(lo, mid, hi)


@dataclass(frozen=True)
class LeadTimes:
    """The figures of the ``schedule`` pack in force on ``as_of`` (plus any map overrides)."""

    as_of: date
    figures: dict[str, Figure] = field(default_factory=dict)

    def _value(self, name: str) -> Any:
        return self.figures[name].value

    def _int(self, name: str) -> int:
        return int(Decimal(str(self._value(name))))

    def transit(self, mode: str, origin: str, dest: str) -> Triple:
        lane = self._value("transit_lane_days").get(f"{origin}-{dest}", {})
        if mode in lane:
            return _triple(lane[mode], f"transit_lane_days {origin}-{dest} {mode}")
        table = self._value("transit_days")
        if mode not in table:
            raise ScheduleInputError(f"transit_days: no figure for mode {mode!r}")
        return _triple(table[mode], f"transit_days {mode}")

    def transit_rule(self, mode: str, origin: str, dest: str) -> str:
        """The parameter the transit figure comes from (a lane's or the mode's)."""
        lane = self._value("transit_lane_days").get(f"{origin}-{dest}", {})
        return "transit_lane_days" if mode in lane else "transit_days"

    def booking(self, mode: str) -> int:
        table = self._value("booking_lead_days")
        if mode not in table:
            raise ScheduleInputError(f"booking_lead_days: no figure for mode {mode!r}")
        return int(table[mode])

    def clearance(self, dest: str) -> Clearance:
        table = self._value("clearance_days")
        entry = table.get(dest, table.get("default"))
        if entry is None:
            raise ScheduleInputError(f"clearance_days: no figure for {dest} and no default")
        days = _triple(entry["days"], f"clearance_days {dest}")
        p_hold = float(Decimal(str(entry.get("p_hold", "0"))))
        extra = tuple(int(v) for v in entry.get("hold_extra_days", (0, 0)))
        if not 0 <= p_hold <= 1 or len(extra) != 2 or not 0 <= extra[0] <= extra[1]:
            raise ScheduleInputError(f"clearance_days {dest}: bad p_hold or hold_extra_days")
        return Clearance(days.min, days.likely, days.max, p_hold, (extra[0], extra[1]))

    @property
    def handover(self) -> int:
        return self._int("handover_days")

    @property
    def final_mile(self) -> int:
        return self._int("final_mile_days")

    @property
    def install_buffer(self) -> int:
        return self._int("install_buffer_days")

    @property
    def red_slack(self) -> int:
        """A chain whose slack is below this many days is red."""
        return self._int("red_slack_days")

    @property
    def amber_slack(self) -> int:
        """A shipment whose least slack is below this many days is (at least) amber."""
        return self._int("amber_slack_days")

    @property
    def red_p_on_time(self) -> Decimal:
        """A site on time in a smaller share of simulated runs is red."""
        return Decimal(str(self._value("red_p_on_time")))

    @property
    def amber_p_on_time(self) -> Decimal:
        """A site on time in a smaller share of simulated runs is (at least) amber."""
        return Decimal(str(self._value("amber_p_on_time")))

    @property
    def horizon(self) -> int:
        return self._int("optimise_horizon_days")

    @property
    def usd_per_weight_day(self) -> Decimal:
        return Decimal(str(self._value("objective_usd_per_weight_day")))

    @property
    def storage_cost_per_day(self) -> Decimal:
        """USD per shipment per day in a bonded or sufferance warehouse."""
        return Decimal(str(self._value("storage_cost_per_day")))

    def citation(self, name: str) -> Citation | None:
        return self.figures[name].citation

    def assumptions(self) -> list[str]:
        """Rule ids of the figures used that are not verified (planning assumptions)."""
        return [f"{PACK}.{n}" for n, f in sorted(self.figures.items()) if not f.verified]

    def with_overrides(self, overrides: Mapping[str, Any]) -> LeadTimes:
        """A copy with figures from the map. Mapping figures merge one level deep (a mode, a
        lane, a country; for a country, its fields); numbers replace. Unknown names are refused."""
        retired = sorted(set(overrides) & set(RETIRED))
        if retired:
            raise ScheduleInputError("; ".join(f"{n} is replaced by {RETIRED[n]}" for n in retired))
        unknown = sorted(set(overrides) - set(NAMES))
        if unknown:
            raise ScheduleInputError(f"unknown lead-time names {unknown}; known: {list(NAMES)}")
        figures = dict(self.figures)
        for name, value in overrides.items():
            figures[name] = Figure(name, _merge(name, figures[name].value, value), None, True, True)
        out = replace(self, figures=figures)
        out.validate()
        return out

    def validate(self) -> None:
        """Refuse malformed figures now rather than in the middle of a plan."""
        for mode in self._value("transit_days"):
            self.transit(mode, "", "")
        for lane, modes in self._value("transit_lane_days").items():
            origin, _, dest = lane.partition("-")
            for mode in modes:
                self.transit(mode, origin, dest)
        for mode in self._value("booking_lead_days"):
            self.booking(mode)
        for country in self._value("clearance_days"):
            self.clearance(country)
        for name in NUMBERS + AMOUNTS:
            if Decimal(str(self._value(name))) < 0:
                raise ScheduleInputError(f"{name}: must not be negative")
        if not 0 <= self.red_p_on_time <= self.amber_p_on_time <= 1:
            raise ScheduleInputError(
                "red_p_on_time and amber_p_on_time: expected 0 <= red <= amber <= 1, got"
                f" {self.red_p_on_time} and {self.amber_p_on_time}"
            )
        if self.red_slack > self.amber_slack:
            raise ScheduleInputError(
                f"red_slack_days {self.red_slack} is above amber_slack_days {self.amber_slack}"
            )


def _merge(name: str, old: Any, new: Any) -> Any:
    if name not in MAPPINGS:
        return new
    if not isinstance(new, Mapping):
        raise ScheduleInputError(f"{name}: expected a mapping, got {new!r}")
    merged = copy.deepcopy(dict(old))
    for key, value in new.items():
        if name == "clearance_days" and isinstance(value, Mapping) and key in merged:
            merged[key] = {**merged[key], **value}
        elif name == "transit_lane_days" and isinstance(value, Mapping):
            merged[key] = {**merged.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


def lead_times(book: Rulebook, as_of: date) -> LeadTimes:
    """The ``schedule`` pack's figures in force on ``as_of``; raises if any is missing."""
    figures: dict[str, Figure] = {}
    missing: list[str] = []
    for name in NAMES:
        found = book.parameter(PACK, name, as_of)
        if found.value is None:
            missing.append(f"{PACK}.{name} ({found.status})")
            continue
        figures[name] = Figure(name, found.value, found.citation, found.usable)
    if missing:
        raise ScheduleInputError(f"no lead time in force on {as_of}: {', '.join(missing)}")
    out = LeadTimes(as_of, figures)
    out.validate()
    return out
