"""``ScreeningIndex``: every name and alias of the loaded lists, normalised once and indexed
for fast candidate search; ``screen`` scores the candidates with ``rackclear-match-v1``."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rackclear.screening.blocking import TokenBlocker
from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.normalise import NormalName, normalise
from rackclear.screening.results import FeatureResult, ListVersion, Match, ScreeningResult
from rackclear.screening.scoring import (
    ALGORITHM,
    DEFAULT_THRESHOLD,
    MOST_EVIDENCE,
    Feature,
    explain,
    name_similarity,
    total,
)

PREFILTER_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One name of one entry, as written and normalised."""

    entry: int
    written: str
    normal: NormalName


class ScreeningIndex:
    """The loaded lists, ready to screen names against."""

    def __init__(self, entries: list[ListEntry], lists: list[ListInfo]) -> None:
        self.entries = entries
        self.names: list[IndexedName] = []
        self.exact: dict[str, list[int]] = {}
        self.sounds: list[str] = []
        self.blocker = TokenBlocker()
        self.lists = tuple(_list_versions(entries, lists))
        for number, entry in enumerate(entries):
            for written in entry.names():
                self._add(IndexedName(number, written, normalise(written)))

    def _add(self, name: IndexedName) -> None:
        number = len(self.names)
        self.names.append(name)
        self.sounds.append(name.normal.sound)
        self.exact.setdefault(name.normal.key, []).append(number)
        self.blocker.add(number, name.normal.sounds)

    def screen(
        self,
        name: str,
        country: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        address: str | None = None,
    ) -> ScreeningResult:
        """The listed parties whose score reaches ``threshold``, best first, explained."""
        query = normalise(name)
        best: dict[int, tuple[float, Match]] = {}
        for number in self._candidates(query, threshold):
            listed = self.names[number]
            if name_similarity(query, listed.normal) + MOST_EVIDENCE < threshold:
                continue
            features = explain(query, listed.normal, self.entries[listed.entry], country, address)
            score = total(features)
            if score >= threshold and score > best.get(listed.entry, (-1.0, None))[0]:
                best[listed.entry] = (score, self._match(listed, score, features))
        matches = sorted((m for _, m in best.values()), key=lambda m: (-m.score, m.entry_id))
        return ScreeningResult.model_construct(  # built here from valid parts: no re-validation
            query=name,
            country=country,
            algorithm=ALGORITHM,
            threshold=threshold,
            matches=matches,
            lists=list(self.lists),
        )

    def _candidates(self, query: NormalName, threshold: float) -> list[int]:
        """Names with the same key, then blocked names whose sound is near enough (in C)."""
        exact = self.exact.get(query.key, [])
        blocked = self.blocker.candidates(query.sounds)
        sounds = [self.sounds[n] for n in blocked]
        cutoff = 100 * (threshold - MOST_EVIDENCE - PREFILTER_MARGIN)
        near = process.extract(
            query.sound, sounds, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        return exact + [blocked[i] for _, _, i in near if blocked[i] not in exact]

    def _match(self, listed: IndexedName, score: float, features: list[Feature]) -> Match:
        entry = self.entries[listed.entry]
        return Match.model_construct(
            name=entry.name,
            matched_name=listed.written,
            list=entry.listed_in.name,
            list_version=entry.listed_in.version,
            entry_id=entry.entry_id,
            kind=entry.kind,
            programs=list(entry.programs),
            countries=sorted(entry.countries),
            score=score,
            explanation=[_feature(f) for f in features],
        )


def _feature(feature: Feature) -> FeatureResult:
    return FeatureResult.model_construct(
        feature=feature.name,
        value=round(feature.value, 4),
        contribution=round(feature.contribution, 4),
        detail=feature.detail,
    )


def _list_versions(entries: list[ListEntry], lists: list[ListInfo]) -> list[ListVersion]:
    counts: dict[ListInfo, int] = dict.fromkeys(lists, 0)
    for entry in entries:
        counts[entry.listed_in] = counts.get(entry.listed_in, 0) + 1
    return [
        ListVersion(**info.to_dict(), entries=count)
        for info, count in sorted(counts.items(), key=lambda item: (item[0].name, item[0].file))
    ]
