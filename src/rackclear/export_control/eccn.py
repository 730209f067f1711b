"""ECCN from specifications. TPP = dense TOPS x bit length (= 2 x MacTOPS x bit length), the
highest over the precisions given; PD = TPP / applicable die area. The 3A090 paragraphs, Note 2
and their dates come from ``packs/us-ear``; what is missing is reported, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, Finding, Severity
from rackclear.rulebook.lookup import Status
from rackclear.rulebook.registry import Rulebook

PACK = "us-ear"
CHIP_KINDS = {"gpu", "accelerator", "asic", "cpu", "fpga", "ic", "processor", "gpu_chip", "npu"}
ASSEMBLY_KINDS = {
    "accelerator_card",
    "gpu_card",
    "gpu_module",
    "module",
    "card",
    "baseboard",
    "gpu_baseboard",
    "accelerator_module",
}
COMPUTER_KINDS = {"server", "gpu_server", "ai_server", "computer", "system", "compute_node"}
NETWORK_KINDS = {
    "switch",
    "router",
    "nic",
    "smartnic",
    "dpu",
    "transceiver",
    "optical_transceiver",
    "network_switch",
    "network_adapter",
}
MEMORY_KINDS = {"hbm", "memory"}
ADVANCED_KINDS = CHIP_KINDS | ASSEMBLY_KINDS | COMPUTER_KINDS | MEMORY_KINDS
TPP_TOLERANCE = Decimal("0.05")  # a stated TPP more than 5 % off the computed one is reported
PERFORMANCE_KEYS = ("tpp", "dense_tops.", "accelerator.", "die_area_mm2")


def is_advanced_computing(eccn: str | None) -> bool:
    """An ECCN of 3A090 or 4A090 (any paragraph).

    >>> is_advanced_computing("4A090.a"), is_advanced_computing("5A992.c"), is_advanced_computing(None)
    (True, False, False)
    """
    return bool(eccn) and str(eccn).strip().upper()[:5] in ("3A090", "4A090")


@dataclass
class EccnResult:
    eccn: str | None
    paragraph: str | None
    tpp: Decimal | None
    performance_density: Decimal | None
    version: str | None = None
    tpp_contested: bool = False
    outside_3a090: bool = False  # the specs were assessed and no 3A090 paragraph is met
    # the ECCNs the item can have when the facts do not settle one (each AT-only, say): the
    # licence need is settled when every candidate gives the same answer
    candidates: list[str] = field(default_factory=list)
    grade: str | None = None  # the grade of the classification rule the ECCN rests on
    citation: Citation | None = None
    steps: list[Step] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def advanced_computing(self) -> bool:
        return is_advanced_computing(self.eccn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "eccn": self.eccn,
            "paragraph": self.paragraph,
            "tpp": _num(self.tpp),
            "performance_density": _num(self.performance_density),
            "rule_version": self.version,
            "candidates": list(self.candidates),
            "grade": self.grade,
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


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _dec(value: Any) -> Decimal | None:
    """A finite, positive performance figure, or None (absent or unusable)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _metric(
    specs: dict[str, Any], key: str, out: EccnResult, concerns: Concerns, *aliases: str
) -> Decimal | None:
    """``specs[key]`` (or an alias) as a positive number; a value given but unusable is reported."""
    for name in (key, *aliases):
        if name in specs and specs[name] is not None and str(specs[name]).strip() != "":
            number = _dec(specs[name])
            if number is None:
                out.findings.append(
                    make(
                        "ECCN_SPEC_INVALID",
                        f"{name} = {specs[name]!r} cannot be used: a positive finite number is expected.",
                        f"Correct {name} from the datasheet.",
                        concerns,
                    )
                )
            return number
    return None


@lru_cache(maxsize=1024)
def normalise_kind(kind: str | None) -> str:
    """``"GPU Server"`` and ``"gpu-server"`` are both ``gpu_server``."""
    return re.sub(r"[\s\-]+", "_", str(kind or "").strip().lower())


