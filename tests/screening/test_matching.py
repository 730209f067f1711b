"""Matching on the real OFAC 2023 list: variants of listed names are found, an unrelated company
is not, evidence moves the score, and every result names its lists and versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from rackclear.screening import ALGORITHM, ScreeningIndex, load_lists, screen_parties

IAMI = "ofac-sdn:11195"


@pytest.fixture(scope="module")
def index(shared_data: Path) -> ScreeningIndex:
    sdn = shared_data / "ofac-sdn"
    return load_lists(
        [
            sdn / "sdn_2023-01.csv",
            sdn / "sdn_address_2023-01.csv",
            shared_data / "csl" / "csl_sample.csv",
        ]
    )


def _ids(index: ScreeningIndex, name: str, country: str | None = None) -> set[str]:
    return {m.entry_id for m in index.screen(name, country=country).matches}


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY", IAMI),  # exact
        ("Iran Aircraft Manufakturing Industrial Company", IAMI),  # typo
        ("Industrial Company Iran Aircraft Manufacturing", IAMI),  # word order
        ("Iran Aircraft Manufacturing Industrial Co., Ltd.", IAMI),  # legal-form change
        ("HAVAPEYMA SAZI IRAN", IAMI),  # alias from the Remarks
        ("Иран Эиркрафт Мануфактуринг Индастриал", IAMI),  # Cyrillic
        (
            "Газпромбанк Управление Активами",
            "csl:Sectoral Sanctions Identifications List (SSI) - Treasury Department:20298",
        ),
        ("Mahan Air", "ofac-sdn:12927"),
        ("Elvis Angus Logan Morey", "ofac-sdn:10278"),  # a person, OFAC's LAST, First turned
    ],
)
def test_variants_are_found(index: ScreeningIndex, name: str, entry_id: str) -> None:
    assert entry_id in _ids(index, name)


def test_clean_company_not_found(index: ScreeningIndex) -> None:
    assert index.screen("Northwind Optical Systems GmbH", country="DE").matches == []
    assert index.screen("Hewlett Packard Enterprise", country="US").matches == []


def test_country_contradiction_lowers_score(index: ScreeningIndex) -> None:
    name = "Iran Aircraft Manufacturing Industrial Company"
    same = index.screen(name, country="IR").matches[0]
    other = index.screen(name, country="SE", threshold=0.5)
    contradicted = next(m for m in other.matches if m.entry_id == same.entry_id)
    assert contradicted.score < same.score
    assert "country_mismatch" in {f.feature for f in contradicted.explanation}


def test_explanation_adds_up(index: ScreeningIndex) -> None:
    match = index.screen("Iran Aircraft Manufacturing Industrial Co.", country="IR").matches[0]
    features = {f.feature: f for f in match.explanation}
    assert {
        "name_similarity",
        "legal_form_stripped_exact",
        "token_overlap",
        "country_match",
    } <= set(features)
    assert match.score == min(1.0, round(sum(f.contribution for f in match.explanation), 4))
    assert match.matched_name and match.name == "IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY"


def test_threshold_respected(index: ScreeningIndex) -> None:
    loose = index.screen("Iran Aircraft Manufacturers", threshold=0.6)
    strict = index.screen("Iran Aircraft Manufacturers", threshold=0.95)
    assert all(m.score >= 0.6 for m in loose.matches) and all(
        m.score >= 0.95 for m in strict.matches
    )
    assert len(strict.matches) < len(loose.matches)


def test_list_versions_recorded(index: ScreeningIndex) -> None:
    result = index.screen("Mahan Air")
    assert result.algorithm == ALGORITHM == "rackclear-match-v1"
    assert ("Specially Designated Nationals (SDN) - Treasury Department", "2023-01") in {
        (item.name, item.version) for item in result.lists
    }
    assert result.matches[0].list_version == "2023-01"


def test_screen_parties(index: ScreeningIndex) -> None:
    hits = screen_parties(
        index, [("buyer", "Mahan Air", "IR"), ("consignee", "Northwind Optical Systems GmbH", "DE")]
    )
    assert {hit.party_id for hit in hits} == {"buyer"}
    assert hits[0].match.entry_id == "ofac-sdn:12927" and hits[0].lists
    assert hits[0].to_dict()["match"]["explanation"]  # type: ignore[index]
