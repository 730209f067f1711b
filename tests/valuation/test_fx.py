"""Exchange rates: exact ECB cross rates, pegs, user-supplied rates in both directions, and when a
rate counts as projected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rackclear.domain.deployment import FxRate
from rackclear.rulebook import Rulebook
from rackclear.valuation.fx import FxService, ecb_history


def test_ecb_cross_rate_is_exact(book: Rulebook) -> None:
    # ECB reference rates of 2024-01-02 (eurofxref-hist): USD 1.0956, JPY 155.68 per EUR.
    fx = FxService(book, date(2026, 11, 23)).rate("USD", "JPY", date(2024, 1, 2))
    assert fx.rate == (Decimal("155.68") / Decimal("1.0956")).quantize(Decimal("0.0000000001"))
    assert fx.rate_date == date(2024, 1, 2) and not fx.projected


def test_weekend_uses_the_last_published_rate_without_projection(book: Rulebook) -> None:
    fx = FxService(book, date(2026, 11, 23)).rate("USD", "EUR", date(2024, 1, 6))  # a Saturday
    assert fx.rate_date == date(2024, 1, 5) and not fx.projected


def test_future_date_is_projected(book: Rulebook) -> None:
    fx = FxService(book, date(2026, 11, 23)).rate("USD", "EUR", date(2027, 3, 1))
    assert fx.projected and fx.rate_date == ecb_history().last


def test_peg_gives_the_cited_rate(book: Rulebook) -> None:
    fx = FxService(book, date(2026, 11, 23)).rate("USD", "SAR", date(2026, 6, 1))
    assert fx.rate == Decimal("3.75")


def test_twd_has_no_rate(book: Rulebook) -> None:
    assert FxService(book, date(2026, 11, 23)).rate("USD", "TWD", date(2026, 6, 1)).rate is None


def test_user_rate_serves_both_directions(book: Rulebook) -> None:
    supplied = FxRate(
        currency="USD",
        to="TWD",
        date=date(2026, 11, 2),
        rate=Decimal("32"),
        source="Customs ten-day table",
    )
    service = FxService(book, date(2026, 11, 23), [supplied])
    assert service.rate("USD", "TWD", date(2026, 11, 10)).rate == Decimal(32)
    back = service.rate("TWD", "USD", date(2026, 11, 10))
    assert back.rate == Decimal("0.0312500000") and back.source == "map"


def test_discontinued_currency_has_no_current_rate(book: Rulebook) -> None:
    # the ECB suspended the RUB reference rate in March 2022
    service = FxService(book, date(2026, 11, 23))
    assert service.rate("RUB", "EUR", date(2026, 6, 1)).rate is None
    assert service.rate("RUB", "EUR", date(2021, 6, 1)).rate is not None
