"""The scheduler's inputs: pure frozen dataclasses (the adapter builds them from a dossier)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rackclear.schedule.leadtimes import LeadTimes, lead_times

__all__ = ["Capacity", "LeadTimes", "Prereq", "ShipmentPlan", "SitePlan", "lead_times"]


@dataclass(frozen=True)
class Prereq:
    """Something that must be in hand before the shipment leaves."""

    id: str
    name: str
    kind: str  # licence | certification | registration | bond | other
    lead_days: tuple[int, int]  # (min, max)
    ready: bool = False  # already satisfied
    verified: bool = True  # the lead time is a published figure


@dataclass(frozen=True)
class ShipmentPlan:
    id: str
    site: str
    country: str
    origin: str
    mode: str  # air | ocean | road
    earliest_ship: date
    planned_ship: date
    prereqs: tuple[Prereq, ...] = ()
    weight: float = 1.0  # cost per day late (e.g. value in USD millions)
    security_pool: str | None = None  # e.g. "US-bond", "CA-rpp"
    security_usage: Decimal | None = None  # what the shipment consumes of the pool in its month
    alt_modes: tuple[str, ...] = ()  # modes the map allows instead

    @property
    def modes(self) -> tuple[str, ...]:
        """The planned mode first, then the alternatives (without repeats)."""
        return tuple(dict.fromkeys((self.mode, *self.alt_modes)))


@dataclass(frozen=True)
class SitePlan:
    id: str
    country: str
    go_live: date
    warehouse_slots: int | None = None  # shipments arriving per week


@dataclass(frozen=True)
class Capacity:
    pool: str
    month: date  # first day of the month
    limit: Decimal
