"""Read a deployment map (YAML or JSON, lines optionally from XLSX/CSV) and report every problem.

Each problem names the file, the path (``shipments[3].lines[2].sku``) or sheet row, the value
found and what was expected. Errors stop planning; warnings do not. Inputs are read within
``ReadLimits`` (size, nesting, XLSX cells), decoded strictly, with every amount exact, and a
``lines_file`` only from the map's folder or a folder the caller allows (see
docs/deployment-map.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rackclear.domain.codes import is_country
from rackclear.domain.deployment import Deployment
from rackclear.io.limits import DEFAULT_LIMITS, LIMIT_OPTION, ReadLimits, Refused
from rackclear.io.lines_sheet import LINE_COLUMNS, read_sheet, show
from rackclear.io.map_issues import MapError, MapIssue
from rackclear.io.map_parse import parse_json, parse_yaml
from rackclear.io.safe_paths import read_bounded, resolve_inside
from rackclear.io.text_input import decode_text

__all__ = ["LINE_COLUMNS", "MapError", "MapIssue", "ReadLimits", "path_of", "read_map"]

MAP_SUFFIXES = {".yaml", ".yml", ".json"}
SHEET_SUFFIXES = {".xlsx", ".csv"}
BOOL_HINT = " (YAML reads an unquoted NO, YES, ON, OFF as true/false: quote it)"


def path_of(loc: tuple[Any, ...]) -> str:
    """``("shipments", 3, "lines", 2, "sku")`` -> ``shipments[3].lines[2].sku``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _key(value: Any) -> str | None:
    """An id or reference as the model will see it (text, stripped); ``None`` for a value of the
    wrong type, which validation reports on its own."""
    return value.strip() if isinstance(value, str) else None


def _suffix_problem(path: Path) -> MapIssue | None:
    suffix = path.suffix.lower()
    if suffix in MAP_SUFFIXES:
        return None
    hint = " (XLSX/CSV sheets hold shipment lines; name them in the map's lines_file)"
    extra = hint if suffix in SHEET_SUFFIXES else ""
    expected = f"a deployment map is a .yaml, .yml or .json file{extra}"
    return MapIssue(str(path), "", path.suffix or "no suffix", expected)


def _parse(text: str, suffix: str, limits: ReadLimits) -> Any:
    """The parsed document; raises ``Refused`` with the parser's message."""
    kind = "JSON" if suffix == ".json" else "YAML"
    try:
        return parse_json(text, limits) if suffix == ".json" else parse_yaml(text, limits)
    except (yaml.YAMLError, ValueError) as exc:
        raise Refused(f"valid {kind}: {str(exc).replace(chr(10), ' ')}") from None


def _parse_text(
    path: Path, issues: list[MapIssue], limits: ReadLimits, encoding: str | None
) -> Any:
    problem = _suffix_problem(path)
    if problem:
        issues.append(problem)
        return None
    try:
        text = decode_text(read_bounded(path, limits.max_map_bytes, "max_map_bytes"), encoding)
        return _parse(text, path.suffix.lower(), limits) if text.strip() else None
    except FileNotFoundError:
        issues.append(MapIssue(str(path), "", "", "an existing deployment map file"))
    except Refused as refusal:
        issues.append(MapIssue.refused(str(path), refusal))
    return None


def _sheet(
    data: dict[str, Any], file: str, base: Path, options: _Options, issues: list[MapIssue]
) -> tuple[Path, list[tuple[str, dict[str, Any]]]] | None:
    """The lines sheet's path as named, and its rows; ``None`` when it cannot be read."""
    name = data["lines_file"]
    try:
        target = resolve_inside(base, name, options.allow_paths)
    except Refused as refusal:
        issues.append(MapIssue.refused(file, refusal))
        return None
    shown = base / name
    rows, problems = read_sheet(target, options.limits, options.encoding, str(shown))
    issues.extend(problems)
    return (shown, rows) if rows or not problems else None


def _attach_lines(
    data: dict[str, Any], file: str, base: Path, options: _Options, issues: list[MapIssue]
) -> dict[int, tuple[str, str]] | None:
    """Move sheet rows into their shipments; return where each attached line came from
    (``None`` when the sheet could not be read)."""
    origins: dict[int, tuple[str, str]] = {}
    if not isinstance(data["lines_file"], str):
        return origins  # validation reports lines_file's type
    read = _sheet(data, file, base, options, issues)
    if read is None:
        return None
    sheet, rows = read
    entries = data.get("shipments")
    shipments = (
        {_key(s.get("id")): s for s in entries if isinstance(s, dict)}
        if isinstance(entries, list)
        else {}
    )
    shipments.pop(None, None)
    for label, row in rows:
        ship_id = row.get("shipment")
        ship_id = str(ship_id).strip() if ship_id is not None else ""
        target = shipments.get(ship_id)
        if target is None:
            issues.append(
                MapIssue(
                    str(sheet),
                    f"{label}, column shipment",
                    show(ship_id),
                    "the id of a shipment in the map",
                )
            )
            continue
        # origin_proof goes to the model as written: it accepts true/false, yes/no, 1/0 and
        # rejects anything else instead of reading it as false.
        line = {k: v for k, v in row.items() if k != "shipment" and v not in (None, "")}
        lines = target.setdefault("lines", [])
        if not isinstance(lines, list):
            continue  # validation reports the map's lines as not a list
        lines.append(line)
        origins[id(line)] = (str(sheet), label)
    return origins


