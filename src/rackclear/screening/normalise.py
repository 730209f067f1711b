"""Name normalisation for screening: Latin script, lower case, no punctuation, legal forms
removed, tokens sorted. Both the list names and the screened names go through the same steps.

Legal forms (``legal_forms.txt``) are removed wherever they stand, except those marked
``(edge)``: short forms that are also name words (``pt``, ``ao``, ``sia`` …) are removed only at
the start or the end of a name. Generic words (``generic_words.txt``: ``holding``, ``trading``
…) are kept but set apart, so that scoring can weigh the distinctive words.

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
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_DOT_BEFORE_SPACE = re.compile(r"\.(?=\s|$|,)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SOUND_OF = {
    "dzh": "j", "dj": "j", "zh": "j", "shch": "s", "sch": "s", "sh": "s", "ch": "c",
    "kh": "h", "gh": "g", "ph": "f", "th": "t", "ck": "k", "q": "k", "c": "k",
    "w": "v", "y": "i", "ts": "s", "tz": "s", "z": "s",
    "x": "ks",
}  # fmt: skip
_SOUNDS = re.compile("|".join(sorted(_SOUND_OF, key=len, reverse=True)))
_SOUNDS_KEEPING_X = re.compile("|".join(sorted(set(_SOUND_OF) - {"x"}, key=len, reverse=True)))
_VOWELS = re.compile(r"[aeiou]+")
EDGE = "(edge)"
_LAST_FIRST = re.compile(r"^\s*([^,]+?)\s*,\s*([^,]+?)\s*$")
MIN_SCREENABLE_CHARACTERS = 2
MAX_NAME_CHARS = 4096  # the longest name or alias of OFAC's 2023 SDN file has 165
MAX_WORDS = 64  # ... and 25 words
MAX_WORD_CHARS = 64  # ... and its longest word 24 letters
MIN_FUZZY_GENERIC = 6


class NormalName(NamedTuple):
    """A name ready to compare (a named tuple: made for every name screened, so made fast).

    ``tokens`` in their order, legal forms removed; ``key`` the same sorted; ``ordered`` as
    written; ``forms`` the legal forms removed; ``full`` sorted with the legal forms kept;
    ``sounds``/``sound`` the tokens as they sound, and sorted; ``full_sound`` ``full`` as it
    sounds (legal forms written in another script still meet); ``form_like`` legal forms were
    removed or a word sounds like a legal form's word (a form in another script, scrambled or
    cut: comparing with the legal forms kept may help); ``blocking`` the words to find
    candidates by (``sounds``, and for a word with an ``x`` the sound keeping it, so that a
    mistyped ``x`` stays one letter); ``shapes``/``shape`` the sounds with vowels blurred
    (:func:`shape`), and sorted: equal for spellings that differ only in their vowels;
    ``distinct`` the tokens that are not generic words (all of them if each one is), with their
    ``distinct_sounds`` and ``distinct_shapes``; ``generic`` the generic words (``holding``,
    ``trading`` …); ``screenable`` false when the name holds nothing to screen (empty,
    punctuation or legal forms alone, or over ``MAX_NAME_CHARS`` characters or ``MAX_WORDS``
    words); ``note`` says which words were cut to ``MAX_WORD_CHARS`` letters, or left out past
    ``MAX_WORDS``, for comparing (empty for every real name)."""

    tokens: tuple[str, ...]
    key: str
    ordered: str
    forms: tuple[str, ...]
    full: str
    sounds: tuple[str, ...]
    sound: str
    full_sound: str
    form_like: bool
    blocking: tuple[str, ...]
    shapes: tuple[str, ...]
    shape: str
    distinct: tuple[str, ...]
    generic: tuple[str, ...]
    distinct_sounds: tuple[str, ...]
    distinct_shapes: tuple[str, ...]
    screenable: bool
    note: str = ""


def _data_lines(file: str) -> list[str]:
    text = resources.files("rackclear.screening").joinpath(file).read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def legal_forms() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The legal-form phrases of ``legal_forms.txt`` by first word, longest first."""
    phrases = {tuple(line.removesuffix(EDGE).split()) for line in _data_lines("legal_forms.txt")}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=lambda p: (-len(p), p)):
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in by_first.items()}


@lru_cache(maxsize=1)
def edge_forms() -> frozenset[tuple[str, ...]]:
    """The legal forms marked ``(edge)``: removed only at the start or the end of a name."""
    lines = _data_lines("legal_forms.txt")
    return frozenset(
        tuple(line.removesuffix(EDGE).split()) for line in lines if line.endswith(EDGE)
    )


