"""The matching algorithm ``rackclear-match-v2``: a name similarity plus evidence, each a small
feature with a value, a contribution to the score and a detail a person can read. A change of
behaviour is a new algorithm version, never an edit of this one.

The score is the sum of the contributions, kept within 0..1:

- ``name_similarity``: Levenshtein ratio of the normalised names, the best of sorted words and
  written order (legal forms removed), sorted words with legal forms, and sorted words as they
  sound (``kh``/``h``, ``c``/``k``, ``x``/``ks`` …) without and with legal forms; contributes its
  value.
- ``spelling_variant``: the names sound the same but for their vowels (``Hezbollah`` /
  ``HIZBALLAH``), each differing word having four consonants at least: the similarity is taken
  as 0.90 (contributes the difference).
- ``legal_form_stripped_exact``: the names are equal once legal forms are removed (explains a
  similarity of 1.0; contributes nothing more).
- ``generic_words``: one of the names holds generic words (``holding``, ``trading`` …, listed
  in ``generic_words.txt``, or one typo from one); the distinctive words of each name are
  looked for among the other's words (each its best match, weighed by length; the better way
  round counts), and half of what the similarity exceeds that by is taken back
  (``Some Holding`` / ``SHAM HOLDING``: ``some`` ~ ``sham`` 0.57, score 0.72).
- ``token_overlap``: share of the shorter name's words found in the other; no word in common
  between names of several words costs 0.10, unless a word is the same as it sounds or (four
  consonants at least) but for its vowels.
- ``country_match`` (+0.05) / ``country_mismatch`` (-0.05): the screened country is, or is not,
  among the listed party's countries (only when both are known). A mismatch is weak evidence (a
  listed party may act through any country): a name similar to 0.90 or more stays reported at
  the default threshold, the mismatch shown.
- ``address_match`` (+0.05): the screened address resembles one of the party's addresses.

``rackclear-match-v1`` differed in: no ``spelling_variant`` or ``generic_words``, a country
mismatch of -0.15, no ``x``/``ks`` sound, no comparison of the sound with legal forms kept, a
``token_overlap`` penalty whenever no word was equal as written, fewer legal forms (and all of
them removed wherever they stood).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from rackclear.screening.entries import ListEntry
from rackclear.screening.normalise import NormalName

ALGORITHM = "rackclear-match-v2"
DEFAULT_THRESHOLD = 0.85
COUNTRY_MATCH = 0.05
COUNTRY_MISMATCH = -0.05
ADDRESS_MATCH = 0.05
NO_COMMON_WORD = -0.10
MOST_EVIDENCE = COUNTRY_MATCH + ADDRESS_MATCH
SPELLING_VARIANT = 0.90
MIN_VARIANT_CONSONANTS = 4
GENERIC_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence: its value, what it adds to the score, and why."""

    name: str
    value: float
    contribution: float
    detail: str

    def to_dict(self) -> dict[str, str | float]:
        return {
            "feature": self.name,
            "value": round(self.value, 4),
            "contribution": round(self.contribution, 4),
            "detail": self.detail,
        }


def name_similarity(query: NormalName, listed: NormalName) -> float:
    """0..1: the best Levenshtein ratio of the names' forms: sorted words, written order, with
    legal forms kept (a misspelt legal form is not removed), and as they sound without and with
    legal forms (a legal form written in another script)."""
    return (
        max(
            fuzz.ratio(query.key, listed.key),
            fuzz.ratio(query.ordered, listed.ordered),
            fuzz.ratio(query.full, listed.full),
            fuzz.ratio(query.sound, listed.sound),
            fuzz.ratio(query.full_sound, listed.full_sound),
        )
        / 100
    )


def spelling_variant(
    shapes: tuple[str, ...],
    sounds: tuple[str, ...],
    other_shapes: tuple[str, ...],
    other_sounds: tuple[str, ...],
) -> bool:
    """The words differ only in their vowels, and each word that differs has
    ``MIN_VARIANT_CONSONANTS`` consonants at least (``hasan``/``hosen`` are other names)."""
    if sorted(shapes) != sorted(other_shapes):
        return False
    mine = sorted(zip(shapes, sounds, strict=True))
    theirs = sorted(zip(other_shapes, other_sounds, strict=True))
    pairs = zip(mine, theirs, strict=True)
    differing = [shape for (shape, sound), (_, other) in pairs if sound != other]
    return bool(differing) and all(_consonants(shape) for shape in differing)


def name_score(query: NormalName, listed: NormalName, similarity: float) -> float:
    """``similarity`` (the names' :func:`name_similarity`), raised to ``SPELLING_VARIANT`` for a
    spelling variant: the most the name can bring before the evidence (the index's prefilter)."""
    if similarity < SPELLING_VARIANT and query.shape == listed.shape and _variant(query, listed):
        return SPELLING_VARIANT
    return similarity


def explain(
    query: NormalName,
    listed: NormalName,
    entry: ListEntry,
    country: str | None,
    address: str | None,
    similarity: float | None = None,
) -> list[Feature]:
    """Every feature of ``rackclear-match-v2`` that applies to this pair (``similarity``: their
    :func:`name_similarity`, when the caller has it already)."""
    if similarity is None:
        similarity = name_similarity(query, listed)
    features = [
        Feature(
            "name_similarity", similarity, similarity, f"{query.ordered!r} ~ {listed.ordered!r}"
        )
    ]
    variant = _spelling_variant(query, listed, similarity)
    if variant is not None:
        features.append(variant)
        similarity = SPELLING_VARIANT
    for feature in (
        _stripped_exact(query, listed),
        _generic_words(query, listed, similarity),
        _token_overlap(query, listed),
        _country(country, entry),
        _address(address, entry),
    ):
        if feature is not None:
            features.append(feature)
    return features


