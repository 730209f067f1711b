"""Licence determination for advanced-computing items (3A090 / 4A090 and .z): by destination
(Country Groups with dated memberships), by the end user's headquarters, with License Exceptions
NAC and ACA and the dated measures around them. Unknown stays unknown (``None``), never "not
required"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, Finding
from rackclear.rulebook.memberships import Membership
from rackclear.rulebook.registry import Rulebook

PACK = "us-ear"


@dataclass
class LicenceResult:
    licence_required: bool | None
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    policy: str | None = None
    lead_time_days: dict[str, int] | None = None
    steps: list[Step] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "licence_required": self.licence_required,
            "exceptions": self.exceptions,
            "policy": self.policy,
            "lead_time_days": self.lead_time_days,
            "steps": [s.to_dict(lambda c: c.short()) for s in self.steps],
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "message": f.message,
                    "remedy": f.remedy,
                }
                for f in self.findings
            ],
        }


class Groups:
    """Country Group lookups on a date, each answer with the membership row behind it."""

    def __init__(self, book: Rulebook, when: date) -> None:
        pack = book.packs.get(PACK)
        self.rows = pack.country_groups if pack else None
        self.when = when

    def member(self, country: str, group: str) -> Membership | None:
        return self.rows.member(country, group, self.when) if self.rows else None

    def known(self, country: str) -> list[Membership]:
        return self.rows.of(country, self.when) if self.rows else []


def determine_licence(
    book: Rulebook,
    eccn: str | None,
    destination: str,
    when: date,
    end_user_hq: str | None = None,
    specs: dict[str, Any] | None = None,
    paragraph: str | None = None,
    datacenter: bool | None = None,
    concerns: Concerns | None = None,
) -> LicenceResult:
    """Whether exporting an item of ``eccn`` to ``destination`` (for an end user headquartered in
    ``end_user_hq``) needs a US licence on ``when``."""
    concerns = concerns or Concerns(country=destination)
    out = LicenceResult(None)
    if destination == "US":
        out.licence_required = False
        out.steps.append(Step("Destination is the United States: no export"))
        return out
    if eccn is None:
        out.findings.append(
            make(
                "LICENCE_UNKNOWN",
                "No ECCN: the licence requirement cannot be determined.",
                "Determine the ECCN first.",
                concerns,
            )
        )
        return out
    if eccn[:5] not in ("3A090", "4A090") and not eccn.endswith(".z"):
        out.findings.append(
            make(
                "LICENCE_DETERMINATION_NEEDED",
                f"The licence requirement for {eccn} to {destination} is not modelled (Commerce Country Chart, ENC, end-use checks).",
                "Determine it with the Country Chart (Supp. 1 to Part 738) and the ECCN's licence exceptions.",
                concerns,
            )
        )
        return out
    rules = book.parameter(PACK, "licence_advanced_computing", when)
    if not rules.usable:
        out.findings.append(
            make(
                "LICENCE_UNKNOWN",
                f"The advanced-computing licence rule in force on {when} is not verified in the pack.",
                "Confirm 15 CFR 742.6(a)(6) as in force on the date.",
                concerns,
            )
        )
        return out
    r = rules.value
    out.steps.append(
        Step(
            f"{eccn}: licence rules of 15 CFR 742.6(a)(6) as in force on {when}", "", rules.citation
        )
    )
    groups = Groups(book, when)
    required, unknown = _hq(out, r, groups, end_user_hq), False
    if not required:
        required, unknown = _destination(out, r, groups, destination)
    _residual(book, out, destination, when, concerns) if not required else None
    if required:
        out.licence_required = True
        out.policy = r.get("policy")
        _case_by_case(book, out, destination, when, specs or {})
        _exceptions(book, out, groups, destination, end_user_hq, when, paragraph, datacenter)
        out.findings.append(
            make(
                "LICENCE_REQUIRED",
                f"A BIS licence is required for {eccn} to {destination}"
                + (f" (end user headquartered in {end_user_hq})" if end_user_hq else "")
                + ".",
                "Apply for a BIS licence (or use an eligible licence exception on its conditions) before shipping.",
                concerns,
                (rules.citation,) if rules.citation else (),
            )
        )
        lead = book.parameter(PACK, "licence_lead_time_days", when)
        out.lead_time_days = dict(lead.value) if lead.value else None
    elif unknown or (
        out.licence_required is None and any(f.code == "LICENCE_UNKNOWN" for f in out.findings)
    ):
        out.licence_required = None
        if not any(f.code == "LICENCE_UNKNOWN" for f in out.findings):
            out.findings.append(
                make(
                    "LICENCE_UNKNOWN",
                    f"{destination}'s Country Group membership on {when} is not known to the pack (or only unverified).",
                    f"Check {destination} in 15 CFR 740 Supp. No. 1 and add the membership to packs/us-ear/country_groups.csv.",
                    concerns,
                )
            )
    else:
        out.licence_required = False
    _diffusion(book, out, when, concerns)
    return out


def _hq(out: LicenceResult, r: dict[str, Any], groups: Groups, hq: str | None) -> bool:
    if not hq:
        out.steps.append(
            Step(
                "End user's headquarters not given: the worldwide headquarters rule was not tested"
            )
        )
        return False
    if hq in r.get("hq_countries", []):
        out.steps.append(
            Step(
                f"End user headquartered in {hq}: licence required to every destination (15 CFR 742.6(a)(6)(iii)(A))",
                "required",
            )
        )
        return True
    for group in r.get("hq_groups", []):
        row = groups.member(hq, group)
        if row is not None and row.citation.verified:
            out.steps.append(
                Step(
                    f"End user headquartered in {hq}, a {group} country: licence required to every destination",
                    "required",
                    row.citation,
                )
            )
            return True
    return False


def _destination(
    out: LicenceResult, r: dict[str, Any], groups: Groups, destination: str
) -> tuple[bool, bool]:
    """(required, unknown) from the destination's Country Groups."""
    if destination in r.get("destination_countries", []):
        out.steps.append(
            Step(f"{destination} is listed by name in the licence requirement", "required")
        )
        return True, False
    for group in r.get("except_groups", []):
        row = groups.member(destination, group)
        if row is not None and row.citation.verified:
            out.steps.append(
                Step(
                    f"{destination} is in {group}: the destination requirement does not apply",
                    "not required",
                    row.citation,
                )
            )
            return False, False
    unknown = False
    for group in r.get("destination_groups", []):
        row = groups.member(destination, group)
        if row is None:
            continue
        if row.citation.verified:
            out.steps.append(
                Step(
                    f"{destination} is in {group} and not in {'/'.join(r.get('except_groups', []))}: licence required",
                    "required",
                    row.citation,
                )
            )
            return True, False
        out.steps.append(
            Step(f"{destination} in {group} is recorded but unverified", "unknown", row.citation)
        )
        unknown = True
    if not unknown and not groups.known(destination):
        out.steps.append(
            Step(
                f"The pack records no Country Group membership of {destination} on this date",
                "unknown",
            )
        )
        unknown = True
    if not unknown:
        out.steps.append(
            Step(
                f"{destination} is in none of {', '.join(r.get('destination_groups', []))}",
                "not required",
            )
        )
    return False, unknown