@lru_cache(maxsize=1)
def _form_sounds() -> frozenset[str]:
    """The sound of every word of every legal form."""
    return frozenset(
        sound(word) for phrases in legal_forms().values() for p in phrases for word in p
    )


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """The words of ``generic_words.txt``: common in company names, so weak evidence."""
    return frozenset(_data_lines("generic_words.txt"))


@lru_cache(maxsize=1)
def _generic_sounds() -> tuple[frozenset[str], tuple[str, ...]]:
    sounds = {sound(word) for word in generic_words()}
    return frozenset(sounds), tuple(sorted(s for s in sounds if len(s) >= MIN_FUZZY_GENERIC))


def is_generic(token: str, sounded: str | None = None) -> bool:
    """A generic word, as written, as it sounds, or (from six letters) one typo away.

    >>> is_generic("holding"), is_generic("manufakturing"), is_generic("holdin"), is_generic("sham")
    (True, True, True, False)
    """
    if token in generic_words():
        return True
    sounded = sound(token) if sounded is None else sounded
    exact, long = _generic_sounds()
    if sounded in exact:
        return True
    if len(sounded) < MIN_FUZZY_GENERIC - 1:
        return False
    return (
        process.extractOne(sounded, long, scorer=Levenshtein.distance, score_cutoff=1) is not None
    )


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
    """Remove legal-form phrases; keep the tokens if nothing else would be left. A form marked
    ``(edge)`` goes only where nothing but legal forms stands between it and an end of the name.

    >>> strip_forms(["acme", "trading", "co", "ltd"])
    (['acme', 'trading'], ['co ltd'])
    >>> strip_forms(["pt", "acme", "pt", "indonesia", "ao"])
    (['acme', 'pt', 'indonesia'], ['pt', 'ao'])
    """
    by_first = legal_forms()
    if not any(token in by_first for token in tokens):
        return tokens, []
    spans: list[tuple[int, tuple[str, ...] | None]] = []  # (start, form or None for a word)
    i = 0
    while i < len(tokens):
        phrase = _form_at(tokens, i)
        spans.append((i, phrase))
        i += len(phrase) if phrase else 1
    edge = edge_forms()
    forms = [phrase is not None for _, phrase in spans]
    lead = forms.index(False) if False in forms else len(spans)
    tail = len(spans) - (forms[::-1].index(False) if False in forms else len(spans))
    kept: list[str] = []
    found: list[str] = []
    for n, (start, phrase) in enumerate(spans):
        if phrase is not None and (phrase not in edge or n < lead or n >= tail):
            found.append(" ".join(phrase))
        else:
            kept.extend(tokens[start : start + len(phrase)] if phrase else [tokens[start]])
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
    simple = simplify(name)
    written, note = _bounded(simple)
    tokens, forms = strip_forms(written)
    words = [_word(t) for t in tokens]
    sounds = tuple([w[0] for w in words])
    shapes = tuple([w[1] for w in words])
    generic = [w[2] for w in words]
    distinct = [i for i, g in enumerate(generic) if not g] if any(generic) else range(len(tokens))
    full_sound = sounds if written is tokens else tuple([_word(t)[0] for t in written])
    return NormalName(
        tokens=tuple(tokens),
        key=" ".join(sorted(tokens)),
        ordered=" ".join(tokens),
        forms=tuple(forms),
        full=" ".join(sorted(written)),
        sounds=sounds,
        sound=" ".join(sorted(sounds)),
        full_sound=" ".join(sorted(full_sound)),
        form_like=bool(forms) or not _form_sounds().isdisjoint(sounds),
        blocking=sounds + tuple([w[3] for w in words if w[3]]),
        shapes=shapes,
        shape=" ".join(sorted(shapes)),
        distinct=tuple([tokens[i] for i in distinct]),
        generic=tuple([t for t, g in zip(tokens, generic, strict=True) if g]),
        distinct_sounds=tuple([sounds[i] for i in distinct]),
        distinct_shapes=tuple([shapes[i] for i in distinct]),
        screenable=sum(map(len, written)) >= MIN_SCREENABLE_CHARACTERS
        and (bool(forms) or not _only_forms(written))
        and len(simple) <= MAX_WORDS
        and len(name) <= MAX_NAME_CHARS,
        note=note,
    )


def _bounded(words: list[str]) -> tuple[list[str], str]:
    """At most ``MAX_WORDS`` words of at most ``MAX_WORD_CHARS`` letters (a 30,000-letter word
    would cost gigabytes of typo variants), and a note of what was cut, or "".

    >>> _bounded(["acme", "x" * 100])[1]
    'a word of 100 letters is compared on its first 64'
    """
    if len(words) <= MAX_WORDS and max(map(len, words), default=0) <= MAX_WORD_CHARS:
        return words, ""
    notes = [
        f"a word of {len(w):,} letters is compared on its first {MAX_WORD_CHARS}"
        for w in words[:MAX_WORDS]
        if len(w) > MAX_WORD_CHARS
    ]
    if len(words) > MAX_WORDS:
        notes.append(f"{len(words) - MAX_WORDS:,} words past the first {MAX_WORDS} are left out")
    return [w[:MAX_WORD_CHARS] for w in words[:MAX_WORDS]], "; ".join(notes)


