"""Licence determination for advanced-computing items (3A090 / 4A090 and .z): by destination
(Country Groups with dated memberships), by the end user's headquarters, with License Exceptions
NAC and ACA and the dated measures around them. Unknown stays unknown (``None``), never "not
required"."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, Finding
from rackclear.export_control.eccn import _dec, chip_specs, is_advanced_computing
from rackclear.rulebook.memberships import Membership
from rackclear.rulebook.registry import Rulebook

PACK = "us-ear"


@dataclass
class LicenceResult:
    licence_required: bool | None
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    policy: str | None = None
    lead_time_days: dict[str, Any] | None = None
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
    tpp: Decimal | None = None,
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
    if not is_advanced_computing(eccn) and not eccn.endswith(".z"):
        settled = determine_general(book, [eccn], destination, when, concerns)
        if settled is not None:
            return settled
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
    by_hq = _hq(out, r, groups, end_user_hq)
    required, unknown = bool(by_hq), False
    destination_unknown = False
    if not required:
        required, destination_unknown = _destination(out, r, groups, destination)
    unknown = destination_unknown
    if not required and by_hq is None:
        unknown = True
        out.findings.append(
            make(
                "LICENCE_HQ_NOT_TESTED",
                "The worldwide headquarters rule (15 CFR 742.6(a)(6)(iii)(A)) could not be tested: "
                + (
                    "the end user's headquarters country is not given."
                    if not end_user_hq
                    else f"{end_user_hq}'s Country Group membership is not known to the pack (or only unverified)."
                ),
                "Give the headquarters country of the end user's ultimate parent (parties[].parent_headquarters), and check it against Country Group D:5 and Macau.",
                concerns,
            )
        )
    _residual(book, out, destination, when, concerns) if not required else None
    if required:
        out.licence_required = True
        out.policy = r.get("policy")
        _case_by_case(book, out, destination, when, specs or {}, tpp)
        _exceptions(
            book, out, groups, destination, end_user_hq, when, paragraph, datacenter, concerns
        )
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
        if lead.value:
            out.lead_time_days = {
                **dict(lead.value),
                "verified": lead.usable,
                "basis": lead.citation.reference if lead.citation else None,
            }
    elif unknown or (
        out.licence_required is None and any(f.code == "LICENCE_UNKNOWN" for f in out.findings)
    ):
        out.licence_required = None
        if not any(f.code == "LICENCE_UNKNOWN" for f in out.findings):
            why = []
            if destination_unknown:
                why.append(
                    f"{destination}'s Country Group membership on {when} is not known to the pack (or only unverified)"
                )
            if by_hq is None:
                why.append("the headquarters rule could not be tested")
            out.findings.append(
                make(
                    "LICENCE_UNKNOWN",
                    f"Whether a licence is required for {eccn} to {destination} cannot be determined: {'; '.join(why)}.",
                    (
                        f"Check {destination} in 15 CFR 740 Supp. No. 1 and record it in packs/us-ear/country_groups.csv. "
                        if destination_unknown
                        else ""
                    )
                    + (
                        "Give parent_headquarters for the end user and check it against D:5 and Macau."
                        if by_hq is None
                        else ""
                    ),
                    concerns,
                )
            )
    else:
        out.licence_required = False
    _diffusion(book, out, when, concerns)
    if rules.citation is not None:  # each finding rests on the licence rule: cite it
        out.findings = [
            f if f.citations else replace(f, citations=(rules.citation,)) for f in out.findings
        ]
    return out


def _answer(
    eccn: str, reasons: list[str], destination: str, value: dict[str, Any]
) -> tuple[bool | None, str, list[dict[str, Any]]]:
    """(licence required, why, exceptions) for one ECCN of known reasons for control."""
    if not reasons:
        if destination in value.get("at_licence_destinations", []):
            return (
                None,
                f"{destination} is under an embargo or sanctions programme (15 CFR Part 746): determine the licence need for EAR99 items",
                [],
            )
        return (
            False,
            f"EAR99 to {destination}: no licence (NLR) outside the embargoed and sanctioned destinations of Part 746 and the end-use and end-user prohibitions of Part 744",
            [],
        )
    if set(reasons) <= {"AT"}:
        if destination in value.get("at_licence_destinations", []):
            return (
                None,
                f"{eccn} is controlled for anti-terrorism (AT) reasons and {destination} is an AT or embargoed destination: determine the licence need",
                [],
            )
        return (
            False,
            f"{eccn} is controlled for anti-terrorism (AT) reasons only, which need a licence only to AT and embargoed destinations; {destination} is not one: no licence (NLR)",
            [],
        )
    if destination in value.get("ns_ei_exempt", []):
        return (
            False,
            f"{eccn} ({', '.join(reasons)}): the Commerce Country Chart requires no licence to {destination} for these reasons",
            [],
        )
    if "EI" in reasons and destination not in value.get("at_licence_destinations", []):
        return (
            True,
            f"{eccn} ({', '.join(reasons)}) needs a licence to {destination}, unless License Exception ENC is used (15 CFR 740.17(b)(2): classification request)",
            [
                {
                    "name": "ENC",
                    "eligible": True,
                    "conditions": {
                        "notification": "classification request (15 CFR 740.17(d)); 30-day wait outside Supp. No. 3 to Part 740",
                        "limits": None,
                        "excluded": "E:1 and E:2 destinations",
                        "why_not": None,
                    },
                }
            ],
        )
    return (
        None,
        f"{eccn} ({', '.join(reasons)}) to {destination}: the Country Chart column is not modelled",
        [],
    )


def determine_general(
    book: Rulebook,
    candidates: list[str],
    destination: str,
    when: date,
    concerns: Concerns | None = None,
) -> LicenceResult | None:
    """The licence need of items outside 3A090/4A090 from their ECCN's reasons for control (or,
    when the facts leave several ECCNs, from all of them: settled when they agree). ``None`` when
    the pack has no classification rule or an ECCN's controls are not in it."""
    from rackclear.export_control.eccn import classification_rules

    rules = classification_rules(book, when)
    if not rules.estimable:
        return None
    value = rules.value
    controls: dict[str, list[str]] = value.get("controls", {})
    if any(c not in controls for c in candidates) or not candidates:
        return None
    concerns = concerns or Concerns(country=destination)
    out = LicenceResult(None)
    cite = rules.citation
    grade_note = "" if rules.usable else f" (grade {rules.grade}: confirm)"
    answers = []
    for eccn in candidates:
        required, why, exceptions = _answer(
            eccn, [str(r) for r in controls[eccn]], destination, value
        )
        answers.append((eccn, required, exceptions))
        out.steps.append(
            Step(
                why + grade_note,
                {True: "required", False: "not required", None: "unknown"}[required],
                cite,
            )
        )
    results = {r for _, r, _ in answers}
    if len(results) == 1:
        out.licence_required = results.pop()
        out.exceptions = [e for _, _, ex in answers for e in ex]
        if out.licence_required and not out.exceptions:
            out.findings.append(
                make(
                    "LICENCE_REQUIRED",
                    f"A BIS licence is required for {candidates[0]} to {destination}.",
                    "Apply for a BIS licence before shipping.",
                    concerns,
                    (cite,) if cite else (),
                )
            )
        elif out.licence_required is None:
            out.findings.append(
                make(
                    "LICENCE_UNKNOWN",
                    f"Whether a licence is required for {' or '.join(candidates)} to {destination} is not settled: {out.steps[-1].text}.",
                    "Determine it with 15 CFR Part 746 and the Country Chart before export.",
                    concerns,
                    (cite,) if cite else (),
                )
            )
        return out
    needs_licence = [e for e, r, ex in answers if r is None or (r and not ex)]
    out.steps.append(
        Step(
            f"The candidate ECCNs ({', '.join(candidates)}) give different answers: the licence need depends on the ECCN",
            "depends",
            cite,
        )
    )
    if needs_licence:
        out.findings.append(
            make(
                "LICENCE_UNKNOWN",
                f"Whether a licence is required to {destination} depends on the ECCN: {', '.join(needs_licence)} would need one.",
                "Settle the ECCN (see the data request) before export.",
                concerns,
                (cite,) if cite else (),
            )
        )
    else:
        routes = "; ".join(
            f"{e}: {'License Exception ' + ex[0]['name'] if r else 'no licence'}"
            for e, r, ex in answers
        )
        out.findings.append(
            make(
                "LICENCE_DEPENDS_ON_ECCN",
                f"No BIS licence is needed to {destination} whichever ECCN applies, but the route differs ({routes}).",
                "Settle the ECCN (see the data request); if it is 5A002, file the ENC classification request before export.",
                concerns,
                (cite,) if cite else (),
            )
        )
    return out


