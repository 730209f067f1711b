"""Working days of a destination (weekends and public holidays from the ``holidays`` package),
as sorted day ordinals so that whole arrays of dates can be moved by working days at once."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.int64]
SAT_SUN = frozenset({5, 6})


class WorkCalendar:
    """Working days of ``country`` from ``first_year`` to ``last_year`` (day ordinals)."""

    def __init__(self, country: str, first_year: int, last_year: int) -> None:
        years = list(range(first_year, last_year + 1))
        try:
            found = holidays.country_holidays(country, years=years)
            weekend = frozenset(int(d) for d in found.weekend)
            closed = [d.toordinal() for d in found]
        except NotImplementedError:
            weekend, closed = SAT_SUN, []
        start = np.int64(_ordinal(first_year, 1, 1))
        days = np.arange(start, _ordinal(last_year, 12, 31) + 1, dtype=np.int64)
        weekday = (days - 1) % 7  # date.fromordinal(1) is a Monday
        working = ~np.isin(weekday, list(weekend)) & ~np.isin(days, closed)
        self.country = country
        self.weekend = weekend
        self.first, self.last = int(days[0]), int(days[-1])
        self.workdays: Days = days[working]

    def _check(self, days: Days) -> None:
        if days.size and (days.min() < self.first or days.max() > self.last - 60):
            raise ValueError(f"the {self.country} calendar does not cover the dates")

    def is_working(self, days: Days) -> npt.NDArray[np.bool_]:
        return np.isin(days, self.workdays)

    def add(self, start: Days, n: Days) -> Days:
        """The day on which the ``n``-th working day after ``start`` falls (``start`` itself is
        not counted; ``n == 0`` gives ``start``)."""
        start, n = np.broadcast_arrays(np.asarray(start, np.int64), np.asarray(n, np.int64))
        self._check(start)
        idx = np.searchsorted(self.workdays, start, side="right") + n - 1
        return np.where(n > 0, self.workdays[np.clip(idx, 0, None)], start).astype(np.int64)

    def latest_start(self, done_by: Days, n: Days) -> Days:
        """The latest day ``a`` with ``add(a, n) <= done_by``."""
        done_by, n = np.broadcast_arrays(np.asarray(done_by, np.int64), np.asarray(n, np.int64))
        self._check(done_by)
        last = np.searchsorted(self.workdays, done_by, side="right") - 1
        first = self.workdays[np.clip(last - (n - 1), 0, None)]
        return np.where(n > 0, first - 1, done_by).astype(np.int64)

    def waiting_days(self, arrival: Days) -> Days:
        """Non-working days from ``arrival`` to the next working day (0 if ``arrival`` works)."""
        arrival = np.asarray(arrival, np.int64)
        self._check(arrival)
        nxt = self.workdays[np.searchsorted(self.workdays, arrival, side="left")]
        return (nxt - arrival).astype(np.int64)


def _ordinal(year: int, month: int, day: int) -> int:
    return date(year, month, day).toordinal()


@lru_cache(maxsize=64)
def calendar(country: str, first_year: int, last_year: int) -> WorkCalendar:
    return WorkCalendar(country, first_year, last_year)


def calendar_for(country: str, first: date, last: date) -> WorkCalendar:
    """A cached calendar covering ``first`` to ``last`` with two years to spare each side."""
    return calendar(country, first.year - 2, last.year + 2)
