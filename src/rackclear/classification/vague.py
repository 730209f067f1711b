"""Refusal of vague descriptions ("IT equipment", "server parts"): never guess from them."""

from __future__ import annotations

from dataclasses import dataclass

from rackclear.classification.text import words
from rackclear.rulebook.schema import VagueFile


@dataclass(frozen=True, slots=True)
class Vagueness:
    vague: bool
    reason: str


# Verdicts by rules object (kept alive here, so its id is not reused) and description: a plan
# judges the same catalog descriptions on every CAD and entry summary line. The rules are frozen.
_VERDICTS: dict[int, tuple[VagueFile, dict[str, Vagueness]]] = {}
_MAX_RULES = 16
_MAX_VERDICTS = 50_000


def judge(description: str, rules: VagueFile) -> Vagueness:
    """A description is vague when it has no identifying word and at least one vague word
    (or no words at all). Numbers and model codes do not identify a product. A description of
    qualifiers only ("rack server") is not refused here: the rules decide whether it names one."""
    entry = _VERDICTS.get(id(rules))
    if entry is None or entry[0] is not rules:
        if len(_VERDICTS) >= _MAX_RULES:
            _VERDICTS.clear()
        entry = _VERDICTS[id(rules)] = (rules, {})
    verdicts = entry[1]
    verdict = verdicts.get(description)
    if verdict is None:
        if len(verdicts) >= _MAX_VERDICTS:
            verdicts.clear()
        verdict = verdicts[description] = _judge(description, rules)
    return verdict


def _judge(description: str, rules: VagueFile) -> Vagueness:
    tokens = words(description)
    if not tokens:
        return Vagueness(True, "the description is empty")
    vague = set(rules.vague_words)
    known = vague | set(rules.qualifier_words) | set(rules.stop_words)
    identifying = [t for t in tokens if t not in known and not any(ch.isdigit() for ch in t)]
    if len(identifying) >= rules.min_identifying_words:
        return Vagueness(False, f"identifying words: {', '.join(identifying[:6])}")
    found = [t for t in tokens if t in vague]
    if found:
        return Vagueness(
            True, f"only generic words ({', '.join(found)}); it does not say what the item is"
        )
    return Vagueness(False, "no generic word; left to the rules")
