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

from rackclear.domain.codes import is_country
from rackclear.domain.deployment import Deployment
from rackclear.rulebook.strict_yaml import StrictLoader

LINE_COLUMNS = (
    "shipment",
    "sku",
    "quantity",
    "unit_value",
    "currency",
    "preference",
    "origin_proof",
)
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


class _MapLoader(StrictLoader):
    """The strict loader (duplicate keys refused), but an impossible date such as ``2027-02-30``
    stays text, so validation reports it at its path with the rest instead of failing the parse."""


def _timestamp_or_text(loader: _MapLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_MapLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _key(value: Any) -> str | None:
    """An id or reference as the model will see it (text, stripped); ``None`` for a value of the
    wrong type, which validation reports on its own."""
    return value.strip() if isinstance(value, str) else None


BOOL_HINT = " (YAML reads an unquoted NO, YES, ON, OFF as true/false: quote it)"


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _parse_text(path: Path, issues: list[MapIssue]) -> Any:
    suffix = path.suffix.lower()
    if suffix not in MAP_SUFFIXES:
        hint = " (XLSX/CSV sheets hold shipment lines; name them in the map's lines_file)"
        extra = hint if suffix in SHEET_SUFFIXES else ""
        issues.append(
            MapIssue(
                str(path),
                "",
                path.suffix or "no suffix",
                f"a deployment map is a .yaml, .yml or .json file{extra}",
            )
        )
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(
            MapIssue(
                str(path), "", "", f"a readable UTF-8 text file ({exc.__class__.__name__}: {exc})"
            )
        )
        return None
    if not text.strip():
        return None
    try:
        if suffix == ".json":
            return json.loads(text, object_pairs_hook=_json_object)
        return yaml.load(text, Loader=_MapLoader)
    except (yaml.YAMLError, json.JSONDecodeError, ValueError) as exc:
        detail = str(exc).replace("\n", " ")
        issues.append(
            MapIssue(
                str(path), "", "", f"valid {'JSON' if suffix == '.json' else 'YAML'}: {detail}"
            )
        )
        return None


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _sheet_rows(path: Path, issues: list[MapIssue]) -> list[tuple[str, dict[str, Any]]]:
    """Rows of a lines sheet as (label, row) pairs; the label names the sheet row."""
    suffix = path.suffix.lower()
    file = str(path)
    stray: list[MapIssue] = []

    def keep(label: str, header: list[str], cells: list[Any], column: Any) -> dict[str, Any]:
        """The row's cells by column name; a value under no column name is reported, not dropped."""
        row: dict[str, Any] = {}
        for i, value in enumerate(cells):
            name = header[i] if i < len(header) else ""
            if name:
                row[name] = _cell(value)
            elif value not in (None, "") and not (isinstance(value, str) and not value.strip()):
                stray.append(
                    MapIssue(
                        file,
                        f"{label}, column {column(i)}",
                        _show(value),
                        "a value only under a named column of the header",
                    )
                )
        return row

    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                header = [h.strip() for h in next(reader, [])]
                rows = [
                    (f"row {n}", keep(f"row {n}", header, cells, lambda i: str(i + 1)))
                    for n, cells in enumerate(reader, start=2)
                    if any(c.strip() for c in cells)
                ]
        elif suffix == ".xlsx":
            from openpyxl import load_workbook
            from openpyxl.utils import get_column_letter

            book = load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                values = list(sheet.iter_rows(values_only=True))
            finally:
                book.close()
            header = [
                str(h).strip() if h is not None else "" for h in (values[0] if values else [])
            ]
            rows = [
                (label, keep(label, header, list(r), lambda i: get_column_letter(i + 1)))
                for n, r in enumerate(values[1:], start=2)
                if any(v not in (None, "") for v in r)
                for label in [f"sheet {sheet.title!r} row {n}"]
            ]
        else:
            issues.append(MapIssue(str(path), "", path.suffix, "a lines sheet is .xlsx or .csv"))
            return []
    except FileNotFoundError:
        issues.append(MapIssue(str(path), "", "", "the lines file named by lines_file to exist"))
        return []
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        issues.append(
            MapIssue(str(path), "", "", f"a readable {suffix} file ({exc.__class__.__name__})")
        )
        return []
    missing = [c for c in ("shipment", "sku", "quantity") if c not in header]
    unknown = [c for c in header if c and c not in LINE_COLUMNS]
    twice = [c for c in header if c and header.count(c) > 1]
    if missing or unknown or twice:
        issues.append(
            MapIssue(
                file,
                "header",
                ", ".join(header),
                f"columns {', '.join(LINE_COLUMNS)} (shipment, sku, quantity required; each at most once)",
            )
        )
        return []
    issues.extend(stray)
    return rows


def _attach_lines(
    data: dict[str, Any], base: Path, issues: list[MapIssue]
) -> dict[int, tuple[str, str]]:
    """Move sheet rows into their shipments; return where each attached line came from."""
    origins: dict[int, tuple[str, str]] = {}
    if not isinstance(data["lines_file"], str):
        return origins  # validation reports lines_file's type
    sheet = base / data["lines_file"]
    entries = data.get("shipments")
    shipments = (
        {_key(s.get("id")): s for s in entries if isinstance(s, dict)}
        if isinstance(entries, list)
        else {}
    )
    shipments.pop(None, None)
    for label, row in _sheet_rows(sheet, issues):
        ship_id = row.get("shipment")
        ship_id = str(ship_id).strip() if ship_id is not None else ""
        target = shipments.get(ship_id)
        if target is None:
            issues.append(
                MapIssue(
                    str(sheet),
                    f"{label}, column shipment",
                    _show(ship_id),
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
                        _show(entries[i].get(key)),
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
                    _show(country),
                    "an ISO 3166-1 alpha-2 country code",
                )
            )
        if unknown(party, parties):
            issues.append(
                MapIssue(
                    file,
                    f"importers_of_record.{country}",
                    _show(party),
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
                    file, f"shipments[{i}].site", _show(ship["site"]), "the id of a site in sites"
                )
            )
        for role in ("exporter", "consignee", "end_user"):
            if unknown(ship.get(role), parties):
                issues.append(
                    MapIssue(
                        file,
                        f"shipments[{i}].{role}",
                        _show(ship[role]),
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
                    MapIssue(
                        where[0], where[1], _show(line["sku"]), "the sku of an item in catalog"
                    )
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
        value = "" if err["type"] == "missing" else _show(err.get("input"))
        hint = (
            BOOL_HINT if err["type"] == "string_type" and isinstance(err.get("input"), bool) else ""
        )
        out.append(MapIssue(file_name, location, value, err["msg"] + hint))
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
        raise MapError(
            [MapIssue(file, "", "empty", "a map with programme, catalog, sites and shipments")]
        )
    if not isinstance(data, dict):
        raise MapError([MapIssue(file, "", type(data).__name__, "a mapping at the top level")])
    shipments = data.get("shipments")
    for ship in shipments if isinstance(shipments, list) else []:
        if isinstance(ship, dict) and "lines" in ship and ship["lines"] is None:
            ship["lines"] = []  # `lines:` left empty (e.g. all lines are in lines_file)
    line_origin = _attach_lines(data, path.parent, issues) if data.get("lines_file") else {}
    sheet_read = not any(i.location in ("", "header") for i in issues)
    _duplicates(data, file, issues)
    _references(data, file, line_origin, issues, sheet_read)
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