def _duplicates(data: dict[str, Any], file: str, issues: list[MapIssue]) -> None:
    for section, key in (
        ("catalog", "sku"),
        ("sites", "id"),
        ("shipments", "id"),
        ("parties", "id"),
    ):
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        keys = [_key(e.get(key)) if isinstance(e, dict) else None for e in entries]
        counts = Counter(k for k in keys if k is not None)
        for i, k in enumerate(keys):
            if k is not None and counts[k] > 1:
                issues.append(
                    MapIssue(
                        file,
                        f"{section}[{i}].{key}",
                        show(entries[i].get(key)),
                        f"a unique {key} (it appears {counts[k]} times)",
                    )
                )


def _references(
    data: dict[str, Any],
    file: str,
    line_origin: dict[int, tuple[str, str]],
    issues: list[MapIssue],
    sheet_read: bool = True,
) -> None:
    def ids(section: str, key: str) -> set[str | None]:
        entries = data.get(section)
        return (
            {_key(e.get(key)) for e in entries if isinstance(e, dict)}
            if isinstance(entries, list)
            else set()
        )

    def unknown(value: Any, known: set[str | None]) -> bool:
        """A text reference to nothing; a value of the wrong type is left to validation."""
        return isinstance(value, str) and _key(value) not in known

    skus, sites, parties = ids("catalog", "sku"), ids("sites", "id"), ids("parties", "id")
    importers = data.get("importers_of_record")
    for country, party in importers.items() if isinstance(importers, dict) else ():
        if isinstance(country, str) and not is_country(country):  # other types: validation
            issues.append(
                MapIssue(
                    file,
                    f"importers_of_record.{country}",
                    show(country),
                    "an ISO 3166-1 alpha-2 country code",
                )
            )
        if unknown(party, parties):
            issues.append(
                MapIssue(
                    file,
                    f"importers_of_record.{country}",
                    show(party),
                    "the id of a party in parties",
                )
            )
    shipments = data.get("shipments")
    for i, ship in enumerate(shipments if isinstance(shipments, list) else []):
        if not isinstance(ship, dict):
            continue
        if unknown(ship.get("site"), sites):
            issues.append(
                MapIssue(
                    file, f"shipments[{i}].site", show(ship["site"]), "the id of a site in sites"
                )
            )
        for role in ("exporter", "consignee", "end_user"):
            if unknown(ship.get(role), parties):
                issues.append(
                    MapIssue(
                        file,
                        f"shipments[{i}].{role}",
                        show(ship[role]),
                        "the id of a party in parties",
                    )
                )
        lines = ship.get("lines", [])
        # an unreadable lines file is reported once, not again for each shipment it would fill
        if lines == [] and sheet_read:
            anywhere = " (in the map or in lines_file)" if data.get("lines_file") else ""
            issues.append(
                MapIssue(file, f"shipments[{i}].lines", "[]", f"at least one line{anywhere}")
            )
        for j, line in enumerate(lines if isinstance(lines, list) else []):
            if isinstance(line, dict) and unknown(line.get("sku"), skus):
                sheet = line_origin.get(id(line))
                where = (
                    (sheet[0], f"{sheet[1]}, column sku")
                    if sheet
                    else (file, f"shipments[{i}].lines[{j}].sku")
                )
                issues.append(
                    MapIssue(where[0], where[1], show(line["sku"]), "the sku of an item in catalog")
                )


def _warnings(dep: Deployment, file: str) -> list[MapIssue]:
    out: list[MapIssue] = []
    used_sites = {s.site for s in dep.shipments}
    for i, unused in enumerate(dep.sites):
        if unused.id not in used_sites:
            out.append(
                MapIssue(
                    file, f"sites[{i}]", unused.id, "a site that some shipment goes to", "warning"
                )
            )
    site_by_id = {s.id: s for s in dep.sites}
    for i, ship in enumerate(dep.shipments):
        site = site_by_id.get(ship.site)
        if site and ship.ship_date > site.go_live:
            out.append(
                MapIssue(
                    file,
                    f"shipments[{i}].ship_date",
                    str(ship.ship_date),
                    f"a ship date before the site's go-live {site.go_live}",
                    "warning",
                )
            )
        if site and site.country not in dep.importers_of_record:
            out.append(
                MapIssue(
                    file,
                    f"shipments[{i}].site",
                    ship.site,
                    f"an importer of record named for {site.country} in importers_of_record",
                    "warning",
                )
            )
    return out


