"""Candidate search: which listed names are worth scoring for a screened name. Words are indexed
with their one-deletion variants, so a word with one typo still finds its listed word; words
shared by very many names (``trading``, ``al``) are not used while rarer words are there."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

MAX_POSTINGS = 300
MAX_CANDIDATES = 60
MIN_TYPO_LENGTH = 4
MAX_TYPO_LENGTH = 64  # normalise cuts longer words; a longer one would cost its length squared
CACHE_SIZE = 200_000


def variants(token: str) -> set[str]:
    """The token and, from four letters on (up to ``MAX_TYPO_LENGTH``), each form with one
    letter deleted.

    >>> sorted(variants("sina"))
    ['ina', 'sia', 'sin', 'sina', 'sna']
    """
    if not MIN_TYPO_LENGTH <= len(token) <= MAX_TYPO_LENGTH:
        return {token}
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


class TokenBlocker:
    """Words to name numbers, and deletion variants to words. Query words are looked up once
    and remembered (up to ``CACHE_SIZE``): the vocabulary is fixed once built."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.by_variant: dict[str, set[str]] = {}
        self._seen: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def add(self, number: int, tokens: Iterable[str]) -> None:
        self._seen.clear()
        for token in set(tokens):
            posting = self.postings.get(token)
            if posting is None:
                self.postings[token] = posting = []
                for variant in variants(token):
                    self.by_variant.setdefault(variant, set()).add(token)
            posting.append(number)

    def candidates(self, tokens: Iterable[str]) -> list[int]:
        """Names sharing the most (nearly) equal words with ``tokens``, rarer words first, at
        most ``MAX_POSTINGS`` looked at unless the rarest word alone has more."""
        groups = sorted((self.lookup(t) for t in set(tokens)), key=lambda g: len(g[1]))
        counts: Counter[int] = Counter()
        budget = 0
        for exact, near in groups:
            if budget and budget + len(near) > MAX_POSTINGS:
                break
            counts.update(exact)  # a word found as written counts twice
            counts.update(near)
            budget += len(near)
        if len(counts) <= MAX_CANDIDATES:
            return list(counts)
        # most_common's order (stable sort), without its heap: three times faster here
        return sorted(counts, key=counts.__getitem__, reverse=True)[:MAX_CANDIDATES]

    def lookup(self, token: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The names holding ``token``, and those holding it or a word one deletion away."""
        found = self._seen.get(token)
        if found is None:
            if len(self._seen) >= CACHE_SIZE:
                self._seen.clear()
            words: set[str] = set()
            for variant in variants(token):
                words |= self.by_variant.get(variant, set())
            near = tuple({n for w in words for n in self.postings[w]})
            found = self._seen[token] = (tuple(self.postings.get(token, ())), near)
        return found
