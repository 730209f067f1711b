"""Regional value content under CUSMA Art. 4.5, in exact decimals.

Transaction value method (Art. 4.5(2)): ``RVC = (TV - VNM) / TV x 100``, where TV is adjusted
to exclude any costs incurred in the international shipment of the good. Net cost method
(Art. 4.5(3)): ``RVC = (NC - VNM) / NC x 100``. The percentage is shown to two places,
half-up; a threshold is compared with the exact figure.

>>> transaction_value_rvc(Decimal("100000"), Decimal("40000")).rvc
Decimal('60.00')
>>> net_cost_rvc(Decimal("80000"), Decimal("40000")).rvc
Decimal('50.00')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Protocol

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.errors import UserError
from rackclear.rulebook.lookup import Lookup

Method = Literal["transaction_value", "net_cost"]
PACK = "cusma"
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


class RvcInputError(UserError, ValueError):
    """An RVC input is not usable (missing, not positive, VNM above the base ...).

    A ``UserError`` (the CLI exits 2) and a ``ValueError`` (for library callers)."""


class ParameterSource(Protocol):
    """What the calculators need of a rulebook: ``Rulebook.parameter``."""

    def parameter(self, pack_id: str, name: str, when: date) -> Lookup: ...


@dataclass(frozen=True, slots=True)
class BomMaterial:
    """One line of a bill of materials. ``originating`` None means not known: never assumed."""

    description: str
    hs: str
    value: Decimal
    originating: bool | None

    @staticmethod
    def of(raw: BomMaterial | dict[str, Any]) -> BomMaterial:
        if isinstance(raw, BomMaterial):
            return raw
        try:
            value = _decimal(raw["value"], f"material {raw.get('description', '?')!r}: value")
            originating = raw.get("originating")
            if originating is not None and not isinstance(originating, bool):
                raise RvcInputError(
                    f"material {raw.get('description', '?')!r}: originating must be true, false or null"
                )
            return BomMaterial(str(raw["description"]), str(raw["hs"]), value, originating)
        except KeyError as exc:
            raise RvcInputError(f"a material lacks {exc.args[0]!r}") from None


@dataclass(slots=True)
class RvcResult:
    """An RVC figure with the steps that produced it. ``rvc`` None means needs data."""

    method: Method
    rvc: Decimal | None
    exact: Decimal | None
    base: Decimal | None
    vnm: Decimal | None
    threshold: Decimal | None = None
    qualifies: bool | None = None
    missing: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    citation: Citation | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method.replace("_", "-"),
            "rvc": _pct(self.rvc),
            "base": _text(self.base),
            "vnm": _text(self.vnm),
            "threshold": _pct(self.threshold),
            "qualifies": self.qualifies,
            "missing": list(self.missing),
            "steps": [s.to_dict() for s in self.steps],
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(TWO_PLACES, ROUND_HALF_UP):f}"


def _decimal(raw: object, what: str) -> Decimal:
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | str) and not isinstance(raw, bool):
        try:
            value = Decimal(str(raw).strip())
        except ArithmeticError:
            raise RvcInputError(f"{what}: {raw!r} is not a number") from None
    else:
        raise RvcInputError(f"{what}: {raw!r} is not a number (give a string or Decimal)")
    if not value.is_finite():
        raise RvcInputError(f"{what}: {raw!r} is not a finite number")
    return value


def _positive(value: Decimal, what: str) -> Decimal:
    if value <= 0:
        raise RvcInputError(f"{what}: {value} must be positive")
    return value


def _non_negative(value: Decimal, what: str) -> Decimal:
    if value < 0:
        raise RvcInputError(f"{what}: {value} must not be negative")
    return value


def _formula(
    book: ParameterSource | None, when: date | None
) -> tuple[Lookup | None, Citation | None]:
    if book is None or when is None:
        return None, None
    found = book.parameter(PACK, "rvc", when)
    return found, found.citation if found.usable else None


def transaction_value_rvc(
    transaction_value: Decimal,
    vnm: Decimal,
    *,
    international_shipping: Decimal = ZERO,
    threshold: Decimal | None = None,
    book: ParameterSource | None = None,
    when: date | None = None,
) -> RvcResult:
    """RVC by the transaction value method (CUSMA Art. 4.5(2)).

    ``international_shipping`` is the part of ``transaction_value`` incurred in the
    international shipment of the good (freight, insurance of that shipment); it is excluded."""
    tv = _positive(_decimal(transaction_value, "transaction value"), "transaction value")
    ship = _non_negative(
        _decimal(international_shipping, "international shipping"), "international shipping"
    )
    vnm_ = _non_negative(_decimal(vnm, "VNM"), "VNM")
    if ship >= tv:
        raise RvcInputError(
            f"international shipping: {ship} must be less than the transaction value {tv}"
        )
    adjusted = tv - ship
    if vnm_ > adjusted:
        raise RvcInputError(
            f"VNM: {vnm_} exceeds the adjusted transaction value {adjusted} (VNM must not exceed the base)"
        )
    lookup, citation = _formula(book, when)
    steps = [Step("Transaction value of the good (TV)", f"{tv:f}", citation)]
    if ship:
        steps.append(
            Step(
                "TV adjusted to exclude any costs incurred in the international shipment of the good (CUSMA Art. 4.5(2))",
                f"{tv:f} - {ship:f} = {adjusted:f}",
                citation,
            )
        )
    return _finish("transaction_value", adjusted, vnm_, threshold, steps, citation, lookup, "TV")


def net_cost_rvc(
    net_cost: Decimal,
    vnm: Decimal,
    *,
    threshold: Decimal | None = None,
    book: ParameterSource | None = None,
    when: date | None = None,
) -> RvcResult:
    """RVC by the net cost method (CUSMA Art. 4.5(3))."""
    nc = _positive(_decimal(net_cost, "net cost"), "net cost")
    vnm_ = _non_negative(_decimal(vnm, "VNM"), "VNM")
    if vnm_ > nc:
        raise RvcInputError(f"VNM: {vnm_} exceeds the net cost {nc} (VNM must not exceed the base)")
    lookup, citation = _formula(book, when)
    steps = [Step("Net cost of the good (NC)", f"{nc:f}", citation)]
    return _finish("net_cost", nc, vnm_, threshold, steps, citation, lookup, "NC")


def _finish(
    method: Method,
    base: Decimal,
    vnm: Decimal,
    threshold: Decimal | None,
    steps: list[Step],
    citation: Citation | None,
    lookup: Lookup | None,
    name: str,
) -> RvcResult:
    if lookup is not None and not lookup.usable:
        steps.append(
            Step(
                f"cusma.rvc is {lookup.status.value} on {lookup.as_of}: the formula is applied uncited"
            )
        )
    exact = (base - vnm) / base * HUNDRED
    shown = exact.quantize(TWO_PLACES, ROUND_HALF_UP)
    article = "4.5(2)" if method == "transaction_value" else "4.5(3)"
    steps.append(Step("Value of non-originating materials (VNM)", f"{vnm:f}", citation))
    steps.append(
        Step(
            f"RVC = ({name} - VNM) / {name} x 100 (CUSMA Art. {article}), two places half-up",
            f"({base:f} - {vnm:f}) / {base:f} x 100 = {shown:f} %",
            citation,
        )
    )
    result = RvcResult(method, shown, exact, base, vnm, steps=steps, citation=citation)
    if threshold is not None:
        limit = _decimal(threshold, "threshold")
        if not ZERO <= limit <= HUNDRED:
            raise RvcInputError(f"threshold: {limit} must be between 0 and 100")
        result.threshold = limit
        result.qualifies = exact >= limit
        steps.append(
            Step(
                f"RVC not less than {limit:f} %?",
                f"{shown:f} % {'>=' if result.qualifies else '<'} {limit:f} %: "
                + ("meets the threshold" if result.qualifies else "below the threshold"),
            )
        )
    return result


def rvc_from_bom(
    method: Method,
    base: Decimal,
    materials: Sequence[BomMaterial | dict[str, Any]],
    *,
    international_shipping: Decimal = ZERO,
    threshold: Decimal | None = None,
    book: ParameterSource | None = None,
    when: date | None = None,
) -> RvcResult:
    """RVC from a bill of materials: VNM is the sum of the non-originating materials.

    A material whose ``originating`` is None is never assumed originating: the result then
    needs data (``rvc`` None), and ``missing`` names each such material."""
    items = [BomMaterial.of(m) for m in materials]
    for item in items:
        _non_negative(item.value, f"material {item.description!r}: value")
    unknown = [m for m in items if m.originating is None]
    if unknown:
        missing = [
            f"originating status of {m.description} ({m.hs}, value {m.value:f})" for m in unknown
        ]
        steps = [
            Step(
                "VNM cannot be computed: the origin of some materials is not known, and a material of undetermined origin is never taken as originating",
                "; ".join(missing),
            )
        ]
        return RvcResult(method, None, None, base, None, _maybe(threshold), None, missing, steps)
    vnm = sum((m.value for m in items if not m.originating), ZERO)
    listed = ", ".join(f"{m.description} {m.value:f}" for m in items if not m.originating) or "none"
    if method == "transaction_value":
        result = transaction_value_rvc(
            base,
            vnm,
            international_shipping=international_shipping,
            threshold=threshold,
            book=book,
            when=when,
        )
    else:
        result = net_cost_rvc(base, vnm, threshold=threshold, book=book, when=when)
    result.steps.insert(
        0, Step("VNM = sum of the non-originating materials", f"{listed} = {vnm:f}")
    )
    return result


def _maybe(threshold: Decimal | None) -> Decimal | None:
    return None if threshold is None else _decimal(threshold, "threshold")