def parse_bool(value: Any) -> bool | None:
    """True/False from a spec value (``yes``, ``1``, ``false`` ...); anything else is unknown."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in ("true", "yes", "1") else False if text in ("false", "no", "0") else None


def chip_specs(specs: dict[str, Any]) -> dict[str, Any]:
    """The specs of the IC that decides: ``accelerator.*`` keys for a system, else the item's own."""
    inner = {k.split(".", 1)[1]: v for k, v in specs.items() if k.startswith("accelerator.")}
    return inner or specs


def compute_tpp(
    book: Rulebook, specs: dict[str, Any], when: date, out: EccnResult, concerns: Concerns
) -> Decimal | None:
    bits = book.parameter(PACK, "bit_lengths", when)
    dense = {k.split(".", 1)[1]: _dec(v) for k, v in specs.items() if k.startswith("dense_tops.")}
    candidates = []
    for precision, tops in dense.items():
        width = (bits.value or {}).get(precision) if bits.usable else None
        if tops is None or width is None:
            out.findings.append(
                make(
                    "ECCN_SPEC_INVALID",
                    f"dense_tops.{precision} = {specs.get('dense_tops.' + precision)} cannot be used (unknown precision or not a number).",
                    "Give dense TOPS/TFLOPS for fp4, fp6, fp8, int4, int8, fp16, bf16, tf32, fp32 or fp64.",
                    concerns,
                )
            )
            continue
        value = tops * Decimal(width)
        candidates.append((value, precision))
        out.steps.append(
            Step(
                f"TPP at {precision}: {tops} dense TOPS x {width} bits",
                f"{_num(value)}",
                bits.citation,
            )
        )
    if any(k.startswith("sparse_tops.") for k in specs):
        out.findings.append(
            make(
                "SPARSE_FIGURES_IGNORED",
                "Sparse (structured-sparsity) figures were given; TPP uses dense rates only.",
                "Give the dense peak rates from the datasheet.",
                concerns,
            )
        )
    computed = max(candidates)[0] if candidates else None
    if computed is not None:
        out.steps.append(
            Step(
                f"TPP is the highest over the precisions ({max(candidates)[1]})",
                _num(computed) or "",
            )
        )
    stated = _metric(specs, "tpp", out, concerns)
    if stated is None:
        return computed
    out.steps.append(
        Step(f"Manufacturer-stated TPP {_num(stated)} accepted as evidence", _num(stated) or "")
    )
    if computed is None or abs(stated - computed) <= TPP_TOLERANCE * computed:
        return stated
    out.tpp_contested = True
    higher = max(stated, computed)
    out.findings.append(
        make(
            "TPP_MISMATCH",
            f"Stated TPP {_num(stated)} differs from the TPP computed from dense rates ({_num(computed)}) by more than 5 %; the higher ({_num(higher)}) is used and Note 2 is not applied.",
            "Check the datasheet figures; the manufacturer's classification or a BIS ruling decides.",
            concerns,
        )
    )
    out.steps.append(
        Step(
            f"Stated and computed TPP disagree: classified on the higher, {_num(higher)}",
            _num(higher) or "",
        )
    )
    return higher


def _holds(
    conditions: dict[str, dict[str, Any]], metrics: dict[str, Decimal | None]
) -> bool | None:
    undecided = False
    for key, bounds in conditions.items():
        value = metrics.get(key)
        if value is None:
            undecided = True
            continue
        for op, limit in bounds.items():
            lim = Decimal(str(limit))
            ok = {"ge": value >= lim, "gt": value > lim, "lt": value < lim, "le": value <= lim}[op]
            if not ok:
                return False
    return None if undecided else True


