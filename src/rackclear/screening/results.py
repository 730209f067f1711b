"""What a screening answers, as pydantic models at the edge: the matches with their explanation,
and the lists (name and version) screened against, so a screening can be replayed."""

from __future__ import annotations

import builtins
from typing import Any

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeatureResult(_Model):
    """One feature of the algorithm: value, contribution to the score, and why."""

    feature: str
    value: float
    contribution: float
    detail: str


class ListVersion(_Model):
    """A list screened against: its name, version, where the version came from, and the file."""

    name: str
    version: str
    version_from: str
    file: str
    entries: int
    # the latest listing date among its entries (CSL start_date): the list is at least this new
    latest_listing: str | None = None


class Match(_Model):
    """A listed party that passed the threshold. ``name`` is its primary name,
    ``matched_name`` the name or alias that matched."""

    name: str
    matched_name: str
    list: str
    list_version: str
    entry_id: str
    kind: str
    programs: builtins.list[str]
    countries: builtins.list[str]
    score: float
    explanation: builtins.list[FeatureResult]
    # what the entry says of its listing, where the list has it (the Entity List does)
    licence_requirement: str | None = None
    licence_policy: str | None = None
    listed_on: str | None = None
    federal_register_notice: str | None = None


class ScreeningResult(_Model):
    """The answer for one screened name, with the algorithm, threshold and lists it used."""

    query: str
    country: str | None
    algorithm: str
    threshold: float
    matches: list[Match]
    lists: list[ListVersion]

    def to_json_dict(self) -> dict[str, Any]:
        """The documented ``--json`` shape."""
        return self.model_dump(mode="json")
