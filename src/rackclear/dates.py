"""The range of dates rackclear plans for, in one place: from the first day of the ECB
reference-rate history it ships (every conversion rests on it) to the end of its planning horizon.
A date outside it is a user mistake (exit 2), never a silent extrapolation.

>>> supported(EARLIEST_DATE), supported(EARLIEST_DATE.replace(day=3))
(True, False)
"""

from __future__ import annotations

from datetime import date

#: the first day of the ECB euro reference-rate history (eurofxref-hist, 1999-01-04)
EARLIEST_DATE = date(1999, 1, 4)
#: the planning horizon: nothing in the rule packs is dated later
LATEST_DATE = date(2099, 12, 31)


def supported(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def range_text() -> str:
    return f"{EARLIEST_DATE} to {LATEST_DATE}"
