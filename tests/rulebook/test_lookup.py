"""Lookups "as of" a date against the built-in packs, with values from the legal texts they cite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rackclear.rulebook import Rulebook, Status


def test_german_vat_follows_the_2020_temporary_cut(book: Rulebook) -> None:
    # UStG: 19 %, 16 % from 2020-07-01 to 2020-12-31, 19 % again from 2021-01-01.
    assert book.parameter("de", "vat_rate", date(2020, 6, 30)).value == "19"
    assert book.parameter("de", "vat_rate", date(2020, 7, 1)).value == "16"
    assert book.parameter("de", "vat_rate", date(2020, 12, 31)).value == "16"
    assert book.parameter("de", "vat_rate", date(2021, 1, 1)).value == "19"


def test_before_the_first_value_nothing_is_in_force(book: Rulebook) -> None:
    # Japan's national consumption tax is recorded from 2014-04-01 (6.3 %), an exact legal date
    found = book.parameter("jp", "consumption_tax_national_rate", date(2014, 3, 31))
    assert found.status is Status.NOT_IN_FORCE
    assert found.value is None and not found.usable and not found.estimable


def test_before_an_at_least_start_the_value_is_an_assumption(book: Rulebook) -> None:
    # Germany's 19 % is recorded from 2016-01-01, the start of the Duty27 history, which is only
    # "in force since at least": earlier dates get the value, graded assumption, never nothing
    found = book.parameter("de", "vat_rate", date(2015, 12, 31))
    assert found.value == "19" and found.estimable and not found.usable
    assert found.grade == "assumption" and found.start_unknown == date(2016, 1, 1)
    after = book.parameter("de", "vat_rate", date(2016, 1, 1))
    assert after.usable and after.grade == "official" and after.start_unknown is None


def test_extends_reaches_the_eu_pack(book: Rulebook) -> None:
    assert book.parameter("nl", "valuation_basis", date(2026, 1, 1)).value == "CIF"
    assert book.tariff("nl") is book.tariff("eu")


def test_singapore_gst_steps(book: Rulebook) -> None:
    # GST (Amendment) Act 2022: 8 % from 2023-01-01, 9 % from 2024-01-01.
    assert book.parameter("sg", "gst_rate", date(2022, 12, 31)).value == "7"
    assert book.parameter("sg", "gst_rate", date(2023, 1, 1)).value == "8"
    assert book.parameter("sg", "gst_rate", date(2024, 1, 1)).value == "9"


def test_mpf_bounds_by_fiscal_year(book: Rulebook) -> None:
    # 90 FR 34665: FY2026 minimum $33.58, maximum $651.50; FY2025 $32.71 / $634.62.
    assert book.parameter("us", "mpf_minimum", date(2025, 9, 30)).value == "32.71"
    assert book.parameter("us", "mpf_maximum", date(2025, 10, 1)).value == "651.50"
    fy2027 = book.parameter("us", "mpf_maximum", date(2026, 10, 1))
    assert fy2027.value == "651.50" and fy2027.citation is not None and fy2027.citation.provisional


def test_unverified_value_is_not_usable(book: Rulebook) -> None:
    found = book.parameter("tw", "trade_promotion_fee_rate", date(2026, 11, 23))
    assert found.status is Status.UNVERIFIED and not found.usable


def test_tariff_line_lookup_finds_beneath_and_enclosing(book: Rulebook) -> None:
    us = book.tariff("us")
    ca = book.tariff("ca")
    assert us is not None and ca is not None
    assert [line.code for line in us.find("8471.50")] == ["8471.50.0150"]
    assert [line.code for line in ca.find("8471.50.00.90")] == ["8471.50.00"]
    rate = ca.rate("8471.50.00", "MFN", date(2026, 11, 23))
    assert rate.usable and rate.value == Decimal(0)


def test_staleness_is_judged_against_as_of(book: Rulebook) -> None:
    assert not book.parameter("de", "vat_rate", date(2026, 11, 23)).is_stale()
    assert book.parameter("de", "vat_rate", date(2028, 1, 1)).is_stale()


def test_every_jurisdiction_of_the_product_has_a_pack(book: Rulebook) -> None:
    assert book.countries() == ["AE", "CA", "DE", "IN", "JP", "KR", "NL", "SA", "SG", "TW", "US"]
    versions = book.versions()
    assert set(versions) >= {
        "us",
        "ca",
        "eu",
        "de",
        "nl",
        "in",
        "jp",
        "kr",
        "tw",
        "sg",
        "ae",
        "sa",
        "fx",
        "incoterms",
    }