def determine_eccn(
    book: Rulebook,
    specs: dict[str, Any],
    when: date,
    declared: str | None = None,
    concerns: Concerns | None = None,
) -> EccnResult:
    """The ECCN of an item from its ``kind`` and specs, under the rules in force on ``when``."""
    concerns = concerns or Concerns()
    kind = normalise_kind(str(specs.get("kind") or ""))
    out = EccnResult(None, None, None, None)
    performance = any(k.startswith(PERFORMANCE_KEYS) for k in specs)
    family = _family_of(book, kind, when)
    if family is not None and not (performance and kind not in NETWORK_KINDS):
        _by_family(out, family, specs, concerns)
        if any(k.startswith("accelerator.") for k in specs):
            _z_review(out, concerns)
    elif kind in ADVANCED_KINDS:
        _advanced(book, out, kind, specs, when, concerns)
    elif performance:
        as_kind = "computer" if any(k.startswith("accelerator.") for k in specs) else "ic"
        out.steps.append(
            Step(
                f"Kind '{kind or 'not given'}' is not a known family, but performance figures are given: evaluated against 3A090 as {'a system containing ICs' if as_kind == 'computer' else 'an IC'}"
            )
        )
        _advanced(book, out, as_kind, specs, when, concerns)
    else:
        out.eccn = None
        out.steps.append(
            Step(
                f"Kind '{kind or 'not given'}' is outside the advanced-computing and network families"
            )
        )
        out.findings.append(
            make(
                "ECCN_NEEDS_REVIEW",
                f"No ECCN rule for kind '{kind or 'not given'}'; EAR99 is likely for passive hardware but must be confirmed.",
                "Classify against the CCL (or obtain the manufacturer's ECCN) and record it as declared.eccn.",
                concerns,
            )
        )
    if declared:
        _compare(out, declared, concerns)
    return out


def _compare(out: EccnResult, declared: str, concerns: Concerns) -> None:
    out.steps.append(Step(f"Declared ECCN {declared}"))
    given = declared.upper().replace(" ", "")
    given_advanced = is_advanced_computing(given)
    if given_advanced != out.advanced_computing and (out.advanced_computing or out.outside_3a090):
        out.findings.append(
            make(
                "ECCN_CONFLICT",
                f"Declared ECCN {declared} and the specs ({out.eccn or 'outside 3A090/4A090'}) disagree on whether the item is an advanced-computing item; the stricter ({out.eccn if out.advanced_computing else given}) is used for licensing.",
                "Resolve the conflict with the manufacturer's classification (or a BIS CCATS) before shipping.",
                concerns,
            )
        )
    elif out.eccn and given != out.eccn.upper() and not given.startswith(out.eccn.upper()):
        out.findings.append(
            make(
                "ECCN_DISAGREES",
                f"Declared ECCN {declared} differs from the ECCN the specs give ({out.eccn}).",
                "Check the specs and the manufacturer's classification; correct one of them.",
                concerns,
            )
        )


class _Family:
    """A family's classification rules as in force on a date, with the rule's citation."""

    def __init__(self, data: dict[str, Any], controls: dict[str, list[str]], found: Any) -> None:
        self.data, self.controls, self.found = data, controls, found


def _family_of(book: Rulebook, kind: str, when: date) -> _Family | None:
    rules = book.parameter(PACK, "export_classification", when)
    if not rules.estimable or not kind:
        return None
    for family in rules.value.get("families", []):
        if kind in family.get("kinds", []):
            return _Family(family, rules.value.get("controls", {}), rules)
    return None


def classification_rules(book: Rulebook, when: date) -> Any:
    """The export-classification rule in force on ``when`` (controls, families, destinations)."""
    return book.parameter(PACK, "export_classification", when)


