"""Read a deployment map (YAML or JSON, lines optionally from XLSX/CSV) and report every problem.

Each problem names the file, the path (``shipments[3].lines[2].sku``) or sheet row, the value
found and what was expected. Errors stop planning; warnings do not.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from rackclear.domain.deployment import Deployment
from rackclear.rulebook.strict_yaml import load_strict

LINE_COLUMNS = ("shipment", "sku", "quantity", "unit_value", "currency", "preference", "origin_proof")
MAP_SUFFIXES = {".yaml", ".yml", ".json"}
SHEET_SUFFIXES = {".xlsx", ".csv"}


@dataclass(frozen=True, slots=True)
class MapIssue:
    """One problem in a deployment map."""

    file: str
    location: str
    value: str
    expected: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        got = f" (found {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.expected}{got}"


class MapError(Exception):
    """The map cannot be planned; ``issues`` lists every problem at once."""

    def __init__(self, issues: list[MapIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def path_of(loc: tuple[Any, ...]) -> str:
    """``("shipments", 3, "lines", 2, "sku")`` -> ``shipments[3].lines[2].sku``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _parse_text(path: Path, issues: list[MapIssue]) -> Any:
    suffix = path.suffix.lower()
    if suffix not in MAP_SUFFIXES:
        hint = " (XLSX/CSV sheets hold shipment lines; name them in the map's lines_file)"
        extra = hint if suffix in SHEET_SUFFIXES else ""
        issues.append(MapIssue(str(path), "", path.suffix or "no suffix", f"a deployment map is a .yaml, .yml or .json file{extra}"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(MapIssue(str(path), "", "", f"a readable UTF-8 text file ({exc.__class__.__name__}: {exc})"))
        return None
    try:
        return json.loads(text) if suffix == ".json" else load_strict(text)
    except (yaml.YAMLError, json.JSONDecodeError, ValueError) as exc:
        detail = str(exc).replace("\n", " ")
        issues.append(MapIssue(str(path), "", "", f"valid {'JSON' if suffix == '.json' else 'YAML'}: {detail}"))
        return None


def _sheet_rows(path: Path, issues: list[MapIssue]) -> list[tuple[str, dict[str, Any]]]:
    """Rows of a lines sheet as (label, row) pairs; the label names the sheet row."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                header = [h.strip() for h in (reader.fieldnames or [])]
                rows = [(f"row {n}", {k.strip(): v for k, v in r.items() if k}) for n, r in enumerate(reader, start=2)]
        elif suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            values = list(sheet.iter_rows(values_only=True))
            header = [str(h).strip() if h is not None else "" for h in (values[0] if values else [])]
            rows = [
                (f"sheet {sheet.title!r} row {n}", dict(zip(header, r, strict=False)))
                for n, r in enumerate(values[1:], start=2)
                if any(v not in (None, "") for v in r)
            ]
        else:
            issues.append(MapIssue(str(path), "", path.suffix, "a lines sheet is .xlsx or .csv"))
            return []
    except FileNotFoundError:
        issues.append(MapIssue(str(path), "", "", "the lines file named by lines_file to exist"))
        return []
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        issues.append(MapIssue(str(path), "", "", f"a readable {suffix} file ({exc.__class__.__name__})"))
        return []
    missing = [c for c in ("shipment", "sku", "quantity") if c not in header]
    unknown = [c for c in header if c and c not in LINE_COLUMNS]
    if missing or unknown:
        issues.append(MapIssue(str(path), "header", ", ".join(header), f"columns {', '.join(LINE_COLUMNS)} (shipment, sku, quantity required)"))
        return []
    return rows


def _attach_lines(data: dict[str, Any], base: Path, issues: list[MapIssue]) -> dict[int, tuple[str, str]]:
    """Move sheet rows into their shipments; return where each attached line came from."""
    sheet = base / str(data["lines_file"])
    origins: dict[int, tuple[str, str]] = {}
    shipments = {s.get("id"): s for s in data.get("shipments") or [] if isinstance(s, dict)}
    for label, row in _sheet_rows(sheet, issues):
        ship_id = str(row.get("shipment") or "").strip()
        target = shipments.get(ship_id)
        if target is None:
            issues.append(MapIssue(str(sheet), f"{label}, column shipment", _show(ship_id), "the id of a shipment in the map"))
            continue
        line = {k: v for k, v in row.items() if k != "shipment" and v not in (None, "")}
        if "origin_proof" in line:
            line["origin_proof"] = str(line["origin_proof"]).strip().lower() in ("true", "yes", "1")
        target.setdefault("lines", []).append(line)
        origins[id(line)] = (str(sheet), label)
    return origins


def _duplicates(data: dict[str, Any], file: str, issues: list[MapIssue]) -> None:
    for section, key in (("catalog", "sku"), ("sites", "id"), ("shipments", "id"), ("parties", "id")):
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        counts = Counter(e.get(key) for e in entries if isinstance(e, dict))
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and counts[entry.get(key)] > 1:
                issues.append(MapIssue(file, f"{section}[{i}].{key}", _show(entry.get(key)), f"a unique {key} (it appears {counts[entry.get(key)]} times)"))


def _references(data: dict[str, Any], file: str, line_origin: dict[int, tuple[str, str]], issues: list[MapIssue]) -> None:
    def ids(section: str, key: str) -> set[Any]:
        entries = data.get(section)
        return {e.get(key) for e in entries if isinstance(e, dict)} if isinstance(entries, list) else set()

    skus, sites, parties = ids("catalog", "sku"), ids("sites", "id"), ids("parties", "id")
    for country, party in (data.get("importers_of_record") or {}).items():
        if party not in parties:
            issues.append(MapIssue(file, f"importers_of_record.{country}", _show(party), "the id of a party in parties"))
    for i, ship in enumerate(data.get("shipments") or []):
        if not isinstance(ship, dict):
            continue
        if "site" in ship and ship["site"] not in sites:
            issues.append(MapIssue(file, f"shipments[{i}].site", _show(ship["site"]), "the id of a site in sites"))
        for role in ("exporter", "consignee", "end_user"):
            if ship.get(role) is not None and ship[role] not in parties:
                issues.append(MapIssue(file, f"shipments[{i}].{role}", _show(ship[role]), "the id of a party in parties"))
        for j, line in enumerate(ship.get("lines") or []):
            if isinstance(line, dict) and "sku" in line and line["sku"] not in skus:
                sheet = line_origin.get(id(line))
                where = (sheet[0], f"{sheet[1]}, column sku") if sheet else (file, f"shipments[{i}].lines[{j}].sku")
                issues.append(MapIssue(where[0], where[1], _show(line["sku"]), "the sku of an item in catalog"))


def _warnings(dep: Deployment, file: str) -> list[MapIssue]:
    out: list[MapIssue] = []
    used_sites = {s.site for s in dep.shipments}
    for i, site in enumerate(dep.sites):
        if site.id not in used_sites:
            out.append(MapIssue(file, f"sites[{i}]", site.id, "a site that some shipment goes to", "warning"))
    site_by_id = {s.id: s for s in dep.sites}
    for i, ship in enumerate(dep.shipments):
        if not ship.lines:
            out.append(MapIssue(file, f"shipments[{i}].lines", "[]", "at least one line", "error"))
        site = site_by_id.get(ship.site)
        if site and ship.ship_date > site.go_live:
            out.append(MapIssue(file, f"shipments[{i}].ship_date", str(ship.ship_date), f"a ship date before the site's go-live {site.go_live}", "warning"))
        if site and site.country not in dep.importers_of_record:
            out.append(MapIssue(file, f"shipments[{i}].site", ship.site, f"an importer of record named for {site.country} in importers_of_record", "warning"))
    return out


def _translate(exc: ValidationError, file: str, line_origin: dict[int, tuple[str, str]], data: dict[str, Any]) -> list[MapIssue]:
    out = []
    for err in exc.errors():
        loc = err["loc"]
        file_name, location = file, path_of(loc)
        if len(loc) >= 4 and loc[0] == "shipments" and loc[2] == "lines":
            try:
                line = data["shipments"][loc[1]]["lines"][loc[3]]
                sheet = line_origin.get(id(line))
            except (KeyError, IndexError, TypeError):
                sheet = None
            if sheet:
                file_name, location = sheet[0], f"{sheet[1]}, column {path_of(loc[4:]) or 'row'}"
        value = "" if err["type"] == "missing" else _show(err.get("input"))
        out.append(MapIssue(file_name, location, value, err["msg"]))
    return out


def read_map(path: str | Path) -> tuple[Deployment, list[MapIssue]]:
    """Read and validate a map. Returns the deployment and its warnings; raises ``MapError``."""
    path = Path(path)
    file = str(path)
    issues: list[MapIssue] = []
    if not path.exists():
        raise MapError([MapIssue(file, "", "", "an existing deployment map file")])
    data = _parse_text(path, issues)
    if issues:
        raise MapError(issues)
    if data is None or data == {} or data == []:
        raise MapError([MapIssue(file, "", "empty", "a map with programme, catalog, sites and shipments")])
    if not isinstance(data, dict):
        raise MapError([MapIssue(file, "", type(data).__name__, "a mapping at the top level")])
    line_origin = _attach_lines(data, path.parent, issues) if data.get("lines_file") else {}
    _duplicates(data, file, issues)
    _references(data, file, line_origin, issues)
    try:
        deployment = Deployment.model_validate(data)
    except ValidationError as exc:
        issues.extend(_translate(exc, file, line_origin, data))
        raise MapError(issues) from None
    issues.extend(_warnings(deployment, file))
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise MapError(issues)
    return deployment, issues
