"""Errors every command shares, and the parsing of the values users type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from rackclear.dates import EARLIEST_DATE, range_text, supported

USER_ERROR = 2  # the exit code of a user mistake
MAX_DIGITS = 15  # digits before the decimal point a typed amount may have


class UserError(Exception):
    """A mistake in what the user gave: reported plainly, exit 2."""


def parse_date(text: str | None, option: str) -> date:
    """``text`` as YYYY-MM-DD; no text means today (the CLI is the only place that reads the clock)."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: {text!r} is not a date YYYY-MM-DD") from None


def parse_decimal(text: str, option: str, positive: bool = False) -> Decimal:
    """A finite, non-negative (or positive) amount of at most ``MAX_DIGITS`` digits."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UserError(f"{option}: {text!r} is not a number") from None
    if not value.is_finite() or value < 0 or (positive and value == 0):
        raise UserError(
            f"{option}: {text!r} must be a {'positive' if positive else 'non-negative'} number"
        )
    if value.adjusted() >= MAX_DIGITS:
        raise UserError(
            f"{option}: {text!r} is too large (at most {MAX_DIGITS} digits before the decimal point)"
        )
    return value


def checked(day: date, text: str | None, option: str) -> date:
    """``day`` if it lies in the supported range (``rackclear.dates``), else a UserError naming
    ``option`` and the range."""
    if not supported(day):
        raise UserError(
            f"{option}: {text} is outside the supported range {range_text()} (exchange rates start"
            f" on {EARLIEST_DATE}; see docs/cli.md#dates)"
        )
    return day