def _by_family(out: EccnResult, family: _Family, specs: dict[str, Any], concerns: Concerns) -> None:
    """The ECCN (or the candidate ECCNs) of a family from the facts its rules name, in order."""
    found = family.found
    out.grade, out.citation = found.grade, found.citation
    name = family.data.get("name", family.data.get("id"))
    out.steps.append(
        Step(
            f"Export classification of a {name}: rules of the pack, order of review of the CCL"
            + ("" if found.usable else f" (grade {found.grade}: confirm)"),
            "",
            found.citation,
        )
    )
    missing: list[str] = []
    for rule in family.data.get("when", []):
        conditions: dict[str, Any] = rule.get("if") or {}
        facts = {k: parse_bool(specs.get(k)) for k in conditions}
        unknown = [k for k, v in facts.items() if v is None]
        if any(v is not None and v != conditions[k] for k, v in facts.items()):
            continue  # a stated fact rules this branch out
        if unknown:
            missing.extend(k for k in unknown if k not in missing)
            continue
        outcome = [str(e) for e in rule["outcome"]]
        stated = ", ".join(f"{k} = {'yes' if v else 'no'}" for k, v in conditions.items())
        out.steps.append(
            Step(
                (f"Specs state {stated}: " if stated else "") + str(rule["reasoning"]),
                " or ".join(outcome),
                found.citation,
            )
        )
        _settle(out, outcome, family.controls)
        if not found.usable:
            out.findings.append(
                make(
                    "ECCN_CONFIRM",
                    f"{' or '.join(outcome)} by the pack's reading of the CCL (grade {found.grade}).",
                    "Confirm the ECCN with the manufacturer's classification and record it as declared.eccn.",
                    concerns,
                    (found.citation,) if found.citation else (),
                )
            )
        if outcome == ["5A002.a"]:
            out.findings.append(
                make(
                    "ENC_CLASSIFICATION_REQUEST",
                    "5A002 network infrastructure item: License Exception ENC needs a classification request (30-day wait outside Supp. 3) and semi-annual sales reporting.",
                    "File the classification request under 15 CFR 740.17(b)(2) or obtain the manufacturer's CCATS.",
                    concerns,
                    (found.citation,) if found.citation else (),
                )
            )
        return
    # the facts do not settle one branch: every branch still open is a candidate
    open_branches = [
        rule
        for rule in family.data.get("when", [])
        if not any(
            parse_bool(specs.get(k)) is not None and parse_bool(specs.get(k)) != v
            for k, v in (rule.get("if") or {}).items()
        )
    ]
    candidates: list[str] = []
    for rule in open_branches:
        candidates.extend(str(e) for e in rule["outcome"] if str(e) not in candidates)
    out.candidates = candidates
    facts_text = (
        _FACT_WORDS["encryption"] + " (and, if it does, " + _FACT_WORDS["mass_market"] + ")"
        if set(missing) == {"encryption", "mass_market"}
        else " and ".join(_FACT_WORDS.get(m, m) for m in missing)
    )
    out.steps.append(
        Step(
            f"The specs do not say {facts_text}: the ECCN is one of {', '.join(candidates)}",
            "needs data",
            found.citation,
        )
    )
    out.findings.append(
        make(
            "ECCN_DATA_NEEDED",
            f"The ECCN cannot be settled: the specs of this {name} do not say {facts_text}"
            f" (it is one of {', '.join(candidates)}).",
            "Record "
            + " and ".join(f"specs.{m} (true or false)" for m in missing)
            + " from the datasheet or the manufacturer's classification, or the manufacturer's ECCN as declared.eccn, before export.",
            concerns,
            (found.citation,) if found.citation else (),
            Severity.WARNING,  # a data request, not a blocker: the licence check says what rides on it
        )
    )


_FACT_WORDS = {
    "encryption": "whether it implements encryption (e.g. MACsec, IPsec, self-encryption)",
    "mass_market": "whether it is a mass-market item (Cat. 5 Part 2, Note 3)",
}


def _settle(out: EccnResult, outcome: list[str], controls: dict[str, list[str]]) -> None:
    """One ECCN, or several with the same reasons for control (the licence need is the same)."""
    if len(outcome) == 1:
        out.eccn = out.paragraph = outcome[0]
        return
    out.candidates = list(outcome)
    reasons = {tuple(controls.get(e, ["?"])) for e in outcome}
    if len(reasons) == 1:
        out.steps.append(
            Step(
                f"{' and '.join(outcome)} have the same reasons for control"
                f" ({', '.join(next(iter(reasons))) or 'none: EAR99'}): the licence need is the"
                " same whichever applies; the manufacturer's ECCN settles which",
                " or ".join(outcome),
            )
        )


def _z_review(out: EccnResult, concerns: Concerns) -> None:
    out.findings.append(
        make(
            "ECCN_Z_PARAGRAPH_REVIEW",
            "The item contains an accelerator: check whether a .z paragraph (e.g. 5A992.z, 5A002.z) applies.",
            "Evaluate the accelerator against 3A090 and apply the matching .z paragraph.",
            concerns,
        )
    )


