"""The shape of rule-pack files, checked strictly: unknown keys, bad dates and missing citations fail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rackclear.domain.citations import Citation
from rackclear.domain.grades import PackGrade, is_firm

Unit = Literal["percent", "amount", "number", "text", "code", "codes", "date", "bool", "mapping"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(Strict):
    """The dates, grade of evidence and citation every rule-pack entry carries.

    ``from`` is the date the rule took effect in law; ``read`` the date it was read. Where the
    legal start is not known, ``from`` is the earliest date the rule is known to be in force and
    ``from_known: at_least`` says so. An entry whose ``from`` equals its ``read`` date must say
    why (``from_reason``): that is the mark of a research date standing in for a legal one."""

    from_: date = Field(alias="from")
    from_known: Literal["exact", "at_least"] = "exact"
    from_reason: str | None = Field(default=None, min_length=10)
    until: date | None = None
    reference: str = Field(min_length=3)
    source: str = Field(min_length=3)
    url: str | None = None
    read: date
    grade: PackGrade
    inference: str | None = Field(default=None, min_length=10)
    last_verified: date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> Cited:
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"until {self.until} is before from {self.from_}")
        if self.from_ == self.read and not self.from_reason:
            raise ValueError(
                f"from {self.from_} is the date it was read: give the date the rule took effect"
                " in law, or from_known: at_least with from_reason saying why"
            )
        if self.grade == "derived" and not self.inference:
            raise ValueError("grade derived needs inference: the legal reasoning, written down")
        return self

    @property
    def verified(self) -> bool:
        """Firm evidence (official or derived): the only kind a legal conclusion rests on."""
        return is_firm(self.grade)

    def covers(self, when: date) -> bool:
        return self.from_ <= when and (self.until is None or when <= self.until)

    def citation(self, rule: str, provisional: bool = False) -> Citation:
        return Citation(
            rule=rule,
            reference=self.reference,
            source=self.source,
            url=self.url,
            read=self.read,
            effective_from=self.from_,
            effective_until=self.until,
            verified=self.verified,
            last_verified=self.last_verified,
            provisional=provisional,
            grade=self.grade,
            from_known=self.from_known,
        )


class ValueEntry(Cited):
    """One dated value of a rule, with its legal reference and where it was read."""

    value: Any
    provisional: bool = False

    @model_validator(mode="after")
    def _checks(self) -> ValueEntry:
        if self.value is None and self.verified:
            raise ValueError(
                "a null value (no value known) cannot be graded official or derived:"
                " grade it secondary or assumption"
            )
        return self


class RuleFile(Strict):
    """A parameter file: one rule, its values keyed by the date they apply from."""

    description: str = Field(min_length=3)
    unit: Unit
    currency: str | None = None
    values: list[ValueEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _currency(self) -> RuleFile:
        if self.unit == "amount" and not self.currency:
            raise ValueError("unit 'amount' needs a currency")
        return self


class PackMeta(Strict):
    """``pack.yaml``: what the pack covers."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    kind: Literal["jurisdiction", "regime", "reference"]
    countries: list[str] = Field(default_factory=list)
    currency: str | None = None
    extends: str | None = None
    version: str
    maintainer: str
    description: str
    coverage: list[str] = Field(default_factory=list)


class RoundingSpec(Strict):
    places: int = 2
    mode: Literal["half_up", "half_even", "down", "up"] = "half_up"
    step: Decimal | None = None
    reference: str | None = None
    grade: PackGrade = "official"

    @property
    def verified(self) -> bool:
        return is_firm(self.grade)


class RateSpec(Strict):
    """Where a charge's rate comes from: a dated parameter, a tariff column, or measures."""

    parameter: str | None = None
    tariff: str | None = None
    measures: str | None = None
    fixed: str | None = None  # a parameter holding a flat amount per entry
    lowest_of: list[LowestOf] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one(self) -> RateSpec:
        chosen = [x for x in (self.parameter, self.tariff, self.measures, self.fixed) if x]
        if len(chosen) != 1:
            raise ValueError("give exactly one of parameter, tariff, measures, fixed")
        return self


class LowestOf(Strict):
    """An alternative tariff column that applies when the origin is in a listed group."""

    tariff: str
    origins_in: str  # parameter naming a list of country codes


class PreferenceSpec(Strict):
    """A preference a shipment line may claim, its tariff column and the origins it serves."""

    claim: str
    tariff: str
    origins: list[str]
    reference: str


