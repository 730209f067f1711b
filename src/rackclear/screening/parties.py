"""Screening the parties of a plan: one call for all of them, hits with their evidence, for the
planner to turn into blocker findings. A party whose name cannot be screened (empty,
punctuation or legal-form words alone: see ``is_screenable``) has no hit: the planner makes it a
blocker of its own, with ``unscreenable_parties``."""

from __future__ import annotations

from dataclasses import dataclass

from rackclear.screening.index import ScreeningIndex
from rackclear.screening.normalise import is_screenable, unscreenable_reason
from rackclear.screening.results import ListVersion, Match
from rackclear.screening.scoring import ALGORITHM, DEFAULT_THRESHOLD


@dataclass(frozen=True, slots=True)
class PartyHit:
    """A party of the plan that matched a listed party: the match carries the score, the
    explanation, the list and its version."""

    party_id: str
    party_name: str
    country: str | None
    match: Match
    algorithm: str
    threshold: float
    lists: tuple[ListVersion, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "party_id": self.party_id,
            "party_name": self.party_name,
            "country": self.country,
            "match": self.match.model_dump(mode="json"),
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "lists": [item.model_dump(mode="json") for item in self.lists],
        }


def screen_parties(
    index: ScreeningIndex,
    parties: list[tuple[str, str, str | None]],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[PartyHit]:
    """Every hit for ``(party_id, name, country)``, in the parties' order, best match first.
    Parties whose name is not screenable are passed over (``unscreenable_parties`` names them)."""
    hits: list[PartyHit] = []
    for party_id, name, country in parties:
        if not is_screenable(name):
            continue
        result = index.screen(name, country=country, threshold=threshold)
        hits += [
            PartyHit(party_id, name, country, match, ALGORITHM, threshold, index.lists)
            for match in result.matches
        ]
    return hits


def unscreenable_parties(parties: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str]]:
    """``(party_id, name, reason)`` of each party whose name cannot be screened, for the planner
    to make a blocker: no list can clear a party it cannot name.

    >>> unscreenable_parties([("a", "Acme GmbH", "DE"), ("b", "LLC", "US"), ("c", " ", None)])
    [('b', 'LLC', 'it holds only legal-form words (llc), not a name'), ('c', ' ', 'it holds no letter or digit')]
    """
    found: list[tuple[str, str, str]] = []
    for party_id, name, _ in parties:
        reason = unscreenable_reason(name)
        if reason is not None:
            found.append((party_id, name, reason))
    return found