def _residual(
    book: Rulebook, out: LicenceResult, destination: str, when: date, concerns: Concerns
) -> None:
    rule = book.parameter(PACK, "uae_residual", when)
    if rule.value and destination in rule.value.get("countries", []):
        out.steps.append(
            Step(
                f"A residual licence requirement for advanced-computing items to {destination} is reported (exempt: {rule.value.get('exempt')})",
                "unknown",
                rule.citation,
            )
        )
        out.licence_required = None
        out.findings.append(
            make(
                "LICENCE_UNKNOWN",
                f"A residual licence requirement for {destination} after its move to A:5 is reported by one source only (unverified).",
                "Confirm with 91 FR 43034 and BIS guidance; check whether the end user is exempt.",
                concerns,
            )
        )


def _case_by_case(
    book: Rulebook, out: LicenceResult, destination: str, when: date, specs: dict[str, Any]
) -> None:
    rule = book.parameter(PACK, "case_by_case_china", when)
    if not rule.usable or destination not in rule.value.get("countries", []):
        return
    tpp, bw = specs.get("tpp"), specs.get("dram_bandwidth_gbps")
    if tpp is None or bw is None:
        out.steps.append(
            Step(
                "Case-by-case review (91 FR 1684) depends on TPP and DRAM bandwidth, not both given",
                "",
                rule.citation,
            )
        )
        return
    if Decimal(str(tpp)) < Decimal(str(rule.value["tpp_below"])) and Decimal(str(bw)) < Decimal(
        str(rule.value["dram_bandwidth_below_gbps"])
    ):
        out.policy = f"case-by-case review; {rule.value['conditions']}"
        out.steps.append(
            Step(
                f"TPP {tpp} < {rule.value['tpp_below']} and DRAM bandwidth {bw} < {rule.value['dram_bandwidth_below_gbps']} GB/s: case-by-case review",
                "",
                rule.citation,
            )
        )


def _exceptions(
    book: Rulebook,
    out: LicenceResult,
    groups: Groups,
    destination: str,
    hq: str | None,
    when: date,
    paragraph: str | None,
    datacenter: bool | None,
) -> None:
    rule = book.parameter(PACK, "licence_exceptions", when)
    if not rule.usable:
        return
    datacenter_a = bool(
        paragraph and paragraph.startswith(("3A090.a", "4A090.a")) and datacenter is not False
    )
    for name, spec in rule.value.items():
        by_destination = destination in spec.get("countries", []) or any(
            (m := groups.member(destination, g)) is not None and m.citation.verified
            for g in spec.get("groups", [])
        )
        excluded = destination in spec.get("except_countries", []) or any(
            groups.member(destination, g) is not None for g in spec.get("except_groups", [])
        )
        by_hq = bool(
            spec.get("hq")
            and hq
            and (
                hq in spec.get("countries", [])
                or any(groups.member(hq, g) for g in spec.get("groups", []))
            )
        )
        reach = (by_destination and not excluded) or by_hq
        eligible = reach and not datacenter_a
        why = (
            spec.get("excluded")
            if reach and datacenter_a
            else ("destination or headquarters not covered" if not reach else "")
        )
        out.exceptions.append(
            {
                "name": name,
                "eligible": eligible,
                "conditions": {
                    "notification": spec.get("notification"),
                    "limits": spec.get("limits"),
                    "excluded": spec.get("excluded"),
                    "why_not": why or None,
                },
            }
        )
        out.steps.append(
            Step(
                f"License Exception {name}: {'eligible' if eligible else 'not eligible'}"
                + (f" ({why})" if why else ""),
                "",
                rule.citation,
            )
        )


def _diffusion(book: Rulebook, out: LicenceResult, when: date, concerns: Concerns) -> None:
    rule = book.parameter(PACK, "ai_diffusion", when)
    if rule.usable and rule.value.get("status") == "rescinded and not enforced":
        out.steps.append(
            Step(
                "The AI Diffusion rule (90 FR 4544) is rescinded and not enforced since 2025-05-13",
                "",
                rule.citation,
            )
        )
    elif rule.usable:
        out.steps.append(
            Step(
                f"The AI Diffusion rule is in force on {when} (compliance from {rule.value.get('compliance_date')})",
                "",
                rule.citation,
            )
        )
