"""The command-line options of every command that reads a deployment map (``check``, ``plan``,
``schedule``): ``--encoding`` for its text files, ``--allow-path`` for lines files outside the
map's folder, ``--limit NAME=N`` to raise a reading limit. Turned into ``read_map`` arguments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rackclear.errors import UserError
from rackclear.io.limits import ReadLimits

EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="The map's text files' encoding when not UTF-8 (cp1252 ...). Default: strict UTF-8.",
    ),
]
AllowPathOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--allow-path",
        help="A folder outside the map's own from which lines_file may be read (repeatable).",
    ),
]
LimitOption = Annotated[
    list[str] | None,
    typer.Option(
        "--limit",
        help="Raise a reading limit, NAME=N (repeatable; see docs/deployment-map.md#limits).",
    ),
]


def reader_options(
    encoding: str | None, allow_path: list[Path] | None, limit: list[str] | None
) -> dict[str, Any]:
    """Keyword arguments for ``read_map``; a bad ``--limit`` is a UserError naming it."""
    try:
        limits = ReadLimits().overridden(limit or [])
    except ValueError as exc:
        raise UserError(f"--limit {exc}") from None
    return {"limits": limits, "allow_paths": tuple(allow_path or ()), "encoding": encoding}
