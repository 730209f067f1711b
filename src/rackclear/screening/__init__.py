"""Restricted-party screening against the trade.gov Consolidated Screening List and OFAC's SDN
list, loaded from the official files.

    index = load_lists(["cons.csv", "sdn.csv", "add.csv", "alt.csv"])
    result = index.screen("Iran Aircraft Manufacturing Industrial Co.", country="IR")
    result.matches[0].score, result.matches[0].explanation, result.lists

Every result records the algorithm (``rackclear-match-v2``), the threshold, and each list's name
and version, so that a screening can be replayed. A name with nothing to screen (empty,
punctuation or legal-form words alone) raises ``UnscreenableNameError``: check it first with
``is_screenable(name)`` and make such a party a blocker. Files are decoded strictly as UTF-8
unless ``load_lists(..., encoding=...)`` names another encoding, within ``ListLimits``.
"""

from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.errors import ListFormatError, UnscreenableNameError
from rackclear.screening.index import ScreeningIndex
from rackclear.screening.limits import ListLimits
from rackclear.screening.loader import load_lists
from rackclear.screening.normalise import (
    is_screenable,
    normalise,
    person_name_order,
    unscreenable_reason,
)
from rackclear.screening.parties import PartyHit, screen_parties, unscreenable_parties
from rackclear.screening.results import FeatureResult, ListVersion, Match, ScreeningResult
from rackclear.screening.scoring import ALGORITHM, DEFAULT_THRESHOLD

__all__ = [
    "ALGORITHM",
    "DEFAULT_THRESHOLD",
    "FeatureResult",
    "ListEntry",
    "ListFormatError",
    "ListInfo",
    "ListLimits",
    "ListVersion",
    "Match",
    "PartyHit",
    "ScreeningIndex",
    "ScreeningResult",
    "UnscreenableNameError",
    "is_screenable",
    "load_lists",
    "normalise",
    "person_name_order",
    "screen_parties",
    "unscreenable_parties",
    "unscreenable_reason",
]