def _hq(out: LicenceResult, r: dict[str, Any], groups: Groups, hq: str | None) -> bool | None:
    """True when the headquarters rule requires a licence, False when it does not, None when it
    cannot be tested (no headquarters given, or its memberships unknown or unverified)."""
    if not r.get("hq_groups") and not r.get("hq_countries"):
        out.steps.append(Step("No headquarters rule in force on this date", "not required"))
        return False
    if not hq:
        out.steps.append(
            Step(
                "End user's headquarters not given: the worldwide headquarters rule was not tested",
                "unknown",
            )
        )
        return None
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
    if hq in r.get("hq_outside_groups", []):
        out.steps.append(
            Step(f"End user headquartered in {hq}: outside the headquarters rule", "not required")
        )
        return False
    rows = groups.known(hq)
    if any(not row.citation.verified for row in rows) or not rows:
        out.steps.append(
            Step(
                f"{hq}'s Country Group memberships on this date are "
                + ("unverified in the pack" if rows else "not recorded in the pack"),
                "unknown",
            )
        )
        return None
    out.steps.append(
        Step(
            f"End user headquartered in {hq}, in none of {', '.join(r.get('hq_groups', []))}",
            "not required",
        )
    )
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
                (rule.citation,) if rule.citation else (),
            )
        )


