"""How old a list is on a plan's date.

A list's version is read as the span of days it may stand for (``2023-01`` is any day of January
2023; ``2026-11-30`` that day alone). Against the plan's as-of date a list is:

- **after** the plan when its version starts after ``as_of`` (it may hold parties listed since,
  and lacks parties removed since: a replay of the plan needs the list of its day);
- **stale** when its version ends more than the pack's maximum age before ``as_of``;
- **doubtful** when one of its own entries was listed after the version's last day (the version
  came from a file name, the caller or the file's date, not from the list itself);
- **undated** when its version is not a date at all (a caller's label): its age cannot be told.

>>> version_span("2023-01")
(datetime.date(2023, 1, 1), datetime.date(2023, 1, 31))
>>> version_span("20240502"), version_span("v5")
((datetime.date(2024, 5, 2), datetime.date(2024, 5, 2)), None)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_DAY = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-?(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def iso_date(text: str | None) -> str | None:
    """``2015-11-12`` (or the date part of ``2015-11-12T00:00:00``) when it is a real day, else
    ``None``.

    >>> iso_date("2015-11-12T00:00:00"), iso_date("12/11/2015"), iso_date("2015-02-30")
    ('2015-11-12', None, None)
    """
    head = (text or "").strip()[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", head):
        return None
    try:
        return date.fromisoformat(head).isoformat()
    except ValueError:
        return None


def version_span(version: str) -> tuple[date, date] | None:
    """The first and last day a version may stand for, or ``None`` when it is not a date."""
    text = version.strip()[:10] if "T" in version else version.strip()
    try:
        if m := _DAY.match(text):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        if m := _YEAR.match(text):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


@dataclass(frozen=True, slots=True)
class ListAge:
    """One list's dating against a plan: the checks that failed are the ``True`` flags."""

    name: str
    version: str
    version_from: str
    file: str
    first: date | None  # the span the version stands for; None when it is not a date
    last: date | None
    age_days: int | None  # days from the version's last day to as_of (negative: after it)
    max_age_days: int | None
    latest_listing: str | None
    after_as_of: bool
    stale: bool
    doubtful: bool

    @property
    def undated(self) -> bool:
        return self.first is None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "version": self.version,
            "version_from": self.version_from,
            "file": self.file,
            "stands_for": (
                None if self.first is None else [self.first.isoformat(), str(self.last)]
            ),
            "age_days": self.age_days,
            "max_age_days": self.max_age_days,
            "latest_listing": self.latest_listing,
            "after_as_of": self.after_as_of,
            "stale": self.stale,
            "version_doubtful": self.doubtful,
            "undated": self.undated,
        }


def list_age(
    name: str,
    version: str,
    version_from: str,
    file: str,
    latest_listing: str | None,
    as_of: date,
    max_age_days: int | None,
) -> ListAge:
    """The dating of one list on ``as_of``; ``max_age_days`` ``None`` skips the staleness check.

    >>> a = list_age("SDN", "2023-01", "file name", "sdn_2023-01.csv", None, date(2026, 11, 1), 7)
    >>> a.age_days, a.stale, a.after_as_of
    (1370, True, False)
    """
    span = version_span(version)
    if span is None:
        return ListAge(
            name, version, version_from, file, None, None, None, max_age_days,
            latest_listing, False, False, False,
        )  # fmt: skip
    first, last = span
    age = (as_of - last).days
    doubtful = latest_listing is not None and latest_listing > last.isoformat()
    return ListAge(
        name,
        version,
        version_from,
        file,
        first,
        last,
        age,
        max_age_days,
        latest_listing,
        after_as_of=first > as_of,
        stale=max_age_days is not None and age > max_age_days,
        doubtful=doubtful and version_from != "file content",
    )
