"""Estimates: an amount with its range, its grade of evidence and the part of it that rests on
firm values only. Unknown is never zero: ``value`` is ``None`` when some input has no value at
all, and ``low`` still carries what is known (a lower bound), ``high`` then being unbounded.

>>> from decimal import Decimal as D
>>> a = Estimate(D("100"), D("100"), D("100"), D("100"), "official")
>>> b = Estimate(D("3.30"), D("3.30"), D("3.30"), D("0"), "secondary")
>>> s = a + b
>>> s.value, s.firm, s.grade
(Decimal('103.30'), Decimal('100'), 'secondary')
>>> (s + Estimate.unknown()).value is None, (s + Estimate.unknown()).low
(True, Decimal('103.30'))
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rackclear.domain.grades import weaker

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Estimate:
    """``value`` (the estimate), ``low``/``high`` (the range), ``firm`` (resting on official,
    official-file, derived or user values only) and ``grade`` (the weakest input)."""

    value: Decimal | None
    low: Decimal
    high: Decimal | None
    firm: Decimal
    grade: str

    @staticmethod
    def exact(value: Decimal, grade: str, firm: bool) -> Estimate:
        return Estimate(value, value, value, value if firm else ZERO, grade)

    @staticmethod
    def unknown(low: Decimal = ZERO, firm: Decimal = ZERO, grade: str = "official") -> Estimate:
        return Estimate(None, low, None, firm, grade)

    @staticmethod
    def zero() -> Estimate:
        return Estimate(ZERO, ZERO, ZERO, ZERO, "official")

    def __add__(self, other: Estimate) -> Estimate:
        a, b = self.value, other.value
        h, k = self.high, other.high
        return Estimate(
            None if a is None or b is None else a + b,
            self.low + other.low,
            None if h is None or k is None else h + k,
            self.firm + other.firm,
            weaker(self.grade, other.grade),
        )

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def ranged(self) -> bool:
        return self.value is not None and (self.low != self.value or self.high != self.value)

    def scaled(self, factor: Decimal) -> Estimate:
        """The same estimate times a non-negative ``factor`` (an exchange rate, a share)."""
        return Estimate(
            None if self.value is None else self.value * factor,
            self.low * factor,
            None if self.high is None else self.high * factor,
            self.firm * factor,
            self.grade,
        )


def total(estimates: list[Estimate]) -> Estimate:
    out = Estimate.zero()
    for e in estimates:
        out = out + e
    return out