def _advanced(
    book: Rulebook,
    out: EccnResult,
    kind: str,
    specs: dict[str, Any],
    when: date,
    concerns: Concerns,
) -> None:
    rules = book.parameter(PACK, "advanced_computing", when)
    if not rules.usable:
        first = book.first_date(PACK, "advanced_computing")
        if first is not None and when < first:
            out.steps.append(Step(f"3A090 was not yet in force on {when} (added from {first})"))
            message = f"3A090 was not yet in force on {when} (it applies from {first}); the item falls under the CCL as then in force (e.g. 4A994, 3A991 or EAR99)."
        elif rules.status is Status.UNVERIFIED:
            message = f"The 3A090 rule version in force on {when} is not verified in the pack."
        else:
            message = f"No 3A090 rule version in force on {when} in the pack."
        out.findings.append(
            make(
                "ECCN_NEEDS_REVIEW",
                message,
                "Classify against the CCL as in force on the date, or add the rule version to packs/us-ear.",
                concerns,
            )
        )
        return
    cite: Citation | None = rules.citation
    out.version = str(rules.value.get("version"))
    out.steps.append(Step(f"3A090 as in force on {when}: {out.version}", out.version, cite))
    chip = chip_specs(specs) if kind in COMPUTER_KINDS | ASSEMBLY_KINDS else specs
    if chip is not specs:
        count = specs.get("accelerator_count") or specs.get("accelerators")
        out.steps.append(
            Step(
                f"A {kind} is classified by the ICs it contains ({count or 'unknown number of'} accelerators): their specs decide"
            )
        )
    out.tpp = compute_tpp(book, chip, when, out, concerns)
    area = _metric(chip, "die_area_mm2", out, concerns)
    if out.tpp is not None and area:
        out.performance_density = (out.tpp / area).quantize(Decimal("0.001"))
        out.steps.append(
            Step(
                f"PD = TPP {_num(out.tpp)} / applicable die area {_num(area)} mm2",
                _num(out.performance_density) or "",
            )
        )
    metrics = {
        "tpp": out.tpp,
        "performance_density": out.performance_density,
        "interconnect_gbps": _metric(chip, "interconnect_gbps", out, concerns),
        "hbm_bandwidth_density": _metric(chip, "hbm_bandwidth_density", out, concerns),
    }
    given = chip.get("datacenter", specs.get("datacenter"))
    datacenter = parse_bool(given)
    if given is not None and datacenter is None:
        out.findings.append(
            make(
                "ECCN_SPEC_INVALID",
                f"datacenter = {given!r} is not true or false; it is treated as unknown.",
                "State datacenter=true or datacenter=false from the datasheet's marketing.",
                concerns,
            )
        )
    note2 = rules.value.get("note2") or {}
    limit = (
        Decimal(str(note2["not_datacenter_tpp_below"]))
        if "not_datacenter_tpp_below" in note2
        else None
    )
    if limit is not None and datacenter is False and out.tpp_contested:
        out.steps.append(Step("Note 2 to 3A090 is not applied: the TPP is contested", "", cite))
    elif limit is not None and datacenter is False and out.tpp is not None and out.tpp < limit:
        out.steps.append(
            Step(
                f"Note 2 to 3A090: not designed or marketed for data centres and TPP below {limit}: outside 3A090",
                "not 3A090",
                cite,
            )
        )
        _outside(out, kind, concerns, classification_rules(book, when))
        return
    undecided: list[str] = []
    for paragraph in rules.value.get("paragraphs", []):
        if bool(paragraph.get("memory")) != (kind in MEMORY_KINDS):
            continue
        held = _holds(paragraph["all"], metrics)
        if held:
            return _matched(out, kind, paragraph["id"], limit, datacenter, cite, concerns)
        if held is None:
            undecided.append(paragraph["id"])
    if undecided:
        missing = sorted(
            {
                k
                for p in rules.value["paragraphs"]
                if p["id"] in undecided
                for k in p["all"]
                if metrics.get(k) is None
            }
        )
        needs = {
            "tpp": "dense peak TOPS per precision (datasheet) or the stated TPP",
            "performance_density": "the applicable die area (mm2)",
            "interconnect_gbps": "the bidirectional interconnect rate (GB/s)",
            "hbm_bandwidth_density": "the memory bandwidth density (GB/s/mm2)",
        }
        out.steps.append(
            Step(
                f"Cannot decide {', '.join(undecided)}: missing {', '.join(missing)}", "needs data"
            )
        )
        out.findings.append(
            make(
                "ECCN_DATA_NEEDED",
                f"3A090 cannot be decided: missing {', '.join(missing)}.",
                "Obtain " + "; ".join(needs[m] for m in missing) + ".",
                concerns,
                (cite,) if cite else (),
            )
        )
        return
    out.steps.append(Step("No 3A090 paragraph is met", "not 3A090", cite))
    _outside(out, kind, concerns, classification_rules(book, when))


