"""Text handling for classification: normalisation, the head of a description, and cue matching.

The *head* is what the invoice line says the item is ("GPU accelerator card, PCIe"); the *tail*
says what it is for or contains ("for installation in servers", "with 8 GPUs"). Cues in the head
weigh more, so "card for servers" is a card and "server with 8 GPU cards" is a server.

>>> head_and_tail("Rack server, 8U, with 8 x H200 GPUs")
('rack server 8u', 'with 8 x h200 gpus')
>>> normalise("Direct-attach SFP+ cable, 3 m.")
'direct attach sfp+ cable 3 m'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9+.]+")
_TRAILING_DOT = re.compile(r"\.(?=\s|$)")
_SEPARATORS = re.compile(
    r"\s(?:for|with|without|used|using|which|that|designed|intended|suitable|able|providing|capable|"
    r"consisting|comprising|containing|incorporating|including|to be|to|in|into|from|plugged|connecting|"
    r"connects|mounted|installed|fits|supports|supporting|allowing|enabling|protecting)\s"
)
_HEAD_BREAK = re.compile(r"[:;]")


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces (keeping ``+`` and inner dots), single spaces."""
    lowered = _NON_WORD.sub(" ", text.lower())
    return " ".join(_TRAILING_DOT.sub(" ", lowered).split())


def head_and_tail(text: str) -> tuple[str, str]:
    """Split a description into what the item is and the rest."""
    first = _HEAD_BREAK.split(text, maxsplit=1)
    head = normalise(first[0])
    rest = normalise(first[1]) if len(first) > 1 else ""
    padded = f" {head} "
    match = _SEPARATORS.search(padded, 1)
    if match is not None and match.start() > 0:
        return padded[: match.start()].strip(), (
            padded[match.start() :].strip() + " " + rest
        ).strip()
    return head, rest


@dataclass(frozen=True, slots=True)
class Terms:
    """A compiled alternation of terms, matched on word boundaries with optional plural."""

    terms: tuple[str, ...]
    pattern: re.Pattern[str]

    def find(self, text: str) -> str | None:
        match = self.pattern.search(text)
        return match.group(0) if match else None


@lru_cache(maxsize=4096)
def terms(words: tuple[str, ...]) -> Terms:
    """Compile ``words`` (normalised like descriptions) into one pattern."""
    normalised = sorted({normalise(w) for w in words if normalise(w)}, key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w) for w in normalised) or r"(?!x)x"
    pattern = re.compile(rf"(?<![a-z0-9])(?:{body})(?:s|es)?(?![a-z0-9])")
    return Terms(tuple(normalised), pattern)


def words(text: str) -> list[str]:
    return normalise(text).split()
