"""The deployment map: programme, parties, catalog, sites and shipments (see docs/deployment-map.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rackclear.domain.codes import is_country, is_currency


def _country(code: str) -> str:
    if not is_country(code):
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {code!r}")
    return code


def _currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError(f"unknown ISO 4217 currency code {code!r}")
    return code


Country = Annotated[str, AfterValidator(_country)]
Currency = Annotated[str, AfterValidator(_currency)]
PositiveAmount = Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=6)]
NonNegativeAmount = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=6)]
Incoterm = Literal["EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"]
Mode = Literal["air", "ocean", "road"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Amount(Model):
    """An amount of money as the map gives it."""

    amount: NonNegativeAmount
    currency: Currency


class Party(Model):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    country: Country
    role: Literal["exporter", "consignee", "end_user", "importer", "seller", "buyer", "other"]
    registrations: dict[str, str] = Field(
        default_factory=dict,
        description="Registrations the party holds, by the key the importer rules use (eori, cbp_5106 ...): number or reference.",
    )
    posted_security: Amount | None = Field(
        default=None,
        description="Customs security the importer has posted: the US continuous bond, or Canadian RPP security.",
    )
    parent_headquarters: Country | None = Field(
        default=None, description="Headquarters country of the ultimate parent (end users)."
    )


class Evidence(Model):
    """A certificate, registration or declaration that satisfies a requirement."""

    reference: str = Field(min_length=1)
    holder: str | None = None
    valid_until: date | None = None


class DeclaredCodes(Model):
    """Codes the user declares: HS per country (or ``default`` for the 6-digit), ECCN, rulings."""

    hs: dict[str, str] = Field(default_factory=dict)
    eccn: str | None = None
    advance_ruling: str | None = None


class Item(Model):
    sku: str = Field(min_length=1)
    description: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    manufacturer: str = Field(min_length=1)
    model: str = Field(min_length=1)
    country_of_origin: Country
    unit_value: PositiveAmount
    currency: Currency
    weight_kg: PositiveAmount | None = None
    specs: dict[str, Any] = Field(default_factory=dict)
    declared: DeclaredCodes = Field(default_factory=DeclaredCodes)
    us_content: bool = Field(default=False, description="Foreign-made but contains US content.")
    conformity: dict[str, Evidence] = Field(
        default_factory=dict,
        description="Conformity evidence held, by requirement id (see `rackclear requirements`).",
    )


class Site(Model):
    id: str = Field(min_length=1)
    country: Country
    city: str = Field(min_length=1)
    province: str | None = None
    go_live: date
    free_zone: bool = False
    use: str = Field(default="data_center")
    warehouse_slots: Annotated[int, Field(gt=0)] | None = Field(
        default=None, description="Shipments the site can receive per week (scheduling)."
    )


class Line(Model):
    sku: str = Field(min_length=1)
    quantity: Annotated[int, Field(gt=0)]
    unit_value: PositiveAmount | None = None
    currency: Currency | None = None
    preference: str | None = Field(default=None, description="A claimed preference, e.g. CUSMA.")
    origin_proof: bool = False


class Shipment(Model):
    id: str = Field(min_length=1)
    origin_country: Country
    origin_place: str = Field(min_length=1)
    site: str = Field(min_length=1)
    mode: Mode
    incoterm: Incoterm
    ship_date: date
    freight: Amount | None = None
    insurance: Amount | None = None
    origin_inland_freight: Amount | None = None
    related_parties: bool = False
    available_from: date | None = Field(
        default=None,
        description="Earliest date the goods can ship (scheduling); default the planned ship date.",
    )
    alt_modes: list[Mode] = Field(
        default_factory=list, description="Other modes the scheduler may choose."
    )
    purpose: Literal["permanent", "temporary", "return", "repair"] = Field(
        default="permanent",
        description="Why the goods move: permanent import, temporary admission, an RMA return or a repair; relief regimes depend on it.",
    )
    exporter: str | None = None
    consignee: str | None = None
    end_user: str | None = None
    lines: list[Line] = Field(default_factory=list)


class FxRate(Model):
    """A user-supplied rate (e.g. an official customs rate the packs lack), cited by the user."""

    currency: Currency
    to: Currency
    date: date
    rate: PositiveAmount
    source: str = Field(min_length=3)


class Deployment(Model):
    programme: str = Field(min_length=1)
    importers_of_record: dict[str, str] = Field(default_factory=dict)
    parties: list[Party] = Field(default_factory=list)
    catalog: list[Item] = Field(min_length=1)
    sites: list[Site] = Field(min_length=1)
    shipments: list[Shipment] = Field(min_length=1)
    lines_file: str | None = None
    fx_rates: list[FxRate] = Field(default_factory=list)
    schedule: dict[str, Any] = Field(
        default_factory=dict,
        description="Scheduling overrides, e.g. lead_times: {transit: {air: [3, 5, 9]}} (see docs/schedule.md).",
    )

    def importer_of_record(self, country: str) -> Party | None:
        """The party named importer of record for ``country``, if any."""
        pid = self.importers_of_record.get(country)
        return next((p for p in self.parties if p.id == pid), None) if pid else None