def _case_by_case(
    book: Rulebook,
    out: LicenceResult,
    destination: str,
    when: date,
    specs: dict[str, Any],
    computed_tpp: Decimal | None,
) -> None:
    rule = book.parameter(PACK, "case_by_case_china", when)
    if not rule.usable or destination not in rule.value.get("countries", []):
        return
    chip = chip_specs(specs)
    tpp = computed_tpp or _dec(chip.get("tpp"))
    bw = _dec(chip.get("dram_bandwidth_gbps", chip.get("dram_bandwidth_gbs")))
    if tpp is None or bw is None:
        out.steps.append(
            Step(
                "Case-by-case review (91 FR 1684) depends on TPP and DRAM bandwidth, not both given",
                "",
                rule.citation,
            )
        )
        return
    if tpp < Decimal(str(rule.value["tpp_below"])) and bw < Decimal(
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
    concerns: Concerns,
) -> None:
    rule = book.parameter(PACK, "licence_exceptions", when)
    if not rule.usable:
        out.steps.append(
            Step(
                f"License Exceptions NAC/ACA as in force on {when}: "
                + ("unverified in the pack" if rule.value else "not recorded in the pack"),
                "unknown",
                rule.citation,
            )
        )
        out.findings.append(
            make(
                "LICENCE_EXCEPTIONS_UNKNOWN",
                f"Whether License Exception NAC or ACA could be used on {when} is not known to the pack (not recorded or unverified).",
                "Check 15 CFR 740.8 as in force on the date before relying on a licence exception.",
                concerns,
            )
        )
        return
    fit, fit_why = _paragraph_fit(paragraph, datacenter)
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
        eligible: bool | None = False if not reach else fit
        why = (
            "destination or headquarters not covered"
            if not reach
            else (fit_why if fit is not True else "")
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
                f"License Exception {name}: {({True: 'eligible', False: 'not eligible', None: 'eligibility unknown'})[eligible]}"
                + (f" ({why})" if why else ""),
                "",
                rule.citation,
            )
        )


def _paragraph_fit(paragraph: str | None, datacenter: bool | None) -> tuple[bool | None, str]:
    """Whether the item's 3A090/4A090 paragraph can use NAC/ACA (15 CFR 740.8): .b always;
    .a only when not designed or marketed for data centres; .c (HBM) has its own exception."""
    p = (paragraph or "").strip().lower()
    if not p.startswith(("3a090.", "4a090.")) or len(p) < 7:
        return None, "the 3A090/4A090 paragraph is not known"
    sub = p[6:7]
    if sub == "b":
        return True, ""
    if sub == "a":
        if datacenter is False:
            return True, ""
        if datacenter is None:
            return None, "3A090.a: whether it is designed or marketed for data centres is not known"
        return False, "3A090.a items designed or marketed for data centres are excluded"
    if sub == "c":
        return None, "3A090.c (HBM) falls under License Exception HBM, which is not modelled"
    return None, f"paragraph {paragraph} is not modelled for NAC/ACA"


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
