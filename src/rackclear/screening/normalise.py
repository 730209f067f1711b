"""Name normalisation for screening: Latin script, lower case, no punctuation, legal forms
removed, tokens sorted. Both the list names and the screened names go through the same steps.

>>> normalise("Gazprombank, OOO").key
'gazprombank'
>>> normalise("ООО «Газпромбанк»").key
'gazprombank'
>>> normalise("S.A. de C.V. Grupo Ferretero").key
'ferretero grupo'
>>> normalise("Iran Aircraft Manufacturing Industrial Co., Ltd.").forms
('co ltd',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from anyascii import anyascii

_DOT_BEFORE_SPACE = re.compile(r"\.(?=\s|$|,)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SOUND_OF = {
    "dzh": "j", "dj": "j", "zh": "j", "shch": "s", "sch": "s", "sh": "s", "ch": "c",
    "kh": "h", "gh": "g", "ph": "f", "th": "t", "ck": "k", "q": "k", "c": "k",
    "w": "v", "y": "i", "ts": "s", "tz": "s", "z": "s",
}  # fmt: skip
_SOUNDS = re.compile("|".join(sorted(_SOUND_OF, key=len, reverse=True)))
_LAST_FIRST = re.compile(r"^\s*([^,]+?)\s*,\s*([^,]+?)\s*$")


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name ready to compare: ``tokens`` in their order (legal forms removed), ``key`` the same
    sorted, ``full`` sorted with the legal forms kept, ``sound`` sorted phonetic tokens."""

    tokens: tuple[str, ...]
    key: str
    ordered: str
    forms: tuple[str, ...]
    full: str
    sounds: tuple[str, ...]
    sound: str


@lru_cache(maxsize=1)
def legal_forms() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The legal-form phrases of ``legal_forms.txt`` by first word, longest first."""
    text = resources.files("rackclear.screening").joinpath("legal_forms.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    phrases = {tuple(line.split()) for line in lines if line and not line.startswith("#")}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=lambda p: (-len(p), p)):
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in by_first.items()}


def simplify(text: str) -> list[str]:
    """Latin script, lower case, punctuation gone, dotted abbreviations joined.

    >>> simplify("S.A. de C.V.")
    ['sa', 'de', 'cv']
    >>> simplify("Şırket «Ромашка»-Trade")
    ['sirket', 'romashka', 'trade']
    """
    latin = anyascii(text).lower()
    joined = _DOT_BEFORE_SPACE.sub(" ", latin).replace(".", "").replace("'", "")
    return [t for t in _NOT_WORD.split(joined) if t]


def strip_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Remove legal-form phrases; keep the tokens if nothing else would be left.

    >>> strip_forms(["acme", "trading", "co", "ltd"])
    (['acme', 'trading'], ['co ltd'])
    """
    kept: list[str] = []
    found: list[str] = []
    i = 0
    while i < len(tokens):
        phrase = _form_at(tokens, i)
        if phrase:
            found.append(" ".join(phrase))
            i += len(phrase)
        else:
            kept.append(tokens[i])
            i += 1
    return (kept, found) if kept else (tokens, [])


def _form_at(tokens: list[str], i: int) -> tuple[str, ...] | None:
    for phrase in legal_forms().get(tokens[i], ()):
        if tuple(tokens[i : i + len(phrase)]) == phrase:
            return phrase
    return None


def person_name_order(name: str) -> str:
    """OFAC's ``LAST, First`` as ``First LAST``; other names unchanged.

    >>> person_name_order("LOGAN MOREY, Elvis Angus")
    'Elvis Angus LOGAN MOREY'
    >>> person_name_order("Daniel MORENO")
    'Daniel MORENO'
    """
    match = _LAST_FIRST.match(name)
    return f"{match.group(2)} {match.group(1)}" if match else name


@lru_cache(maxsize=65_536)
def normalise(name: str) -> NormalName:
    """The comparable form of a name (cached: list names repeat across lists)."""
    written = simplify(name)
    tokens, forms = strip_forms(written)
    sounds = tuple(sound(t) for t in tokens)
    return NormalName(
        tokens=tuple(tokens),
        key=" ".join(sorted(tokens)),
        ordered=" ".join(tokens),
        forms=tuple(forms),
        full=" ".join(sorted(written)),
        sounds=sounds,
        sound=" ".join(sorted(sounds)),
    )


def sound(token: str) -> str:
    """A word as it sounds, so that transliterations meet: ``kh``/``h``, ``c``/``k``, ``y``/``i``,
    ``dzh``/``j`` (no rule that a single typo could upset, such as merging doubled letters).

    >>> sound("elektroniks") == sound("electronics"), sound("dzhafar") == sound("jafar")
    (True, True)
    >>> sound("khoroshev") == sound("horoshev"), sound("dmitriy") == sound("dmitrii")
    (True, True)
    """
    return _SOUNDS.sub(lambda m: _SOUND_OF[m.group(0)], token)
