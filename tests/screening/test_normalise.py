"""Name normalisation cases: legal forms, transliteration, OFAC's ``LAST, First``."""

from __future__ import annotations

import pytest

from rackclear.screening.normalise import normalise, person_name_order

SAME = [
    ("Acme Trading Co., Ltd.", "ACME TRADING LIMITED"),
    ("Acme Trading GmbH", "acme trading llc"),
    ("Grupo Ferretero S.A. de C.V.", "GRUPO FERRETERO SA DE CV"),
    ("Gazprombank, OOO", "OAO Gazprombank"),
    ("Gazprombank JSC", "Joint Stock Company Gazprombank"),
    ("Alpha Pte. Ltd.", "ALPHA PVT LTD"),
    ("Sberbank AG", "Sberbank B.V."),
    ("Tech Inc", "Tech Corp."),
    ("ООО «Газпромбанк»", "Gazprombank LLC"),
    ("Şahin Makina A.Ş.", "Sahin Makina AS"),
    ("Iran Aircraft Manufacturing", "MANUFACTURING IRAN AIRCRAFT"),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_same_key(one: str, other: str) -> None:
    assert normalise(one).key == normalise(other).key


def test_legal_form_alone_is_kept() -> None:
    assert normalise("Company Limited").key == "company limited"


def test_forms_are_reported() -> None:
    assert normalise("Acme S.A. de C.V.").forms == ("sa de cv",)


@pytest.mark.parametrize(
    ("written", "turned"),
    [
        ("LOGAN MOREY, Elvis Angus", "Elvis Angus LOGAN MOREY"),
        ("AL-'UBAYSI, Mus'id", "Mus'id AL-'UBAYSI"),
        ("Daniel MORENO", "Daniel MORENO"),
        ("A, B, C", "A, B, C"),
    ],
)
def test_person_name_order(written: str, turned: str) -> None:
    assert person_name_order(written) == turned
