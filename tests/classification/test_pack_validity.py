"""The built-in packs' codes are real: every family subheading, alternative and jurisdiction view
exists in HS 2022; every tariff line's six digits exist in HS 2022; every US national line of the
classification mappings exists in the USITC HTS file (2024 edition; a line dated after 2024 would
need its own citation, and none is yet)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from rackclear.importers.cbsa_tariff import read_cbsa
from rackclear.importers.usitc_hts import read_hts
from rackclear.rulebook import Rulebook
from rackclear.rulebook.tariff import digits


def _hs6(shared_data: Path) -> set[str]:
    with (shared_data / "hs2022" / "harmonized-system.csv").open(encoding="utf-8") as handle:
        return {row["hscode"] for row in csv.DictReader(handle) if row["level"] == "6"}


def test_family_codes_exist_in_hs2022(shared_data: Path, book: Rulebook) -> None:
    hs6 = _hs6(shared_data)
    families = book.packs["classification"].families
    assert families is not None
    for family in families.families:
        assert digits(family.hs6) in hs6, family.id
        for alt in family.alternatives:
            assert digits(alt.hs6) in hs6, (family.id, alt.hs6)
        for view in family.jurisdictions.values():
            assert digits(view.hs6) in hs6, (family.id, view.hs6)


def test_tariff_lines_exist_in_hs2022(shared_data: Path, book: Rulebook) -> None:
    hs6 = _hs6(shared_data)
    for pack in book.packs.values():
        for line in pack.tariff.lines.values() if pack.tariff else []:
            if len(digits(line.code)) >= 6:
                assert digits(line.code)[:6] in hs6, (pack.meta.id, line.code)


def test_us_national_lines_exist_in_the_hts(shared_data: Path, book: Rulebook) -> None:
    hts = {line.code for line in read_hts(shared_data / "us-hts" / "hts_2024_basic_edition.csv")}
    us = book.packs["us"].national_lines
    assert us is not None
    for family in us.families():
        for row in us.for_family(family, date(2024, 6, 1)) + us.for_family(
            family, date(2021, 6, 1)
        ):
            assert row.line in hts, (family, row.line)


def test_ca_national_lines_exist_in_the_cbsa_tariff(shared_data: Path, book: Rulebook) -> None:
    items = {
        i.code
        for i in read_cbsa(shared_data / "ca-tariff" / "ca_customs_tariff_2026_rev3_extract.csv")
    }
    ca = book.packs["ca"].national_lines
    assert ca is not None
    for family in ca.families():
        for row in ca.for_family(family, date(2026, 11, 23)):
            assert row.line in items, (family, row.line)