def _translate(
    exc: ValidationError, file: str, line_origin: dict[int, tuple[str, str]], data: dict[str, Any]
) -> list[MapIssue]:
    out = []
    for err in exc.errors():
        loc = err["loc"]
        file_name, location = file, path_of(loc)
        if len(loc) >= 2 and loc[-1] == "[key]":  # a bad mapping key (pydantic writes False as 0)
            location = f"{path_of(loc[:-2])}.{err.get('input')}"
        if len(loc) >= 4 and loc[0] == "shipments" and loc[2] == "lines":
            try:
                line = data["shipments"][loc[1]]["lines"][loc[3]]
                sheet = line_origin.get(id(line))
            except (KeyError, IndexError, TypeError):
                sheet = None
            if sheet:
                file_name, location = sheet[0], f"{sheet[1]}, column {path_of(loc[4:]) or 'row'}"
        value = "" if err["type"] == "missing" else show(err.get("input"))
        hint = (
            BOOL_HINT if err["type"] == "string_type" and isinstance(err.get("input"), bool) else ""
        )
        out.append(MapIssue(file_name, location, value, err["msg"] + hint))
    return out


@dataclass(frozen=True, slots=True)
class _Options:
    limits: ReadLimits = DEFAULT_LIMITS
    allow_paths: tuple[Path, ...] = ()
    encoding: str | None = None


def _document(path: Path, options: _Options) -> dict[str, Any]:
    """The map's top-level mapping; raises ``MapError`` when there is none to validate."""
    file = str(path)
    issues: list[MapIssue] = []
    if not path.exists():
        raise MapError([MapIssue(file, "", "", "an existing deployment map file")])
    data = _parse_text(path, issues, options.limits, options.encoding)
    if issues:
        raise MapError(issues)
    if data is None or data == {} or data == []:
        raise MapError(
            [MapIssue(file, "", "empty", "a map with programme, catalog, sites and shipments")]
        )
    if not isinstance(data, dict):
        raise MapError([MapIssue(file, "", type(data).__name__, "a mapping at the top level")])
    return data


def _empty_lines_as_none(data: dict[str, Any]) -> None:
    shipments = data.get("shipments")
    for ship in shipments if isinstance(shipments, list) else []:
        if isinstance(ship, dict) and "lines" in ship and ship["lines"] is None:
            ship["lines"] = []  # `lines:` left empty (e.g. all lines are in lines_file)


def _too_many_lines(data: dict[str, Any], file: str, limits: ReadLimits) -> None:
    """Refuse, before any model is built, a map with more lines than one plan holds in memory."""
    shipments = data.get("shipments")
    if not isinstance(shipments, list):
        return
    count = sum(len(s.get("lines") or []) for s in shipments if isinstance(s, dict))
    if count > limits.max_lines:
        raise MapError(
            [
                MapIssue(
                    file,
                    "shipments",
                    f"{count:,} lines",
                    f"at most {limits.max_lines:,} lines per map (a plan holds about 6 kB per"
                    f" line in memory); split the map, or raise the limit with {LIMIT_OPTION}"
                    f" max_lines=N if this machine has the memory",
                )
            ]
        )


def read_map(
    path: str | Path,
    *,
    limits: ReadLimits | None = None,
    allow_paths: Sequence[str | Path] = (),
    encoding: str | None = None,
) -> tuple[Deployment, list[MapIssue]]:
    """Read and validate a map. Returns the deployment and its warnings; raises ``MapError``.

    ``limits`` raises or lowers the resource limits (``ReadLimits``); ``allow_paths`` names
    folders besides the map's own that ``lines_file`` may point into; ``encoding`` is the
    encoding of the map and a CSV lines file (default UTF-8, a BOM allowed).
    """
    path = Path(path)
    file = str(path)
    options = _Options(limits or DEFAULT_LIMITS, tuple(Path(p) for p in allow_paths), encoding)
    data = _document(path, options)
    _empty_lines_as_none(data)
    issues: list[MapIssue] = []
    attached = (
        _attach_lines(data, file, path.parent, options, issues) if data.get("lines_file") else {}
    )
    line_origin = attached if attached is not None else {}
    _too_many_lines(data, file, options.limits)
    _duplicates(data, file, issues)
    _references(data, file, line_origin, issues, attached is not None)
    try:
        deployment = Deployment.model_validate(data)
    except ValidationError as exc:
        issues.extend(_translate(exc, file, line_origin, data))
        raise MapError(issues) from None
    issues.extend(_warnings(deployment, file))
    if any(i.severity == "error" for i in issues):
        raise MapError(issues)
    return deployment, issues
