"""Importers on the real official files in ../shared/data, and the packs checked against them:
a verified rate in a pack must equal the official file it cites."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rackclear.importers.cbsa_tariff import read_cbsa
from rackclear.importers.common import ImportFileError
from rackclear.importers.eu_tariff import read_eu_duties
from rackclear.importers.eu_vat import read_eu_vat
from rackclear.importers.usitc_hts import read_hts
from rackclear.rulebook import Rulebook
from rackclear.rulebook.tariff import digits

HTS = "us-hts/hts_2024_basic_edition.csv"
CBSA = "ca-tariff/ca_customs_tariff_2026_rev3_extract.csv"
EU_DUTY = "eu-duties/eu_duty_by_origin_ch84_85_extract.csv"
EU_VAT = "eu-vat/eu_standard_vat_history_duty27.csv"


def test_hts_lines_and_inherited_rates(shared_data: Path) -> None:
    lines = {line.code: line for line in read_hts(shared_data / HTS)}
    server = lines["8471.50.0150"]
    assert server.general == "Free" and server.column2 == "35%" and server.is_statistical
    assert (
        "Processing units other than those of subheading 8471.41 or 8471.49" in server.description
    )
    assert lines["8523.51.0000"].column2 == "80%"
    assert lines["9403.20.0082"].column2 == "45%"
    assert lines["8544.42.9090"].general == "2.6%"  # inherited from 8544.42.90
    assert lines["8419.89.9540"].general == "4.2%"
    assert server.provenance.row > 1


def test_hts_importer_refuses_another_layout(shared_data: Path) -> None:
    with pytest.raises(ImportFileError, match="not a USITC HTS CSV export"):
        list(read_hts(shared_data / CBSA))


def test_cbsa_items_and_treatments(shared_data: Path) -> None:
    items = {i.code: i for i in read_cbsa(shared_data / CBSA)}
    server = items["8471.50.00"]
    assert (
        server.rates["MFN"] == "Free"
        and server.rates["UST"] == "Free"
        and server.rates["MXT"] == "Free"
    )
    assert server.rates["General Tariff"] == "35%"
    assert server.effective == date(2026, 9, 1)
    assert items["8471.50.00.90"].rates["MFN"] == "Free"  # inherited from the tariff item
    assert "8517.62.00" not in items  # FACTS.md: 8517.62 is not in the extract


def test_cbsa_importer_refuses_another_layout(shared_data: Path) -> None:
    with pytest.raises(ImportFileError, match="not a CBSA tariff export"):
        list(read_cbsa(shared_data / HTS))


def test_eu_vat_history(shared_data: Path) -> None:
    de = [(v.valid_from, v.rate) for v in read_eu_vat(shared_data / EU_VAT) if v.country == "DE"]
    assert de == [
        (date(2016, 1, 1), Decimal(19)),
        (date(2020, 7, 1), Decimal(16)),
        (date(2021, 1, 1), Decimal(19)),
    ]


def test_invalid_file_is_refused(shared_data: Path) -> None:
    with pytest.raises(ImportFileError):
        list(read_eu_vat(shared_data / "csl" / "invalid_csl.csv"))


def test_us_pack_agrees_with_the_hts(shared_data: Path, book: Rulebook) -> None:
    lines = {line.code: line for line in read_hts(shared_data / HTS)}
    tariff = book.tariff("us")
    assert tariff is not None
    checked = 0
    for line in tariff.lines.values():
        official = lines[line.code]
        for column, printed in (("MFN", official.general), ("COL2", official.column2)):
            found = tariff.rate(line.code, column, date(2026, 11, 23))
            want = Decimal(0) if printed == "Free" else Decimal(printed.rstrip("%"))
            assert found.usable and found.value == want, (line.code, column)
            checked += 1
    assert checked == 2 * len(tariff.lines) >= 80


def test_ca_pack_agrees_with_the_cbsa_tariff(shared_data: Path, book: Rulebook) -> None:
    items = {digits(i.code): i for i in read_cbsa(shared_data / CBSA)}
    tariff = book.tariff("ca")
    assert tariff is not None
    verified = 0
    for key, line in tariff.lines.items():
        for column in ("MFN", "UST", "MXT"):
            found = tariff.rate(line.code, column, date(2026, 11, 23))
            if not found.usable:
                assert key not in items, (
                    f"{line.code} is in the official file but unverified in the pack"
                )
                continue
            printed = items[key].rates[column]
            assert found.value == (
                Decimal(0) if printed == "Free" else Decimal(printed.rstrip("%"))
            ), line.code
            verified += 1
    assert verified == 57  # 19 tariff items x MFN, UST, MXT


def test_eu_pack_agrees_with_the_taric_extract(shared_data: Path, book: Rulebook) -> None:
    erga_omnes = {
        d.hs6.replace(".", ""): d
        for d in read_eu_duties(shared_data / EU_DUTY)
        if d.origin == "ALL (MFN)"
    }
    tariff = book.tariff("eu")
    assert tariff is not None
    checked = 0
    for key, line in tariff.lines.items():
        found = tariff.rate(line.code, "MFN", date(2026, 11, 23))
        official = erga_omnes.get(key[:6])
        if found.usable:
            assert official is not None and official.uniform and official.duty_min == found.value, (
                line.code
            )
            checked += 1
        elif official is not None and official.uniform:
            pytest.fail(
                f"{line.code}: the extract gives a uniform {official.duty_min} % but the pack has it unverified"
            )
    assert checked >= 12


def test_de_and_nl_vat_agree_with_the_vat_history(shared_data: Path, book: Rulebook) -> None:
    for rate in read_eu_vat(shared_data / EU_VAT):
        if rate.country in ("DE", "NL"):
            found = book.parameter(rate.country.lower(), "vat_rate", rate.valid_from)
            assert Decimal(found.value) == rate.rate, (rate.country, rate.valid_from)
