"""Schemas of the border-requirement files of a jurisdiction pack: ``requirements.yaml``
(product conformity), ``importer.yaml`` (who may be importer of record, and what it needs) and
``documents.yaml`` (documents per lane). Every entry carries its own dates and citation."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from rackclear.rulebook.schema import Cited, Strict

ID = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
OPS = {"gt", "ge", "lt", "le", "eq", "in"}
Holder = Literal[
    "manufacturer", "importer", "local_representative", "responsible_party", "exporter", "any"
]
When = Literal["before_shipment", "before_clearance", "before_placing_on_market", "after_clearance"]
AppliesTo = Literal["all", "non_resident", "resident", "free_zone", "mainland"]
NeededWhen = Literal[
    "always",
    "preference_claimed",
    "licence_required",
    "licence_exception",
    "lithium_battery",
    "radio",
    "high_value_adp",
    "free_zone",
    "non_resident",
    "certificate",
]


def _check_condition(condition: dict[str, Any]) -> dict[str, Any]:
    for key, want in condition.items():
        if isinstance(want, dict):
            unknown = set(want) - OPS
            if unknown or not want:
                raise ValueError(
                    f"condition {key}: operators must be among {sorted(OPS)}, got {sorted(want)}"
                )
    return condition


class LeadTime(Strict):
    """Mixin fields: a typical lead time as a range of days, and what the range rests on."""

    lead_time_days: tuple[int, int] | None = None
    lead_time_basis: str | None = None

    @model_validator(mode="after")
    def _lead(self) -> LeadTime:
        if self.lead_time_days is not None:
            low, high = self.lead_time_days
            if low < 0 or high < low:
                raise ValueError(
                    f"lead_time_days {list(self.lead_time_days)}: need 0 <= min <= max"
                )
            if not self.lead_time_basis:
                raise ValueError("lead_time_days needs lead_time_basis (what the range rests on)")
        return self


class Exclusion(Strict):
    id: str = Field(pattern=ID)
    text: str = Field(min_length=3)
    condition: dict[str, Any] | None = None

    @field_validator("condition")
    @classmethod
    def _cond(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else _check_condition(value)


class RequirementSpec(Cited, LeadTime):
    """One conformity scheme for some product families of one destination."""

    id: str = Field(pattern=ID)
    scheme: str = Field(min_length=3)
    authority: str = Field(min_length=2)
    families: list[str] = Field(min_length=1)
    conditions: dict[str, Any] = Field(default_factory=dict)
    mandatory: bool
    holder: Holder
    when: When
    per_shipment: bool = False
    validity: str | None = None
    # the last day on which what the scheme issues now is valid (e.g. a calendar-year
    # authorisation cycle); a shipment needing it later is told, with ``renewal``
    valid_until: date | None = None
    renewal: str | None = None
    exclusions: list[Exclusion] = Field(default_factory=list)
    remedy: str = Field(min_length=3)

    @field_validator("conditions")
    @classmethod
    def _cond(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_condition(value)


class RequirementsFile(Strict):
    description: str
    requirements: list[RequirementSpec] = Field(default_factory=list)


class NonResident(Cited):
    """Whether an entity not resident in the country may be importer of record."""

    allowed: bool | Literal["via_representative"]
    text: str = Field(min_length=3)


class ImporterRule(Cited, LeadTime):
    """A registration, security or appointment the importer of record needs."""

    id: str = Field(pattern=ID)
    registration: str = Field(min_length=3)
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    applies_to: AppliesTo = "all"
    # ISO 3166-2 codes: applies only to sites there (e.g. an emirate's customs authority)
    subdivisions: list[str] = Field(default_factory=list)
    required: bool = True
    text: str = Field(min_length=3)
    remedy: str = Field(min_length=3)


class Territory(Cited):
    """Countries whose established entities count as resident (one customs territory)."""

    countries: list[str] = Field(min_length=1)
    text: str = Field(min_length=3)


class ImporterFile(Strict):
    description: str
    territory: Territory | None = None
    non_resident: list[NonResident] = Field(min_length=1)
    rules: list[ImporterRule] = Field(default_factory=list)

    @field_validator("non_resident", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


class DocumentSpec(Cited):
    id: str = Field(pattern=ID)
    name: str = Field(min_length=3)
    needed_when: NeededWhen
    families: list[str] | None = None  # only when a line is of one of these product families
    why: str = Field(min_length=3)


class DocumentsFile(Strict):
    description: str
    documents: list[DocumentSpec] = Field(default_factory=list)
