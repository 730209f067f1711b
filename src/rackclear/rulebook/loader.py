"""Load one rule-pack folder strictly, collecting every problem before failing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from rackclear.rulebook.conformity_schema import DocumentsFile, ImporterFile, RequirementsFile
from rackclear.rulebook.errors import PackError
from rackclear.rulebook.lookup import Dated, DatedSeries, check_order
from rackclear.rulebook.memberships import Memberships, parse_memberships
from rackclear.rulebook.national import NationalLines, parse_national_lines
from rackclear.rulebook.schema import (
    ChargesFile,
    FamiliesFile,
    MeasuresFile,
    MeasureSpec,
    PackMeta,
    RuleFile,
    VagueFile,
    ValueEntry,
)
from rackclear.rulebook.strict_yaml import load_strict
from rackclear.rulebook.tariff import Tariff, parse_tariff

M = TypeVar("M", bound=BaseModel)
KNOWN_FILES = {
    "pack.yaml",
    "charges.yaml",
    "tariff.csv",
    "national_lines.csv",
    "families.yaml",
    "country_groups.csv",
    "vague.yaml",
    "requirements.yaml",
    "importer.yaml",
    "documents.yaml",
    "README.md",
}
KNOWN_DIRS = {"parameters", "measures"}


@dataclass
class Measure:
    """An additional duty with its dated rates (see ``schema.MeasureSpec``)."""

    spec: MeasureSpec
    series: DatedSeries


@dataclass
class Pack:
    """One loaded rule pack."""

    meta: PackMeta
    path: str
    digest: str
    parameters: dict[str, DatedSeries] = field(default_factory=dict)
    parameter_info: dict[str, RuleFile] = field(default_factory=dict)
    charges: ChargesFile | None = None
    tariff: Tariff | None = None
    measures: dict[str, list[Measure]] = field(default_factory=dict)
    national_lines: NationalLines | None = None
    country_groups: Memberships | None = None
    families: FamiliesFile | None = None
    vague: VagueFile | None = None
    requirements: RequirementsFile | None = None
    importer: ImporterFile | None = None
    documents: DocumentsFile | None = None


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validate(model: type[M], data: Any, file: str, errors: list[PackError]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            errors.append(PackError(file, _location(err["loc"]), err["msg"]))
        return None


def _parse(model: type[M], node: Traversable, file: str, errors: list[PackError]) -> M | None:
    """Read a YAML file strictly and validate it against ``model``."""
    try:
        data = load_strict(node.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        errors.append(PackError(file, "", " ".join(f"not valid YAML: {exc}".split())))
        return None
    except ValueError as exc:  # e.g. an impossible date such as 2021-02-30
        errors.append(PackError(file, "", f"bad value: {exc}"))
        return None
    return _validate(model, data, file, errors)


def dated_values(
    rule: str, entries: list[ValueEntry], file: str, errors: list[PackError]
) -> DatedSeries:
    """Turn validated value entries into a series, reporting unsorted or overlapping dates."""
    for problem in check_order([(e.from_, e.until) for e in entries]):
        errors.append(PackError(file, problem.split(":")[0], problem.split(": ", 1)[1]))
    dated = [Dated(e.value, e.citation(rule, e.provisional), e.note) for e in entries]
    return DatedSeries(rule, dated)


def _digest(root: Traversable) -> str:
    sha = hashlib.sha256()
    for node in sorted(_walk(root), key=lambda n: str(n)):
        sha.update(str(node.name).encode())
        sha.update(node.read_bytes())
    return sha.hexdigest()[:16]


def _walk(root: Traversable) -> list[Traversable]:
    out: list[Traversable] = []
    for node in root.iterdir():
        if node.is_dir():
            out.extend(_walk(node))
        elif node.name != "__pycache__":
            out.append(node)
    return out


def load_pack(root: Traversable, label: str, errors: list[PackError]) -> Pack | None:
    """Load the pack in ``root``; problems go to ``errors`` (labelled ``label/...``)."""
    names = {n.name: n for n in root.iterdir() if n.name != "__pycache__"}
    for name, node in names.items():
        if (node.is_dir() and name not in KNOWN_DIRS) or (
            node.is_file() and name not in KNOWN_FILES
        ):
            errors.append(PackError(f"{label}/{name}", "", "unknown file or folder in a rule pack"))
    if "pack.yaml" not in names:
        errors.append(PackError(f"{label}/pack.yaml", "", "missing: every pack needs pack.yaml"))
        return None
    meta = _parse(PackMeta, names["pack.yaml"], f"{label}/pack.yaml", errors)
    if meta is None:
        return None
    pack = Pack(meta=meta, path=label, digest=_digest(root))
    if "parameters" in names:
        _load_parameters(pack, names["parameters"], label, errors)
    if "charges.yaml" in names:
        pack.charges = _parse(ChargesFile, names["charges.yaml"], f"{label}/charges.yaml", errors)
    if "tariff.csv" in names:
        file = f"{label}/tariff.csv"
        pack.tariff = parse_tariff(
            meta.id, file, names["tariff.csv"].read_text(encoding="utf-8"), errors
        )
    if "measures" in names:
        _load_measures(pack, names["measures"], label, errors)
    if "national_lines.csv" in names:
        file = f"{label}/national_lines.csv"
        pack.national_lines = parse_national_lines(
            meta.id, file, names["national_lines.csv"].read_text(encoding="utf-8"), errors
        )
    if "country_groups.csv" in names:
        file = f"{label}/country_groups.csv"
        pack.country_groups = parse_memberships(
            meta.id, file, names["country_groups.csv"].read_text(encoding="utf-8"), errors
        )
    if "families.yaml" in names:
        pack.families = _parse(
            FamiliesFile, names["families.yaml"], f"{label}/families.yaml", errors
        )
    if "vague.yaml" in names:
        pack.vague = _parse(VagueFile, names["vague.yaml"], f"{label}/vague.yaml", errors)
    _load_border_files(pack, names, label, errors)
    return pack


def _load_border_files(
    pack: Pack, names: dict[str, Traversable], label: str, errors: list[PackError]
) -> None:
    """requirements.yaml, importer.yaml and documents.yaml, with their dated entries checked:
    versions of one id may not overlap."""
    if "requirements.yaml" in names:
        file = f"{label}/requirements.yaml"
        pack.requirements = _parse(RequirementsFile, names["requirements.yaml"], file, errors)
        if pack.requirements:
            _no_overlap(
                [(r.id, r.from_, r.until) for r in pack.requirements.requirements], file, errors
            )
    if "importer.yaml" in names:
        file = f"{label}/importer.yaml"
        pack.importer = _parse(ImporterFile, names["importer.yaml"], file, errors)
        if pack.importer:
            rows = [("non_resident", n.from_, n.until) for n in pack.importer.non_resident]
            rows += [(r.id, r.from_, r.until) for r in pack.importer.rules]
            _no_overlap(rows, file, errors)
    if "documents.yaml" in names:
        file = f"{label}/documents.yaml"
        pack.documents = _parse(DocumentsFile, names["documents.yaml"], file, errors)
        if pack.documents:
            _no_overlap([(d.id, d.from_, d.until) for d in pack.documents.documents], file, errors)


def _no_overlap(rows: list[tuple[str, Any, Any]], file: str, errors: list[PackError]) -> None:
    by_id: dict[str, list[tuple[Any, Any]]] = {}
    for rid, start, end in rows:
        by_id.setdefault(rid, []).append((start, end))
    for rid, spans in by_id.items():
        for problem in check_order(spans):
            errors.append(PackError(file, rid, problem.split(": ", 1)[-1]))


def _load_parameters(pack: Pack, folder: Traversable, label: str, errors: list[PackError]) -> None:
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        file = f"{label}/parameters/{node.name}"
        if not node.name.endswith(".yaml"):
            errors.append(PackError(file, "", "parameters are .yaml files"))
            continue
        rule = _parse(RuleFile, node, file, errors)
        if rule is None:
            continue
        name = node.name.removesuffix(".yaml")
        rule_id = f"{pack.meta.id}.{name}"
        pack.parameters[name] = dated_values(rule_id, rule.values, file, errors)
        pack.parameter_info[name] = rule


def _load_measures(pack: Pack, folder: Traversable, label: str, errors: list[PackError]) -> None:
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        file = f"{label}/measures/{node.name}"
        parsed = _parse(MeasuresFile, node, file, errors)
        if parsed is None:
            continue
        group = node.name.removesuffix(".yaml")
        pack.measures[group] = [
            Measure(spec, dated_values(f"{pack.meta.id}.{spec.id}", spec.values, file, errors))
            for spec in parsed.measures
        ]
