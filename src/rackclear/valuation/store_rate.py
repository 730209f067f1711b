"""Rates from a national tariff the user imported (``rackclear data import tariff``): graded
``official-file``, cited to the file, its row and its SHA-256. Used before the pack's own rate
when ``plan --store`` names a store that holds the line for the date."""

from __future__ import annotations

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.store.tariff_store import StoredRate
from rackclear.valuation.context import Context
from rackclear.valuation.tariff_rate_model import RateAnswer


def _citation(ctx: Context, r: StoredRate) -> Citation:
    return Citation(
        rule=f"store:{r.country}:{r.code}:{r.column}",
        reference=f"{r.country} national tariff, line {r.code}, {r.column}: {r.rate_text}",
        source=f"{r.file}, row {r.rate_row}, SHA-256 {r.sha256}",
        url=None,
        read=r.imported_at.date(),
        effective_from=r.effective_from or ctx.as_of,
        effective_until=r.effective_until,
        verified=True,
        grade="official-file",
        from_known="exact" if r.effective_from else "at_least",
    )


def stored_rate(ctx: Context, code: str, column: str) -> RateAnswer | None:
    """The imported rate of ``code`` (or the one rate every imported line beneath it carries)."""
    if ctx.store is None:
        return None
    country = ctx.entry.destination
    exact = ctx.store.national_rate(country, code, column, ctx.as_of)
    found = [exact] if exact else ctx.store.national_rates_beneath(country, code, column, ctx.as_of)
    if not found or len({r.rate for r in found}) != 1:
        return None
    first = found[0]
    cite = _citation(ctx, first)
    lines = ", ".join(r.code for r in found)
    step = Step(
        f"{column} rate of {lines} from the imported tariff {first.file} (row {first.rate_row},"
        f" SHA-256 {first.sha256[:16]}…): {first.rate_text}",
        f"{first.rate} %",
        cite,
    )
    return RateAnswer(first.rate, cite, [step], "official-file")
