"""Family matching: every family's cues are checked against the head and tail of the description,
the catalog kind and the specs; the result says what matched and what excluded each family."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rackclear.classification.text import Terms, head_and_tail, terms
from rackclear.rulebook.schema import FamiliesFile, FamilySpec

HEAD_WEIGHT = 3
TAIL_WEIGHT = 1
KIND_WEIGHT = 4


@dataclass(slots=True)
class FamilyScore:
    family: FamilySpec
    score: float = 0.0
    matched: list[str] = field(default_factory=list)  # human-readable evidence
    missing: list[str] = field(default_factory=list)
    excluded_by: str | None = None
    kind_match: bool = False
    head_groups: int = 0

    @property
    def qualifies(self) -> bool:
        """All cue groups found (at least one naming the item), or the catalog kind says so."""
        if self.excluded_by is not None:
            return False
        return self.kind_match or (not self.missing and self.head_groups > 0)


@dataclass(frozen=True, slots=True)
class CompiledFamily:
    spec: FamilySpec
    groups: tuple[Terms, ...]
    excluded: Terms


class Matcher:
    """Families compiled once; ``score`` ranks every family for one description."""

    def __init__(self, families: FamiliesFile) -> None:
        self.families = [
            CompiledFamily(f, tuple(terms(tuple(g)) for g in f.cues_all), terms(tuple(f.cues_none)))
            for f in families.families
        ]

    def score(self, description: str, kind: str | None, specs: dict[str, Any]) -> list[FamilyScore]:
        head, tail = head_and_tail(description)
        out = [self._one(c, head, tail, kind, specs) for c in self.families]
        out.sort(key=lambda s: (s.qualifies, s.score, s.family.priority), reverse=True)
        return out

    @staticmethod
    def _one(
        c: CompiledFamily, head: str, tail: str, kind: str | None, specs: dict[str, Any]
    ) -> FamilyScore:
        s = FamilyScore(c.spec)
        hit = c.excluded.find(head)
        if hit is not None:
            s.excluded_by = f'"{hit}" in the description says it is something else'
        for key, want in c.spec.specs.items():
            if key in specs and str(specs[key]).lower() != str(want).lower():
                s.excluded_by = f"spec {key} = {specs[key]} (needs {want})"
        if kind and kind in c.spec.kinds:
            s.kind_match = True
            s.score += KIND_WEIGHT
            s.matched.append(f"catalog kind '{kind}'")
        for group in c.groups:
            found = group.find(head)
            if found is not None:
                s.score += HEAD_WEIGHT
                s.head_groups += 1
                s.matched.append(f'"{found}" names the item')
                continue
            found = group.find(tail)
            if found is not None:
                s.score += TAIL_WEIGHT
                s.matched.append(f'"{found}" in the description')
            else:
                s.missing.append(
                    f"none of: {', '.join(group.terms[:5])}{' ...' if len(group.terms) > 5 else ''}"
                )
        s.score += c.spec.priority / 10
        return s