def _matched(
    out: EccnResult,
    kind: str,
    paragraph: str,
    limit: Decimal | None,
    datacenter: bool | None,
    cite: Citation | None,
    concerns: Concerns,
) -> None:
    if limit is not None and datacenter is None and out.tpp is not None and out.tpp < limit:
        out.steps.append(
            Step(
                f"{paragraph} is met, but Note 2 excludes items not designed or marketed for data centres below TPP {limit}",
                "needs data",
                cite,
            )
        )
        out.findings.append(
            make(
                "ECCN_DATA_NEEDED",
                f"{paragraph} applies only if the item is designed or marketed for data centres (Note 2 to 3A090).",
                "State whether the item is designed or marketed for data centres (spec datacenter=true/false), with the datasheet.",
                concerns,
                (cite,) if cite else (),
            )
        )
        return
    ecc = paragraph if paragraph.count(".") < 2 else paragraph.rsplit(".", 1)[0]
    if kind in COMPUTER_KINDS | ASSEMBLY_KINDS and ecc.startswith("3A090"):
        ecc = "4A090" + ecc[5:]
        out.steps.append(
            Step(
                f"A computer or electronic assembly containing an IC of {paragraph} is in {ecc}",
                ecc,
            )
        )
    out.eccn, out.paragraph = ecc, paragraph
    out.steps.append(Step(f"ECCN {ecc} (paragraph {paragraph})", ecc, cite))


def _outside(out: EccnResult, kind: str, concerns: Concerns, rules: Any = None) -> None:
    """Outside 3A090/4A090: the candidate ECCNs of the pack (all AT-only), or a review."""
    out.outside_3a090 = True
    group = "computer" if kind in COMPUTER_KINDS | ASSEMBLY_KINDS else "chip"
    entry = (
        (rules.value.get("outside_3a090") or {}).get(group) if rules and rules.estimable else None
    )
    if entry and kind not in MEMORY_KINDS:
        candidates = [str(e) for e in entry["candidates"]]
        out.grade, out.citation = rules.grade, rules.citation
        out.steps.append(
            Step(
                f"Outside 3A090/4A090: {entry['facts']}",
                " or ".join(candidates),
                rules.citation,
            )
        )
        _settle(out, candidates, rules.value.get("controls", {}))
        out.findings.append(
            make(
                "ECCN_CONFIRM",
                f"Outside 3A090/4A090: {' or '.join(candidates)} by the pack's reading of the CCL"
                f" (grade {rules.grade}); the licence need is the same for each.",
                "Confirm the ECCN with the manufacturer's classification and record it as declared.eccn.",
                concerns,
                (rules.citation,) if rules.citation else (),
            )
        )
        return
    likely = (
        "4A994" if kind in COMPUTER_KINDS else "3A991" if kind in CHIP_KINDS else "4A994 or 3A991"
    )
    out.findings.append(
        make(
            "ECCN_NEEDS_REVIEW",
            f"Outside 3A090/4A090; {likely} (or EAR99) is likely but needs review, never a silent default.",
            "Confirm the ECCN against the CCL or the manufacturer's classification.",
            concerns,
        )
    )