@lru_cache(maxsize=262_144)
def _word(token: str) -> tuple[str, str, bool, str]:
    """A word's sound, shape, whether it is generic, and its sound keeping an ``x`` (or "")."""
    sounded = sound(token)
    kept_x = _SOUNDS_KEEPING_X.sub(_sound_of, token) if "x" in token else ""
    return sounded, shape(sounded), is_generic(token, sounded), kept_x


def _only_forms(written: list[str]) -> bool:
    """Every word is part of a legal form (``co ltd``, ``llc``), one at least not a short
    ``(edge)`` form: those alone (``SL``, ``AB``) may be a listed acronym, and are screened."""
    if not written or written[0] not in legal_forms():
        return False
    forms = _forms_in(written)
    return forms is not None and any(tuple(f.split()) not in edge_forms() for f in forms)


def _forms_in(written: list[str]) -> list[str] | None:
    """The legal forms that make up ``written`` whole, or ``None`` if another word is there."""
    forms: list[str] = []
    i = 0
    while i < len(written):
        phrase = _form_at(written, i)
        if phrase is None:
            return None
        forms.append(" ".join(phrase))
        i += len(phrase)
    return forms


def unscreenable_reason(name: str) -> str | None:
    """Why ``name`` cannot be screened, or ``None`` when it can.

    >>> unscreenable_reason("Acme LLC") is None, unscreenable_reason(" -- ")
    (True, 'it holds no letter or digit')
    >>> unscreenable_reason("Co., Ltd.")
    'it holds only legal-form words (co ltd), not a name'
    """
    normal = normalise(name)
    if normal.screenable:
        return None
    too_long = _too_long(name)
    if too_long:
        return too_long
    if not normal.tokens:
        return "it holds no letter or digit"
    forms = _forms_in(list(normal.tokens))
    if forms is not None and _only_forms(list(normal.tokens)):
        return f"it holds only legal-form words ({', '.join(forms)}), not a name"
    return f"it is too short to screen ({MIN_SCREENABLE_CHARACTERS} letters or digits at least)"


def _too_long(name: str) -> str | None:
    if len(name) > MAX_NAME_CHARS:
        return f"it has {len(name):,} characters, more than the {MAX_NAME_CHARS:,} a name may have"
    words = len(simplify(name))
    if words > MAX_WORDS:
        return f"it has {words:,} words, more than the {MAX_WORDS} a name may have"
    return None


def is_screenable(name: str) -> bool:
    """Whether ``name`` can be screened: not empty, not punctuation alone, not legal-form words
    alone (``LLC``, ``Co., Ltd.``; a short form alone such as ``SL`` may be an acronym and is
    screened), and two letters or digits at least. A party whose name is not screenable is a
    blocker for the caller to raise: no list can clear it.

    >>> is_screenable("Mahan Air"), is_screenable(""), is_screenable("..."), is_screenable("LLC")
    (True, False, False, False)
    >>> is_screenable("Co., Ltd."), is_screenable("SL"), is_screenable("X")
    (False, True, False)
    """
    return normalise(name).screenable


def shape(sounded: str) -> str:
    """A sound token with each run of vowels written ``-``: spellings that differ only in their
    vowels (``hizballah``/``hezbollah``) have one shape.

    >>> shape(sound("hizballah")) == shape(sound("hezbollah")), shape(sound("hizballah"))
    (True, 'h-sb-ll-h')
    """
    return _VOWELS.sub("-", sounded)


def sound(token: str) -> str:
    """A word as it sounds, so that transliterations meet: ``kh``/``h``, ``c``/``k``, ``y``/``i``,
    ``dzh``/``j``, ``x``/``ks`` (no rule that a single typo could upset, such as merging doubled
    letters).

    >>> sound("elektroniks") == sound("electronics"), sound("dzhafar") == sound("jafar")
    (True, True)
    >>> sound("khoroshev") == sound("horoshev"), sound("dmitriy") == sound("dmitrii")
    (True, True)
    >>> sound("rosoboronexport") == sound("rosoboroneksport"), sound("aleksandr")
    (True, 'aleksandr')
    """
    return _SOUNDS.sub(_sound_of, token)


def _sound_of(match: re.Match[str]) -> str:
    return _SOUND_OF[match.group(0)]
