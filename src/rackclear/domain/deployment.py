"""The deployment map: programme, parties, catalog, sites and shipments (see docs/deployment-map.md)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

# The dates a map may hold. Outside them no pack has rules and date arithmetic (a deadline, a
# billing month) can overflow; they are a bound of the input, not a rule (docs/deployment-map.md).
from rackclear.dates import EARLIEST_DATE, LATEST_DATE
from rackclear.domain.codes import is_country, is_currency

# The longest national tariff lines in use have 12 digits (Saudi Arabia's and the GCC's
# integrated tariffs); US, CA, EU and KR use 10, TW 11 (with its check digit), JP 9.
MAX_TARIFF_DIGITS = 12
# A line's quantity times a price of up to 14 integer digits stays within Decimal's default
# 28-digit precision at the cent.
MAX_QUANTITY = 1_000_000_000
_ISO_DATE = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?\s*", re.DOTALL)


def _country(code: str) -> str:
    if not is_country(code):
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {code!r}")
    return code


def _currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError(f"unknown ISO 4217 currency code {code!r}")
    return code


def _not_a_boolean(value: Any) -> Any:
    """A number never comes from true/false (``quantity: true`` is not 1)."""
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "Input should be a number, not true or false")
    return value


def _date_as_written(value: Any) -> Any:
    """A date is a date or ``YYYY-MM-DD`` text, never a number (``0`` is not 1970-01-01)."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    if isinstance(value, str):
        raise PydanticCustomError("date_type", "Input should be a valid date written YYYY-MM-DD")
    raise PydanticCustomError(
        "date_type", "Input should be a valid date written YYYY-MM-DD, not a number or true/false"
    )


def _date_in_range(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError(
            "date_range",
            "Input should be a date from {earliest} to {latest}",
            {"earliest": str(EARLIEST_DATE), "latest": str(LATEST_DATE)},
        )
    return value


def _tariff_code(code: str) -> str:
    found = sum(ch.isdigit() for ch in code)
    if found > MAX_TARIFF_DIGITS or found == 0:
        raise PydanticCustomError(
            "tariff_code",
            "Input should be a tariff code of 1 to {most} digits (dots and spaces allowed); it has {found}",
            {"most": MAX_TARIFF_DIGITS, "found": found},
        )
    return code


Country = Annotated[str, AfterValidator(_country)]
Currency = Annotated[str, AfterValidator(_currency)]
PositiveAmount = Annotated[
    Decimal, BeforeValidator(_not_a_boolean), Field(gt=0, max_digits=20, decimal_places=6)
]
NonNegativeAmount = Annotated[
    Decimal, BeforeValidator(_not_a_boolean), Field(ge=0, max_digits=20, decimal_places=6)
]
MapDate = Annotated[date, BeforeValidator(_date_as_written), AfterValidator(_date_in_range)]
Count = Annotated[int, BeforeValidator(_not_a_boolean), Field(gt=0, le=MAX_QUANTITY)]
TariffCode = Annotated[str, AfterValidator(_tariff_code)]
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
    valid_until: MapDate | None = None


class DeclaredCodes(Model):
    """Codes the user declares: HS per country (or ``default`` for the 6-digit), ECCN, rulings."""

    hs: dict[str, TariffCode] = Field(default_factory=dict)
    eccn: str | None = None
    advance_ruling: str | None = None


class Material(Model):
    """One line of an item's bill of materials, per unit of the item, in the item's currency.
    ``originating`` is the material's own CUSMA status as its supplier certifies it (``null``:
    not known, never assumed); a ``true`` without ``supplier_certification`` counts as not known."""

    material: str = Field(min_length=1)
    hs: TariffCode
    value: NonNegativeAmount
    country: Country | None = Field(default=None, description="Where the material was made.")
    originating: bool | None = None
    supplier_certification: str | None = Field(
        default=None, min_length=1, description="The supplier's certification of origin held."
    )


class Production(Model):
    """Where and how the item was produced: the last production step, by whom, and the net
    cost per unit (item currency) for the RVC net-cost method."""

    country: Country
    operation: Literal[
        "manufacture",
        "processing",
        "assembly",
        "testing",
        "configuration",
        "packing",
        "repair",
        "other",
    ] = Field(description="The last step done to the good.")
    description: str | None = Field(default=None, min_length=1, description="That step, in words.")
    producer: str | None = Field(default=None, min_length=1)
    net_cost: PositiveAmount | None = None


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
    bom: list[Material] = Field(
        default_factory=list, description="Bill of materials per unit, for preferential origin."
    )
    production: Production | None = None


class Site(Model):
    id: str = Field(min_length=1)
    country: Country
    city: str = Field(min_length=1)
    province: str | None = None
    subdivision: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        description="ISO 3166-2 code of the site's state, province or emirate (AE-AZ Abu Dhabi, AE-DU Dubai, CA-ON, IN-MH, US-VA); defaults to country-province when province is given.",
    )
    go_live: MapDate
    free_zone: bool = False
    free_zone_name: str | None = Field(
        default=None,
        description="The free zone's name (e.g. KEZAD, JAFZA), when free_zone is true.",
    )
    use: str = Field(default="data_center")
    warehouse_slots: Count | None = Field(
        default=None, description="Shipments the site can receive per week (scheduling)."
    )

    @model_validator(mode="after")
    def _jurisdiction(self) -> Site:
        """The subdivision belongs to the site's country and agrees with its province."""
        implied = f"{self.country}-{self.province}" if self.province else None
        if self.subdivision is None:
            object.__setattr__(self, "subdivision", implied)  # frozen model: set once, here
        elif not self.subdivision.startswith(f"{self.country}-"):
            raise PydanticCustomError(
                "subdivision_country",
                "subdivision {subdivision} is not in the site's country {country}",
                {"subdivision": self.subdivision, "country": self.country},
            )
        elif implied is not None and implied != self.subdivision:
            raise PydanticCustomError(
                "subdivision_province",
                "subdivision {subdivision} disagrees with province {province}",
                {"subdivision": self.subdivision, "province": self.province},
            )
        if self.free_zone_name and not self.free_zone:
            raise PydanticCustomError(
                "free_zone_name", "free_zone_name is given but free_zone is not true", {}
            )
        return self


class Line(Model):
    sku: str = Field(min_length=1)
    quantity: Count
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
    ship_date: MapDate
    freight: Amount | None = None
    insurance: Amount | None = None
    origin_inland_freight: Amount | None = None
    related_parties: bool = False
    available_from: MapDate | None = Field(
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
    date: MapDate
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
