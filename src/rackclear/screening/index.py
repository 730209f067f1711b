"""``ScreeningIndex``: every name and alias of the loaded lists, normalised once and indexed
for fast candidate search; ``screen`` scores the candidates with ``rackclear-match-v2``.

Candidates are the names with the same key or the same shape (vowels blurred), and the names
found by their words as they sound (one typo allowed, see ``blocking``) whose sound is near
enough, or, for a query with legal forms, whose sound with the legal forms kept is (a legal
form written in another script, or scrambled). When none of these reaches the threshold, a
broader search follows: the names that share the shape of a long word of the query
(``hezbollah`` finds ``HIZBALLAH TRADING`` when ``trading`` is on too many names to block by)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rackclear.screening.blocking import MAX_POSTINGS, TokenBlocker
from rackclear.screening.dating import iso_date
from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.errors import UnscreenableNameError
from rackclear.screening.normalise import NormalName, normalise, unscreenable_reason
from rackclear.screening.results import FeatureResult, ListVersion, Match, ScreeningResult
from rackclear.screening.scoring import (
    ALGORITHM,
    DEFAULT_THRESHOLD,
    MIN_VARIANT_CONSONANTS,
    MOST_EVIDENCE,
    Feature,
    explain,
    name_score,
    name_similarity,
    total,
)

PREFILTER_MARGIN = 0.05
SHOWN_NOTES = 10


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One name of one entry, as written and normalised."""

    entry: int
    written: str
    normal: NormalName


class ScreeningIndex:
    """The loaded lists, ready to screen names against."""

    def __init__(
        self,
        entries: list[ListEntry],
        lists: list[ListInfo],
        warnings: list[str] | None = None,
        orphaned_rows: dict[str, int] | None = None,
    ) -> None:
        self.entries = entries
        self.names: list[IndexedName] = []
        self.exact: dict[str, list[int]] = {}
        self.same_shape: dict[str, list[int]] = {}
        self.sounds: list[str] = []
        self.full_sounds: list[str] = []
        self.shapes: list[str] = []
        self.blocker = TokenBlocker()
        self.by_shape: dict[str, list[int]] = {}
        self.lists = tuple(_list_versions(entries, lists))
        self.warnings: tuple[str, ...] = tuple(warnings or ())
        """What loading noticed without refusing the files (rows for entries not loaded)."""
        self.orphaned_rows: dict[str, int] = dict(orphaned_rows or {})
        """By file: OFAC add.csv/alt.csv rows whose entry number no loaded sdn.csv holds."""
        notes: list[str] = []
        for number, entry in enumerate(entries):
            for written in entry.names():
                self._add(IndexedName(number, written, normalise(written)))
                if self.names[-1].normal.note:
                    notes.append(_cut_note(entry, written, self.names[-1].normal.note))
        self.warnings += _summary(notes)

    def _add(self, name: IndexedName) -> None:
        number = len(self.names)
        self.names.append(name)
        self.sounds.append(name.normal.sound)
        self.full_sounds.append(name.normal.full_sound)
        self.shapes.append(name.normal.shape)
        self.exact.setdefault(name.normal.key, []).append(number)
        self.same_shape.setdefault(name.normal.shape, []).append(number)
        self.blocker.add(number, name.normal.blocking)
        for shaped in set(name.normal.shapes):
            self.by_shape.setdefault(shaped, []).append(number)

    def screen(
        self,
        name: str,
        country: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        address: str | None = None,
    ) -> ScreeningResult:
        """The listed parties whose score reaches ``threshold``, best first, explained.

        Raises ``UnscreenableNameError`` for a name with nothing to screen (empty, punctuation
        or legal-form words alone, or longer than a name may be): see ``is_screenable``; and
        ``ValueError`` for a threshold outside (0, 1]."""
        check_threshold(threshold)
        query = normalise(name)
        if not query.screenable:
            raise UnscreenableNameError(name, unscreenable_reason(name) or "")
        best: dict[int, tuple[float, IndexedName, list[Feature]]] = {}
        blocked = self.blocker.candidates(query.blocking)
        scored = self._candidates(query, blocked, threshold)
        self._score(query, scored, country, threshold, address, best)
        if not best:
            broader = self._broader(query, threshold, set(scored))
            self._score(query, broader, country, threshold, address, best)
        matches = sorted(
            (self._match(*found) for found in best.values()), key=lambda m: (-m.score, m.entry_id)
        )
        return ScreeningResult.model_construct(  # built here from valid parts: no re-validation
            query=name,
            country=country,
            algorithm=ALGORITHM,
            threshold=threshold,
            matches=matches,
            lists=list(self.lists),
        )

    def _score(
        self,
        query: NormalName,
        numbers: list[int],
        country: str | None,
        threshold: float,
        address: str | None,
        best: dict[int, tuple[float, IndexedName, list[Feature]]],
    ) -> None:
        """Score the names ``numbers``; keep in ``best`` each entry's best score above
        ``threshold``, with the name and the features."""
        for number in numbers:
            listed = self.names[number]
            similarity = name_similarity(query, listed.normal)
            if name_score(query, listed.normal, similarity) + MOST_EVIDENCE < threshold:
                continue
            entry = self.entries[listed.entry]
            features = explain(query, listed.normal, entry, country, address, similarity)
            score = total(features)
            if score >= threshold and (listed.entry not in best or score > best[listed.entry][0]):
                best[listed.entry] = (score, listed, features)

    def _candidates(self, query: NormalName, blocked: list[int], threshold: float) -> list[int]:
        """Names with the same key or shape, then the blocked names whose sound is near enough
        (in C), or for a query with legal forms (or words like theirs) whose sound with the
        legal forms kept is."""
        exact = self.exact.get(query.key, [])
        shaped = self.same_shape.get(query.shape, []) if _long(query.shape) else []
        first = exact + [n for n in shaped if n not in exact]
        seen = set(first)
        near = self._near(query.sound, self.sounds, blocked, threshold, seen)
        if not query.form_like:  # the legal forms of listed names could only lower the ratio
            return first + near
        seen.update(near)
        kept = self._near(query.full_sound, self.full_sounds, blocked, threshold, seen)
        return first + near + kept

    def _broader(self, query: NormalName, threshold: float, seen: set[int]) -> list[int]:
        """The fallback: the names sharing the shape of a long word (four consonants at least,
        as a spelling variant needs; a shape on more than ``MAX_POSTINGS`` names says nothing)
        whose whole shape is near enough."""
        pool: set[int] = set()
        for shaped in {s for s in query.shapes if _long(s)}:
            posting = self.by_shape.get(shaped, [])
            if len(posting) <= MAX_POSTINGS:
                pool.update(posting)
        return self._near(query.shape, self.shapes, sorted(pool), threshold, seen, 100 * threshold)

    @staticmethod
    def _near(
        text: str,
        forms: list[str],
        blocked: list[int],
        threshold: float,
        skip: set[int],
        cutoff: float | None = None,
    ) -> list[int]:
        """The names of ``blocked`` whose form in ``forms`` is near enough ``text`` (in C)."""
        if not blocked:
            return []
        if cutoff is None:
            cutoff = max(0.0, 100 * (threshold - MOST_EVIDENCE - PREFILTER_MARGIN))
        near = process.extract(
            text, [forms[n] for n in blocked], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        return [blocked[i] for _, _, i in near if blocked[i] not in skip]

    def _match(self, score: float, listed: IndexedName, features: list[Feature]) -> Match:
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
            licence_requirement=entry.licence_requirement or None,
            licence_policy=entry.licence_policy or None,
            listed_on=entry.listed_on or None,
            federal_register_notice=entry.notice or None,
        )


