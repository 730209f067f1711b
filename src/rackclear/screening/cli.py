"""``rackclear screen NAME --list FILE …``: screen one name against official list files.

``--json`` prints ``{"query", "country", "algorithm", "threshold", "matches": [{"name",
"matched_name", "list", "list_version", "entry_id", "kind", "programs", "countries", "score",
"explanation": [{"feature", "value", "contribution", "detail"}]}], "lists": [{"name",
"version", "version_from", "file", "entries"}]}``, and ``"warnings"`` when loading noticed
something (OFAC add.csv/alt.csv rows for entries not loaded), also written to stderr. A user
mistake exits 2 with a message: a list that cannot be loaded or holds no entry, a bad option,
a name with nothing to screen (empty, punctuation or legal-form words alone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from rackclear.domain.codes import is_country
from rackclear.errors import USER_ERROR
from rackclear.screening.errors import ListFormatError, UnscreenableNameError
from rackclear.screening.loader import load_lists
from rackclear.screening.normalise import unscreenable_reason
from rackclear.screening.results import ScreeningResult
from rackclear.screening.scoring import DEFAULT_THRESHOLD


def register(app: typer.Typer) -> None:
    """Add the ``screen`` command to ``app``."""
    app.command("screen")(screen)


def screen(
    name: Annotated[str, typer.Argument(help="The party's name, as written.")],
    lists: Annotated[
        list[Path] | None,
        typer.Option("--list", help="A list file: CSL CSV/JSON, OFAC sdn/add/alt CSV. Repeat."),
    ] = None,
    country: Annotated[str | None, typer.Option(help="The party's country, ISO alpha-2.")] = None,
    address: Annotated[str | None, typer.Option(help="The party's address, as evidence.")] = None,
    threshold: Annotated[
        float, typer.Option(help="Lowest score reported, 0..1.")
    ] = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer.")] = False,
) -> None:
    """Screen NAME against restricted-party lists; every match explained, list versions shown."""
    code = _checked(name, lists, country, threshold)
    try:
        index = load_lists(lists or [])
    except ListFormatError as exc:
        _fail(f"cannot load the list: {exc}")
    for warning in index.warnings:
        typer.echo(f"warning: {warning}", err=True)
    try:
        result = index.screen(name, country=code, threshold=threshold, address=address)
    except UnscreenableNameError as exc:
        _fail(f"{exc}; give the party's name")
    if as_json:
        answer = result.to_json_dict()
        if index.warnings:
            answer["warnings"] = list(index.warnings)
        typer.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        _print(result)


def _checked(
    name: str, lists: list[Path] | None, country: str | None, threshold: float
) -> str | None:
    reason = unscreenable_reason(name)
    if reason is not None:
        _fail(f"{name!r} cannot be screened: {reason}; give the party's name")
    if not lists:
        _fail("give at least one --list FILE (rackclear ships no screening list)")
    if not 0 < threshold <= 1:
        _fail(f"--threshold: {threshold} must be above 0 and at most 1")
    code = country.strip().upper() if country else None
    if code is not None and not is_country(code):
        _fail(f"--country: {country!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USER_ERROR)


def _print(result: ScreeningResult) -> None:
    console = Console()
    table = Table(
        title=f"{len(result.matches)} match(es) for {result.query!r} ({result.algorithm})"
    )
    for column in ("score", "name", "matched name", "list", "evidence"):
        table.add_column(column)
    for match in result.matches:
        evidence = "; ".join(f"{f.feature} {f.contribution:+.2f}" for f in match.explanation)
        table.add_row(f"{match.score:.2f}", match.name, match.matched_name, match.list, evidence)
    console.print(table)
    for item in result.lists:
        console.print(
            f"list: {item.name}, version {item.version} ({item.version_from}), {item.file}"
        )
