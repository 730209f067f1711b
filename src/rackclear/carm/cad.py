"""The Commercial Accounting Declaration (CAD) data set of a shipment into Canada, its validation,
its deadlines (CAD due, billing period, payment) and the AMPS exposure of accounting late or not
at all. Values come from the shipment's valuation; what the plan cannot know (the transaction
number CBSA assigns, the actual release date) is said to be missing, never invented."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rackclear.carm.calendar import UnknownRule, billing, cad_due
from rackclear.classification.vague import judge
from rackclear.domain.deployment import Deployment, Shipment
from rackclear.domain.dossier import ShipmentDossier
from rackclear.domain.money import as_text
from rackclear.rulebook.registry import Rulebook

if TYPE_CHECKING:
    from rackclear.timeline import Timeline

PACK = "ca"


@dataclass
class CadRecord:
    shipment: str
    fields: dict[str, Any]
    lines: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    deadlines: dict[str, Any] = field(default_factory=dict)
    amps: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "shipment": self.shipment,
            **self.fields,
            "lines": self.lines,
            "problems": self.problems,
            "deadlines": self.deadlines,
            "amps_exposure": self.amps,
        }


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else as_text(value)


def build_cad(
    book: Rulebook,
    deployment: Deployment,
    ship: ShipmentDossier,
    source: Shipment,
    as_of: date,
    province: str | None,
    timeline: Timeline | None = None,
) -> CadRecord:
    """The CAD data set for one Canadian shipment, its deadlines counted from the planned release
    of the shipment's ``timeline`` (without one, release is taken as the planned ship date)."""
    release = timeline.release if timeline is not None else ship.ship_date
    basis = (
        timeline.events["release"].basis
        if timeline is not None and "release" in timeline.events
        else "planned ship date (no timeline)"
    )
    party = deployment.importer_of_record("CA")
    account = party.registrations.get("ca_bn_rm") if party else None
    e = ship.entry
    classification = book.packs.get("classification")
    vague = classification.vague if classification is not None else None
    lines = []
    problems: list[str] = []
    if not account:
        problems.append(
            "importer business number and RM program account missing (parties[].registrations.ca_bn_rm)"
        )
    problems.append(
        "transaction number not known at planning (assigned with the release; record it when accounting)"
    )
    for i, (line, planned) in enumerate(zip(e.lines, source.lines, strict=False)):
        duty = sum(
            (
                c.amount.amount
                for c in line.charges
                if c.kind in ("duty", "additional_duty") and c.amount
            ),
            Decimal(0),
        )
        duty_known = all(
            c.amount is not None for c in line.charges if c.kind in ("duty", "additional_duty")
        )
        gst = next((c for c in line.charges if c.id == "gst"), None)
        treatment = (
            "UST (CUSMA)"
            if planned.preference and line.origin == "US"
            else ("MXT (CUSMA)" if planned.preference and line.origin == "MX" else "MFN")
        )
        code = (line.hs_code or "").replace(".", "")
        if len(code) != 10:
            problems.append(
                f"line {i}: classification {line.hs_code or 'missing'} is not a 10-digit Canadian tariff number"
            )
        verdict = judge(line.description, vague) if vague is not None else None
        if verdict is not None and verdict.vague:
            problems.append(
                f"line {i}: description '{line.description}' is too vague for the CAD ({verdict.reason})"
            )
        if planned.preference and not planned.origin_proof:
            problems.append(
                f"line {i}: preference {planned.preference} claimed without proof of origin (CUSMA certification of origin)"
            )
        lines.append(
            {
                "line": i,
                "description": line.description,
                "classification": code or None,
                "tariff_treatment": treatment,
                "country_of_origin": line.origin,
                "quantity": line.quantity,
                "value_for_duty": _amount(
                    line.customs_value.amount if line.customs_value else None
                ),
                "customs_duty": _amount(duty) if duty_known else None,
                "gst": _amount(gst.amount.amount) if gst and gst.amount else None,
            }
        )
    fx = {k: _amount(v) for k, v in e.fx_rates.items()}
    fields: dict[str, Any] = {
        "importer": party.name if party else None,
        "business_number_program_account": account,
        "transaction_number": None,
        "release_date_planned": release.isoformat(),
        "release_date_basis": basis,
        "port_province": province,
        "currency": e.currency,
        "exchange_rates": fx,
        "value_for_duty": _amount(ship.totals.customs_value),
        "duties": _amount(ship.totals.duties),
        "gst": _amount(ship.totals.taxes),
    }
    record = CadRecord(ship.shipment, fields, lines, problems)
    try:
        due = cad_due(book, release, province)
        bill = billing(book, release, province)
        record.deadlines = {"cad_due": due.to_dict(), **bill.to_dict()}
    except UnknownRule as exc:
        record.deadlines = {"unknown": str(exc)}
    record.amps = _amps(book, ship, as_of)
    return record


def _amps(book: Rulebook, ship: ShipmentDossier, as_of: date) -> dict[str, Any]:
    rule = book.parameter(PACK, "amps_accounting", as_of)
    if not rule.usable:
        return {"unknown": f"no verified AMPS rule in force on {as_of}"}
    value = rule.value
    vfd = ship.totals.customs_value
    threshold = Decimal(str(value["vfd_threshold"]))
    code = None if vfd is None else ("C288" if vfd > threshold else "C292")
    late = value[code] if code else None
    return {
        "late_accounting": None
        if late is None
        else {
            "code": code,
            "amount": str(late["amount"]),
            "per": late["per"],
            "provision": late["provision"],
        },
        "no_accounting": {
            "code": "C070",
            "amounts": [str(x) for x in value["C070"]["levels"]],
            "per": value["C070"]["per"],
        },
        "currency": "CAD",
        "reference": rule.citation.reference if rule.citation else None,
    }
