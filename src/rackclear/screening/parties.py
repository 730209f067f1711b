"""Screening the parties of a plan: one call for all of them, hits with their evidence, for the
planner to turn into blocker findings."""

from __future__ import annotations

from dataclasses import dataclass

from rackclear.screening.index import ScreeningIndex
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
    """Every hit for ``(party_id, name, country)``, in the parties' order, best match first."""
    hits: list[PartyHit] = []
    for party_id, name, country in parties:
        result = index.screen(name, country=country, threshold=threshold)
        hits += [
            PartyHit(party_id, name, country, match, ALGORITHM, threshold, index.lists)
            for match in result.matches
        ]
    return hits
