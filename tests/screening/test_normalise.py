"""Name normalisation cases: legal forms (short ones only at an end of the name),
transliteration, OFAC's ``LAST, First``, and names with nothing to screen."""

from __future__ import annotations

import pytest

from rackclear.screening import is_screenable, unscreenable_reason
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


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Zakrytoe Aktsionernoe Obshchestvo Romashka", "romashka"),
        ("Закрытое акционерное общество «Ромашка»", "romashka"),
        ("Открытое акционерное общество Ромашка", "romashka"),
        ("Romashka Otkrytoe Aktsionernoe Obschestvo", "romashka"),
        ("Obschestvo s Ogranichennoy Otvetstvennostyu Romashka", "romashka"),
        ("Общество с ограниченной ответственностью Ромашка", "romashka"),
        ("PAO Romashka", "romashka"),
        ("AO Romashka", "romashka"),
        ("Beta Inzenjering d.o.o.", "beta inzenjering"),
        ("Beta Inzenjering DOO", "beta inzenjering"),
        ("Anadolu Makina Ltd. Şti.", "anadolu makina"),
        ("Anadolu Makina Sti", "anadolu makina"),
        ("Polimex Sp. z o.o.", "polimex"),
        ("Polimex sp z oo", "polimex"),
        ("Hanil Yuhan Hoesa", "hanil"),
        ("Hanil Chusik Hoesa", "hanil"),
        ("Toyota Kabushiki Kaisha", "toyota"),
        ("Toyota KK", "toyota"),
        ("PT Maju Jaya", "jaya maju"),
        ("UAB Baltic Optics", "baltic optics"),
        ("SIA Baltic Optics", "baltic optics"),
        ("Sofia Optics OOD", "optics sofia"),
        ("Sofia Optics EOOD", "optics sofia"),
    ],
)
def test_legal_forms_are_removed(written: str, key: str) -> None:
    assert normalise(written).key == key


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("Grupo PT Brasil", ("grupo", "pt", "brasil")),
        ("Banco Sao Paulo AO Vivo", ("banco", "sao", "paulo", "ao", "vivo")),
        ("Riga Sia Optics Ltd", ("riga", "sia", "optics")),
        ("PT Sia Indonesia Tbk", ("indonesia",)),  # forms at the start and at the end
    ],
)
def test_short_forms_are_removed_only_at_an_end(written: str, tokens: tuple[str, ...]) -> None:
    assert normalise(written).tokens == tokens


def test_sounds_meet_across_transliterations() -> None:
    assert normalise("Rosoboronexport").sound == normalise("ROSOBORONEKSPORT OAO").sound
    assert normalise("Hezbollah").shape == normalise("HIZBALLAH").shape == "h-sb-ll-h"


@pytest.mark.parametrize(
    ("name", "screenable", "reason"),
    [
        ("Mahan Air", True, None),
        ("SL", True, None),  # a short form alone may be an acronym (OFAC lists "SL")
        ("", False, "it holds no letter or digit"),
        (" .,;- ", False, "it holds no letter or digit"),
        ("LLC", False, "it holds only legal-form words (llc), not a name"),
        ("Co., Ltd.", False, "it holds only legal-form words (co ltd), not a name"),
        ("ООО", False, "it holds only legal-form words (ooo), not a name"),
        ("Limited Liability Company", False, "it holds only legal-form words"),
        ("X", False, "too short"),
    ],
)
def test_is_screenable(name: str, screenable: bool, reason: str | None) -> None:
    assert is_screenable(name) is screenable
    found = unscreenable_reason(name)
    assert (found is None) if reason is None else (found is not None and reason in found)