class ChargeSpec(Strict):
    """One link of a jurisdiction's charge chain."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    kind: Literal["duty", "additional_duty", "tax", "fee"]
    level: Literal["line", "entry"] = "line"
    rate: RateSpec
    base: list[str] = Field(min_length=1)
    minimum: str | None = None
    maximum: str | None = None
    modes: list[Literal["air", "ocean", "road"]] = Field(default_factory=list)
    # ISO 3166-2 codes: levied only on sites there (e.g. an emirate's customs fee)
    subdivisions: list[str] = Field(default_factory=list)
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None
    rounding: RoundingSpec = Field(default_factory=RoundingSpec)
    base_rounding: RoundingSpec | None = None
    base_uses: Literal["exact", "rounded"] = "exact"
    preferences: list[PreferenceSpec] = Field(default_factory=list)
    # a parameter {claims, marked_in}: lines whose claimed preference is decided originating and
    # whose origin is in marked_in are left out of the base (the US MPF on USMCA goods)
    exempt_originating: str | None = None
    reference: str = Field(min_length=3)
    note: str | None = None


class ChargesFile(Strict):
    description: str
    charges: list[ChargeSpec] = Field(min_length=1)

    @field_validator("charges")
    @classmethod
    def _unique(cls, charges: list[ChargeSpec]) -> list[ChargeSpec]:
        ids = [c.id for c in charges]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate charge ids: {', '.join(dupes)}")
        return charges


class SpecRange(Strict):
    gt: Decimal | None = None
    ge: Decimal | None = None
    lt: Decimal | None = None
    le: Decimal | None = None


class Exemption(Strict):
    id: str
    heading: str | None = None
    when_site_use: str | None = None
    when_destination: list[str] = Field(default_factory=list)
    reference: str


class MeasureSpec(Strict):
    """An additional duty: lines (prefixes), origins, optional spec conditions, dated rates."""

    id: str
    name: str
    heading: str | None = None
    lines: list[str] = Field(min_length=1)
    origins: list[str] = Field(min_length=1)
    spec_any_of: list[dict[str, SpecRange]] = Field(default_factory=list)
    exemptions: list[Exemption] = Field(default_factory=list)
    # set when the duty is due on part of the value only (e.g. the metal content) that the map
    # does not give: the amount is then a range from 0 to the rate on the whole value
    partial_base: str | None = Field(default=None, min_length=10)
    values: list[ValueEntry] = Field(min_length=1)


class MeasuresFile(Strict):
    description: str
    measures: list[MeasureSpec] = Field(min_length=1)


RateSpec.model_rebuild()


class Basis(Strict):
    """One step of a classification's legal reasoning."""

    rule: str  # e.g. "GRI 1", "Section XVI Note 2(b)"
    text: str
    reference: str


class Alternative(Strict):
    """A code considered and rejected, with the reason."""

    hs6: str = Field(pattern=r"^\d{4}\.\d{2}$")
    why: str


class JurisdictionView(Strict):
    """A documented jurisdiction difference: the same goods in another HS 6-digit subheading."""

    hs6: str = Field(pattern=r"^\d{4}\.\d{2}$")
    reference: str
    source: str
    verified: bool = True


class FamilySpec(Strict):
    """A product family: how it is recognised (kind, text cues, specs) and where it is classified."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    hs6: str = Field(pattern=r"^\d{4}\.\d{2}$")
    kinds: list[str] = Field(default_factory=list)
    cues_all: list[list[str]] = Field(default_factory=list)  # every group must match one term
    cues_none: list[str] = Field(default_factory=list)  # any of these excludes the family
    specs: dict[str, bool | str | int] = Field(default_factory=dict)  # required spec values
    priority: int = 0  # breaks ties between families that match equally
    confidence_cap: Literal["high", "medium", "low"] = "high"  # where sources conflict
    basis: list[Basis] = Field(min_length=1)
    alternatives: list[Alternative] = Field(default_factory=list)
    jurisdictions: dict[str, JurisdictionView] = Field(default_factory=dict)
    note: str | None = None


class FamiliesFile(Strict):
    description: str
    hs_edition: str
    from_: date = Field(alias="from")
    families: list[FamilySpec] = Field(min_length=1)

    @field_validator("families")
    @classmethod
    def _unique(cls, families: list[FamilySpec]) -> list[FamilySpec]:
        ids = [f.id for f in families]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate family ids: {', '.join(dupes)}")
        return families


class VagueFile(Strict):
    """Words that name no product (``equipment``, ``parts``) and words that only qualify
    (``server``, ``computer``): a description made only of these says nothing classifiable."""

    description: str
    reference: str
    vague_words: list[str] = Field(min_length=1)
    qualifier_words: list[str] = Field(default_factory=list)
    stop_words: list[str] = Field(default_factory=list)
    min_identifying_words: int = 1
