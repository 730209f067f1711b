"""Last resort: a fuzzy text search over the tariff line descriptions the packs know (and, when
imported, a whole national tariff or the HS nomenclature in the local store). It gives
suggestions only, never a classification."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rackclear.rulebook.registry import Rulebook
from rackclear.rulebook.tariff import digits


@dataclass(frozen=True, slots=True)
class Suggestion:
    hs6: str
    text: str
    score: float
    source: str


_CORPORA: dict[tuple[int, int], tuple[Rulebook, tuple[list[str], list[tuple[str, str]]]]] = {}


def _corpus(
    book: Rulebook, extra: tuple[tuple[str, str, str], ...]
) -> tuple[list[str], list[tuple[str, str]]]:
    key = (id(book), hash(extra))
    cached = _CORPORA.get(key)
    if cached is not None and cached[0] is book:
        return cached[1]
    built = _build(book, extra)
    _CORPORA[key] = (book, built)
    return built


def _build(
    book: Rulebook, extra: tuple[tuple[str, str, str], ...]
) -> tuple[list[str], list[tuple[str, str]]]:
    texts: list[str] = []
    keys: list[tuple[str, str]] = []
    for pid, pack in sorted(book.packs.items()):
        if pack.tariff is None:
            continue
        for line in pack.tariff.lines.values():
            d = digits(line.code)
            if len(d) >= 6:
                texts.append(line.description.lower())
                keys.append((f"{d[:4]}.{d[4:6]}", f"{pid} tariff {line.code}"))
    for code, text, source in extra:
        texts.append(text.lower())
        keys.append((code, source))
    return texts, keys


def suggest(
    book: Rulebook, description: str, extra: tuple[tuple[str, str, str], ...] = (), limit: int = 3
) -> list[Suggestion]:
    """Up to ``limit`` distinct HS 6-digit suggestions with their matching text and score."""
    texts, keys = _corpus(book, extra)
    found = process.extract(
        description.lower(), texts, scorer=fuzz.token_set_ratio, limit=limit * 6
    )
    out: list[Suggestion] = []
    seen: set[str] = set()
    for text, score, index in found:
        hs6, source = keys[index]
        if hs6 in seen:
            continue
        seen.add(hs6)
        out.append(Suggestion(hs6, text, round(float(score), 1), source))
        if len(out) == limit:
            break
    return out
