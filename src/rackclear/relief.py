"""Duty relief and special regimes a shipment may use (drawback, temporary admission, returned
goods, repairs, free zones, customs warehousing ...), from each destination's dated
``relief_regimes`` parameter: eligibility by the shipment's purpose (and free-zone site), the
deadline, the form, and the amount at stake (the shipment's duties and/or taxes; unknown stays
unknown). An unverified regime is listed with "confirm", never as law."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from rackclear.domain.dossier import ShipmentDossier
from rackclear.domain.money import as_text
from rackclear.rulebook.lookup import Status
from rackclear.rulebook.registry import Rulebook


def relief_for(
    book: Rulebook, ship: ShipmentDossier, purpose: str, free_zone: bool, as_of: date
) -> list[dict[str, Any]]:
    pack = book.jurisdiction(ship.destination)
    if pack is None:
        return []
    rule = book.parameter(pack.meta.id, "relief_regimes", as_of)
    if rule.status is Status.NOT_IN_FORCE or not rule.value:
        return []
    out = []
    for regime_id, regime in rule.value.items():
        if regime.get("free_zone_only") and not free_zone:
            continue
        if purpose not in regime.get("purposes", []):
            continue
        parts = {"duties": ship.totals.duties, "taxes": ship.totals.taxes}
        relieved = [parts[k] for k in regime.get("relieves", [])]
        at_stake: Decimal | None = Decimal(0)
        for part in relieved:
            at_stake = None if part is None or at_stake is None else at_stake + part
        days = regime.get("deadline_days")
        out.append(
            {
                "id": regime_id,
                "name": regime["name"],
                "purpose": purpose,
                "relieves": regime.get("relieves", []),
                "not_relieved": regime.get("not_relieved"),
                "at_stake": None if at_stake is None else as_text(at_stake),
                "currency": ship.entry.currency,
                "deadline": regime.get("deadline"),
                "deadline_date": (ship.ship_date + timedelta(days=int(days))).isoformat()
                if days
                else None,
                "form": regime.get("form"),
                "reference": regime.get("reference"),
                "verified": rule.usable,
                "confirm": None
                if rule.usable
                else "unverified in the pack: confirm with the authority",
            }
        )
    return out