def check_threshold(threshold: float) -> None:
    """A threshold is a score in (0, 1]; anything else (0, a negative, NaN) is a ``ValueError``.

    >>> check_threshold(0.1), check_threshold(1.0)
    (None, None)
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ValueError(f"threshold {threshold!r} is not a number")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold {threshold} must be above 0 and at most 1")


def _cut_note(entry: ListEntry, written: str, note: str) -> str:
    return (
        f"{entry.listed_in.file}: entry {entry.entry_id} (row {entry.row}), name "
        f"{written[:40]!r}{'…' if len(written) > 40 else ''}: {note}"
    )


def _summary(notes: list[str]) -> tuple[str, ...]:
    """The first ``SHOWN_NOTES`` notes, and how many more there are."""
    more = len(notes) - SHOWN_NOTES
    return tuple(notes[:SHOWN_NOTES]) + ((f"… and {more:,} more such names",) if more > 0 else ())


def _long(shape: str) -> bool:
    """A shape with ``MIN_VARIANT_CONSONANTS`` consonants at least: one a spelling variant can
    have."""
    return len(shape) - shape.count("-") - shape.count(" ") >= MIN_VARIANT_CONSONANTS


def _feature(feature: Feature) -> FeatureResult:
    return FeatureResult.model_construct(
        feature=feature.name,
        value=round(feature.value, 4),
        contribution=round(feature.contribution, 4),
        detail=feature.detail,
    )


def _list_versions(entries: list[ListEntry], lists: list[ListInfo]) -> list[ListVersion]:
    counts: dict[ListInfo, int] = dict.fromkeys(lists, 0)
    latest: dict[ListInfo, str] = {}
    for entry in entries:
        counts[entry.listed_in] = counts.get(entry.listed_in, 0) + 1
        listed = iso_date(entry.listed_on)
        if listed and listed > latest.get(entry.listed_in, ""):
            latest[entry.listed_in] = listed
    return [
        ListVersion(**info.to_dict(), entries=count, latest_listing=latest.get(info))
        for info, count in sorted(counts.items(), key=lambda item: (item[0].name, item[0].file))
    ]