def total(features: list[Feature]) -> float:
    """The score: the contributions added up, kept within 0..1."""
    return round(min(1.0, max(0.0, sum(f.contribution for f in features))), 4)


def _variant(query: NormalName, listed: NormalName) -> bool:
    return spelling_variant(query.shapes, query.sounds, listed.shapes, listed.sounds)


def _spelling_variant(query: NormalName, listed: NormalName, similarity: float) -> Feature | None:
    if similarity >= SPELLING_VARIANT or query.shape != listed.shape:
        return None
    if not _variant(query, listed):
        return None
    return Feature(
        "spelling_variant",
        SPELLING_VARIANT,
        SPELLING_VARIANT - similarity,
        f"the same but for the vowels ({query.shape!r}): a transliteration variant, "
        f"similarity taken as {SPELLING_VARIANT:.2f}",
    )


def _generic_words(query: NormalName, listed: NormalName, similarity: float) -> Feature | None:
    """The names once more on their distinctive words alone: what the generic words made
    similar beyond that is half taken back."""
    if not (query.generic or listed.generic):
        return None
    distinct = distinct_similarity(query, listed)
    if distinct >= similarity:
        return None
    generic = ", ".join(sorted(set(query.generic) | set(listed.generic)))
    return Feature(
        "generic_words",
        distinct,
        -GENERIC_WEIGHT * (similarity - distinct),
        f"generic words ({generic}) weigh little: the distinctive words "
        f"{' '.join(query.distinct)!r} ~ {' '.join(listed.distinct)!r} {distinct:.2f}",
    )


def distinct_similarity(query: NormalName, listed: NormalName) -> float:
    """0..1: how well the distinctive words of one name are found among the other's words (each
    word its best match, as written or as it sounds; weighed by length), the better way round.

    >>> from rackclear.screening.normalise import normalise
    >>> round(distinct_similarity(normalise("Some Holding"), normalise("SHAM HOLDING")), 2)
    0.57
    >>> distinct_similarity(normalise("Acme Trading GmbH"), normalise("ACME GENERAL TRADING"))
    1.0
    """
    return max(_found_in(query, listed), _found_in(listed, query))


def _found_in(name: NormalName, other: NormalName) -> float:
    if set(name.distinct_sounds) <= set(other.sounds):
        return 1.0  # every distinctive word is there (as it sounds)
    weighed = 0.0
    length = 0
    theirs = list(zip(other.tokens, other.sounds, other.shapes, strict=True))
    for token, sounded, shaped in zip(
        name.distinct, name.distinct_sounds, name.distinct_shapes, strict=True
    ):
        best = 0.0
        for word, word_sound, word_shape in theirs:
            ratio = max(fuzz.ratio(token, word), fuzz.ratio(sounded, word_sound)) / 100
            if ratio < SPELLING_VARIANT and shaped == word_shape and _consonants(shaped):
                ratio = SPELLING_VARIANT
            best = max(best, ratio)
            if best == 1.0:
                break
        weighed += best * len(token)
        length += len(token)
    return weighed / length if length else 0.0


def _consonants(shape: str) -> bool:
    return len(shape) - shape.count("-") >= MIN_VARIANT_CONSONANTS


def _stripped_exact(query: NormalName, listed: NormalName) -> Feature | None:
    if query.key != listed.key or not (query.forms or listed.forms):
        return None
    forms = " / ".join(", ".join(f) or "none" for f in (query.forms, listed.forms))
    return Feature(
        "legal_form_stripped_exact", 1.0, 0.0, f"equal once legal forms are removed ({forms})"
    )


def _token_overlap(query: NormalName, listed: NormalName) -> Feature:
    shorter, longer = sorted((set(query.tokens), set(listed.tokens)), key=len)
    common = len(shorter & longer)
    share = common / len(shorter) if shorter else 0.0
    detail = f"{common} of {len(shorter)} words in common"
    penalty = 0.0
    if common == 0 and len(query.tokens) > 1 and len(listed.tokens) > 1:
        if _alike_word(query, listed):
            detail += " as written, one at least as it sounds or but for its vowels"
        else:
            penalty = NO_COMMON_WORD
    return Feature("token_overlap", share, penalty, detail)


def _alike_word(query: NormalName, listed: NormalName) -> bool:
    """A word the same as it sounds, or a long word the same but for its vowels."""
    if not set(query.sounds).isdisjoint(listed.sounds):
        return True
    long = {shape for shape in listed.shapes if _consonants(shape)}
    return any(shape in long for shape in query.shapes)


def _country(country: str | None, entry: ListEntry) -> Feature | None:
    if country is None or not entry.countries:
        return None
    listed = ", ".join(sorted(entry.countries))
    if country in entry.countries:
        return Feature(
            "country_match",
            1.0,
            COUNTRY_MATCH,
            f"{country} is among the party's countries ({listed})",
        )
    return Feature(
        "country_mismatch",
        1.0,
        COUNTRY_MISMATCH,
        f"Different countries: {country} / {listed} (weak evidence: the name decides)",
    )


def _address(address: str | None, entry: ListEntry) -> Feature | None:
    if not address or not entry.addresses:
        return None
    best = max(entry.addresses, key=lambda a: fuzz.token_set_ratio(address, a))
    similarity = fuzz.token_set_ratio(address, best) / 100
    if similarity < 0.8:
        return None
    return Feature("address_match", similarity, ADDRESS_MATCH, f"resembles {best!r}")
