"""What a CUSMA claim is worth on the duty the plan computed, and what is owed without it.

The saving is the MFN duty on the line's customs value less the duty charged under the claim;
the exposure, where the claim is applied, is that same amount: the duty owed if the
certification of origin cannot be produced when customs asks, or origin is not confirmed. An
MFN rate held only as an estimate gives an estimate, with its grade; no MFN rate gives no
figure, never 0."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rackclear.domain.determination import Step
from rackclear.rulebook.lookup import Lookup
from rackclear.rulebook.tariff import Tariff

CENTS = Decimal("0.01")
HUNDRED = Decimal(100)
# the saving findings of the origin engine, replaced here by figures from the entry itself
SAVING_CODES = frozenset({"PREFERENCE_SAVING_UNKNOWN", "PREFERENCE_SAVES_NOTHING"})
ORIGIN_REMEDIES = {
    "ORIGIN_NEEDS_DATA": "Obtain what is named (the producer's bill of materials with each material's HS code, value and origin, the suppliers' certifications, where and how the good was produced) before claiming.",
    "ORIGIN_NOT_QUALIFIED": "Do not claim the preference; if it was claimed at entry, correct it (Canada: Customs Act s.32.2, within 90 days of having reason to believe; US: post-summary correction or prior disclosure).",
    "ORIGIN_RULE_UNVERIFIED": "Confirm the product-specific rule in CUSMA Annex 4-B / HTSUS General Note 11 before claiming.",
    "ORIGIN_DEEMED": "Keep the proof that the goods were imported from the United States or Mexico; non-preferential origin is not changed by it.",
    "ORIGIN_DEEMED_US": "Keep the proof that the goods were imported from Canada or Mexico; marking and Section 301 follow the non-preferential origin.",
    "ORIGIN_DE_MINIMIS_APPLIED": "Keep the de minimis computation with the bill of materials on file.",
    "default": "Obtain the producer's bill of materials and the CUSMA rule for the subheading; hold the certification of origin before claiming.",
}


def mfn_rate(tariff: Tariff, code: str, when: date) -> Lookup | None:
    """The MFN rate of ``code`` as valuation reads it: the exact line, or the one rate that every
    line beneath a shorter code shares; None where the lines differ or none is held."""
    lines = tariff.find(code) if code else []
    lookups = [tariff.rate(tl.code, "MFN", when) for tl in lines]
    usable = [found for found in lookups if found.estimable]
    if not lookups or len(usable) != len(lookups):
        return None
    if len({Decimal(str(found.value)) for found in usable}) != 1:
        return None
    return usable[0]


@dataclass(slots=True)
class ClaimSaving:
    currency: str | None
    mfn_rate: Decimal | None = None
    mfn_grade: str | None = None
    mfn_duty: Decimal | None = None
    charged: Decimal | None = None
    applied: bool = False
    duty_saved: Decimal | None = None
    exposure: Decimal | None = None
    steps: list[Step] = field(default_factory=list)
    finding: tuple[str, str, str] | None = None  # (code, message, remedy)

    def to_dict(self) -> dict[str, Any]:
        def money(v: Decimal | None) -> str | None:
            return None if v is None else f"{v:f}"

        return {
            "currency": self.currency,
            "preference_applied": self.applied,
            "mfn_rate": money(self.mfn_rate),
            "mfn_grade": self.mfn_grade,
            "mfn_duty": money(self.mfn_duty),
            "duty_charged": money(self.charged),
            "duty_saved": money(self.duty_saved),
            "potential_saving": money(self.duty_saved),
            "exposure_without_certification": money(self.exposure),
        }


def claim_saving(ship: Any, line: Any, mfn: Lookup | None, qualifies: bool | None) -> ClaimSaving:
    """The saving and exposure of the claim on ``line`` of the shipment dossier ``ship``."""
    value = line.customs_value.amount if line.customs_value else None
    currency = line.customs_value.currency if line.customs_value else None
    duty = next((c for c in line.charges if c.id == "duty"), None)
    out = ClaimSaving(currency)
    out.charged = duty.amount.amount if duty is not None and duty.amount is not None else None
    out.applied = any(
        f.code == "PREFERENCE_APPLIED" and f.concerns.line == line.index
        for f in ship.entry.findings
    )
    if mfn is None or not mfn.estimable or value is None:
        what = "the customs value" if value is None else f"the MFN rate of {line.hs_code}"
        out.steps.append(
            Step(
                f"{what.capitalize()} is not known: the claim's value cannot be stated (never taken as 0)",
                "unknown",
            )
        )
        out.finding = (
            "PREFERENCE_SAVING_UNKNOWN",
            f"{what} is not known: what the CUSMA claim saves, and the duty owed without it, cannot be stated.",
            "Find the MFN rate of the national line (or import the tariff with 'rackclear data import').",
        )
        return out
    rate = Decimal(str(mfn.value))
    out.mfn_rate, out.mfn_grade = rate, mfn.grade
    out.mfn_duty = (rate * value / HUNDRED).quantize(CENTS, ROUND_HALF_UP)
    grade = (
        f" (rate graded {mfn.grade})"
        if mfn.grade not in (None, "official", "official-file", "derived", "user")
        else ""
    )
    out.steps.append(
        Step(
            f"MFN duty without the claim = {rate:f} % x {value:,.2f} {currency}{grade}",
            f"{out.mfn_duty:,.2f} {currency}",
            mfn.citation,
        )
    )
    if not out.applied:
        return out
    if out.charged is None:
        out.steps.append(
            Step("The duty under the claim is not known: the saving is unknown", "unknown")
        )
        return out
    saved = out.mfn_duty - out.charged
    out.duty_saved = out.exposure = saved
    out.steps.append(
        Step(
            f"Duty saved by the claim = {out.mfn_duty:,.2f} - {out.charged:,.2f} charged; owed if the certification of origin cannot be produced",
            f"{saved:,.2f} {currency}",
        )
    )
    if saved == 0:
        fee = (
            " Origin still decides the merchandise processing fee."
            if ship.destination == "US"
            else ""
        )
        out.finding = (
            "PREFERENCE_SAVES_NOTHING",
            f"MFN is {rate:f} % for {line.hs_code}{grade}: the claim saves no duty, and no duty is owed without it.{fee}",
            "Weigh the cost of certifying origin against what it saves; keep the claim only where another measure turns on it.",
        )
        return out
    confirmed = qualifies is True
    out.finding = (
        "PREFERENCE_EXPOSURE",
        f"The claim saves {saved:,.2f} {currency} of duty (MFN {rate:f} %{grade} on {value:,.2f}, less {out.charged:,.2f} charged). "
        + (
            "Origin is decided originating; "
            if confirmed
            else "Origin is not decided (see the origin finding); "
        )
        + f"if the certification of origin cannot be produced when asked, {saved:,.2f} {currency} is owed, with interest and any penalty.",
        "Hold the certification of origin and the producer's records behind it for the record-keeping period (5 years) before claiming.",
    )
    return out
