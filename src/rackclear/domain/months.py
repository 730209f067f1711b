"""Calendar months and CARM-style billing periods (a period runs from day N of one month to the
day before N of the next).

>>> add_months(date(2027, 12, 1), 1)
datetime.date(2028, 1, 1)
>>> billing_period(date(2027, 3, 17), 18)
(datetime.date(2027, 2, 18), datetime.date(2027, 3, 17))
"""

from __future__ import annotations

from datetime import date, timedelta


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of every month from ``first``'s to ``last``'s, both included."""
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


def billing_period(day: date, first_day: int) -> tuple[date, date]:
    """The billing period (start, end) holding ``day``, periods starting on ``first_day``."""
    this = date(day.year, day.month, first_day)
    starts = this if day >= this else add_months(this, -1).replace(day=first_day)
    ends = add_months(starts, 1).replace(day=first_day) - timedelta(days=1)
    return starts, ends
