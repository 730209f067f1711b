"""``rackclear screen NAME --list FILE …``: screen one name against official list files.

``--json`` prints ``{"query", "country", "algorithm", "threshold", "matches": [{"name",
"matched_name", "list", "list_version", "entry_id", "kind", "programs", "countries", "score",
"explanation": [{"feature", "value", "contribution", "detail"}]}], "lists": [{"name",
"version", "version_from", "file", "entries"}]}``, and ``"warnings"`` when loading noticed
something (OFAC add.csv/alt.csv rows for entries not loaded), also written to stderr. A user
mistake exits 2 with a message, every option checked before any list is read: a list that
cannot be loaded or holds no entry, a bad option (``--threshold`` outside (0, 1], an unknown
``--country`` or ``--encoding``, ``--max-list-mb`` outside 1..16384, an ``--address`` over the
field limit), a name with nothing to screen (empty, punctuation or legal-form words alone, or
longer than a name may be). List names and the query are printed literally (no rich markup,
control characters shown escaped).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rackclear.domain.codes import is_country
from rackclear.errors import USER_ERROR
from rackclear.screening.decoding import checked_encoding
from rackclear.screening.errors import ListFormatError, UnscreenableNameError
from rackclear.screening.index import ScreeningIndex, check_threshold
from rackclear.screening.limits import DEFAULT_LIMITS, MAX_FILE_MIB, MIB, ListLimits, too_long
from rackclear.screening.loader import load_lists
from rackclear.screening.normalise import normalise, unscreenable_reason
from rackclear.screening.results import ScreeningResult
from rackclear.screening.scoring import DEFAULT_THRESHOLD

DEFAULT_LIST_MIB = DEFAULT_LIMITS.max_file_bytes // MIB


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
        float, typer.Option(help="Lowest score reported: above 0, at most 1.")
    ] = DEFAULT_THRESHOLD,
    encoding: Annotated[
        str | None,
        typer.Option(help="The lists' encoding when not UTF-8 (cp1252, utf-16 …). Default: UTF-8."),
    ] = None,
    max_list_mb: Annotated[
        int, typer.Option(help=f"Largest list file read, in MiB (1..{MAX_FILE_MIB}).")
    ] = DEFAULT_LIST_MIB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer.")] = False,
) -> None:
    """Screen NAME against restricted-party lists; every match explained, list versions shown."""
    code = _checked(name, lists, country, threshold, address)
    limits = list_limits(encoding, max_list_mb)
    index = _load(lists or [], encoding, limits)
    warnings = list(index.warnings) + _query_notes(name)
    for warning in warnings:
        typer.echo(f"warning: {_visible(warning)}", err=True)
    try:
        result = index.screen(name, country=code, threshold=threshold, address=address)
    except UnscreenableNameError as exc:
        _fail(f"{exc}; give the party's name")
    if as_json:
        answer = result.to_json_dict()
        if warnings:
            answer["warnings"] = warnings
        typer.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        _print(result)


def _checked(
    name: str, lists: list[Path] | None, country: str | None, threshold: float, address: str | None
) -> str | None:
    """The country code, once every option is checked; a bad one exits 2 before any work."""
    reason = unscreenable_reason(name)
    if reason is not None:
        _fail(f"{name[:200]!r} cannot be screened: {reason}; give the party's name")
    if not lists:
        _fail("give at least one --list FILE (rackclear ships no screening list)")
    try:
        check_threshold(threshold)
    except ValueError as exc:
        _fail(f"--threshold: {exc}")
    long_address = too_long("--address", address or "", DEFAULT_LIMITS.max_field_chars)
    if long_address:
        _fail(long_address)
    code = country.strip().upper() if country else None
    if code is not None and not is_country(code):
        _fail(f"--country: {country!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def list_limits(encoding: str | None, max_list_mb: int) -> ListLimits:
    """The reading limits, ``--encoding`` and ``--max-list-mb`` checked."""
    try:
        checked_encoding(encoding)
    except ValueError as exc:
        _fail(f"--encoding: {exc}")
    if not 1 <= max_list_mb <= MAX_FILE_MIB:
        _fail(f"--max-list-mb: {max_list_mb} must be from 1 to {MAX_FILE_MIB}")
    return ListLimits(max_file_bytes=max_list_mb * MIB)


def _load(lists: list[Path], encoding: str | None, limits: ListLimits) -> ScreeningIndex:
    try:
        return load_lists(lists, encoding=encoding, limits=limits)
    except ListFormatError as exc:
        _fail(f"cannot load the list: {exc}")


def _query_notes(name: str) -> list[str]:
    """What normalisation cut from the screened name (a word over 64 letters), if anything."""
    note = normalise(name).note
    return [f"the screened name: {note}"] if note else []


def _visible(text: str) -> str:
    """``text`` with control characters (terminal escapes) written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USER_ERROR)


def _print(result: ScreeningResult) -> None:
    """The matches as a table, every text literal (no rich markup)."""
    console = Console()
    title = f"{len(result.matches)} match(es) for {result.query!r} ({result.algorithm})"
    table = Table(title=Text(_visible(title)))
    for column in ("score", "name", "matched name", "list", "evidence"):
        table.add_column(column)
    for match in result.matches:
        evidence = "; ".join(f"{f.feature} {f.contribution:+.2f}" for f in match.explanation)
        cells = (f"{match.score:.2f}", match.name, match.matched_name, match.list, evidence)
        table.add_row(*(Text(_visible(cell)) for cell in cells))
    console.print(table)
    for item in result.lists:
        line = f"list: {item.name}, version {item.version} ({item.version_from}), {item.file}"
        console.print(Text(_visible(line)), soft_wrap=True)
