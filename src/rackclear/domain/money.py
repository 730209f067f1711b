"""Exact money: ``Decimal`` amounts with an explicit currency and explicit rounding.

>>> m = Money(Decimal("1211.25"), "INR")
>>> m * Decimal("0.10")
Money(amount=Decimal('121.1250'), currency='INR')
>>> round_amount(Decimal("242.00775"), Rounding(places=0, mode="half_up"))
Decimal('242')
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

RoundingMode = Literal["half_up", "half_even", "down", "up"]

_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined without conversion."""


@dataclass(frozen=True, slots=True)
class Rounding:
    """How an authority rounds an amount: to ``places`` decimals (negative = tens, hundreds ...).

    ``step`` rounds to a multiple (e.g. 100 yen), overriding ``places`` when set.
    """

    places: int = 2
    mode: RoundingMode = "half_up"
    step: Decimal | None = None

    def describe(self) -> str:
        return _describe(self)


@lru_cache(maxsize=64)
def _describe(rounding: Rounding) -> str:
    unit = (
        f"a multiple of {rounding.step}" if rounding.step else f"{rounding.places} decimal places"
    )
    return f"rounded to {unit}, {rounding.mode.replace('_', ' ')}"


_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(-6, 13)}
ONE = Decimal(1)


def round_amount(amount: Decimal, rounding: Rounding) -> Decimal:
    """Round ``amount`` as ``rounding`` says."""
    mode = _MODES[rounding.mode]
    if rounding.step is not None:
        units = (amount / rounding.step).quantize(ONE, rounding=mode)
        return units * rounding.step
    exponent = _EXPONENTS.get(rounding.places) or ONE.scaleb(-rounding.places)
    return amount.quantize(exponent, rounding=mode)


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one ISO 4217 currency."""

    amount: Decimal
    currency: str

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal) -> Money:
        return Money(self.amount * factor, self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")

    def rounded(self, rounding: Rounding) -> Money:
        return Money(round_amount(self.amount, rounding), self.currency)

    def text(self) -> str:
        return f"{self.amount:,} {self.currency}"

    @staticmethod
    def zero(currency: str) -> Money:
        return Money(ZERO, currency)


def percent_of(base: Decimal, rate_percent: Decimal) -> Decimal:
    """``rate_percent`` % of ``base``, exact."""
    return base * rate_percent / HUNDRED


def as_text(amount: Decimal) -> str:
    """A decimal as a plain string without exponent (for JSON)."""
    text = format(amount, "f")
    return text
