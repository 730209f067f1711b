"""The matching algorithm ``rackclear-match-v1``: a name similarity plus evidence, each a small
feature with a value, a contribution to the score and a detail a person can read. A change of
behaviour is a new algorithm version, never an edit of this one.

The score is the sum of the contributions, kept within 0..1:

- ``name_similarity``: Levenshtein ratio of the normalised names, the best of sorted words and
  written order (legal forms removed), sorted words with legal forms, and sorted words as they
  sound (``kh``/``h``, ``c``/``k`` …); contributes its value.
- ``legal_form_stripped_exact``: the names are equal once legal forms are removed (explains a
  similarity of 1.0; contributes nothing more).
- ``token_overlap``: share of the shorter name's words found in the other; no word in common
  between names of several words costs 0.10.
- ``country_match`` (+0.05) / ``country_mismatch`` (-0.15): the screened country is, or is not,
  among the listed party's countries (only when both are known).
- ``address_match`` (+0.05): the screened address resembles one of the party's addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from rackclear.screening.entries import ListEntry
from rackclear.screening.normalise import NormalName

ALGORITHM = "rackclear-match-v1"
DEFAULT_THRESHOLD = 0.85
COUNTRY_MATCH = 0.05
COUNTRY_MISMATCH = -0.15
ADDRESS_MATCH = 0.05
NO_COMMON_WORD = -0.10
MOST_EVIDENCE = COUNTRY_MATCH + ADDRESS_MATCH


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
    legal forms kept (a misspelt legal form is not removed), and as they sound."""
    return (
        max(
            fuzz.ratio(query.key, listed.key),
            fuzz.ratio(query.ordered, listed.ordered),
            fuzz.ratio(query.full, listed.full),
            fuzz.ratio(query.sound, listed.sound),
        )
        / 100
    )


def explain(
    query: NormalName,
    listed: NormalName,
    entry: ListEntry,
    country: str | None,
    address: str | None,
) -> list[Feature]:
    """Every feature of ``rackclear-match-v1`` that applies to this pair."""
    similarity = name_similarity(query, listed)
    features = [
        Feature(
            "name_similarity", similarity, similarity, f"{query.ordered!r} ~ {listed.ordered!r}"
        )
    ]
    for feature in (
        _stripped_exact(query, listed),
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


def _stripped_exact(query: NormalName, listed: NormalName) -> Feature | None:
    if query.key != listed.key or not (query.forms or listed.forms):
        return None
    forms = " / ".join(", ".join(f) or "none" for f in (query.forms, listed.forms))
    return Feature(
        "legal_form_stripped_exact", 1.0, 0.0, f"equal once legal forms are removed ({forms})"
    )


def _token_overlap(query: NormalName, listed: NormalName) -> Feature:
    shorter, longer = sorted((set(query.tokens), set(listed.tokens)), key=len)
    share = len(shorter & longer) / len(shorter) if shorter else 0.0
    several = len(query.tokens) > 1 and len(listed.tokens) > 1
    penalty = NO_COMMON_WORD if share == 0 and several else 0.0
    return Feature(
        "token_overlap",
        share,
        penalty,
        f"{len(shorter & longer)} of {len(shorter)} words in common",
    )


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
        "country_mismatch", 1.0, COUNTRY_MISMATCH, f"Different countries: {country} / {listed}"
    )


def _address(address: str | None, entry: ListEntry) -> Feature | None:
    if not address or not entry.addresses:
        return None
    best = max(entry.addresses, key=lambda a: fuzz.token_set_ratio(address, a))
    similarity = fuzz.token_set_ratio(address, best) / 100
    if similarity < 0.8:
        return None
    return Feature("address_match", similarity, ADDRESS_MATCH, f"resembles {best!r}")
