"""``rackclear schedule MAP``: latest safe dates, go-live risk and (optionally) optimised sequencing.

Its options are checked before any work: ``--runs`` is bounded (memory grows with runs times
shipments) and can be raised with ``--max-runs``; ``--seed`` is a 32-bit unsigned integer."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rackclear.errors import UserError
from rackclear.io.map_options import AllowPathOption, EncodingOption, LimitOption, reader_options
from rackclear.io.map_reader import MapError, read_map
from rackclear.io.terminal import print_map_issues, safe, say
from rackclear.planning import plan
from rackclear.rulebook import load_rulebook
from rackclear.schedule.adapter import attach_schedule
from rackclear.schedule.backward import percent

out = Console(width=None if Console().is_terminal else 160, emoji=False)
err = Console(stderr=True, emoji=False)
MAX_RUNS = 100_000  # the default bound on --runs (about 200 MB for the example map)
MAX_SEED = 2**32 - 1
MAX_TIME_LIMIT = 3600.0  # seconds of CP-SAT search


def _checked(as_of: str | None, runs: int, max_runs: int, seed: int, time_limit: float) -> date:
    """The planning date, once every option is in range; else UserError listing each problem."""
    from rackclear.cli import checked_date

    problems = []
    if max_runs < 1:
        problems.append(f"--max-runs: {max_runs} must be at least 1")
    elif not 1 <= runs <= max_runs:
        problems.append(
            f"--runs: {runs} must be between 1 and {max_runs:,} (raise the limit with --max-runs N; memory grows with runs x shipments)"
        )
    if not 0 <= seed <= MAX_SEED:
        problems.append(f"--seed: {seed} must be between 0 and {MAX_SEED}")
    if not (math.isfinite(time_limit) and 0.1 <= time_limit <= MAX_TIME_LIMIT):
        problems.append(
            f"--time-limit: {time_limit} must be between 0.1 and {MAX_TIME_LIMIT:g} seconds"
        )
    try:
        when = checked_date(as_of, "--as-of")
    except UserError as exc:
        problems.append(str(exc))
    if problems:
        raise UserError("\n".join(problems))
    return when


def register(app: typer.Typer) -> None:
    """Add the ``schedule`` command to ``app``."""

    @app.command("schedule")
    def schedule_cmd(
        map_path: Annotated[Path, typer.Argument(metavar="MAP", help="Deployment map.")],
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Planning date (YYYY-MM-DD); default today.")
        ] = None,
        optimise: Annotated[
            bool, typer.Option("--optimise", help="Choose ship dates and modes with CP-SAT.")
        ] = False,
        runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs.")] = 1000,
        max_runs: Annotated[
            int, typer.Option("--max-runs", help=f"Upper bound on --runs (default {MAX_RUNS:,}).")
        ] = MAX_RUNS,
        seed: Annotated[int, typer.Option("--seed", help=f"Random seed, 0 to {MAX_SEED}.")] = 7,
        time_limit: Annotated[
            float, typer.Option("--time-limit", help="CP-SAT time limit, 0.1 to 3600 seconds.")
        ] = 10.0,
        as_json: Annotated[bool, typer.Option("--json")] = False,
        encoding: EncodingOption = None,
        allow_path: AllowPathOption = None,
        limit: LimitOption = None,
    ) -> None:
        """Latest safe ship dates, critical prerequisites, go-live risk per site."""
        when = _checked(as_of, runs, max_runs, seed, time_limit)
        try:
            deployment, warnings = read_map(map_path, **reader_options(encoding, allow_path, limit))
        except MapError as exc:
            print_map_issues(err, exc.issues)
            raise typer.Exit(2) from None
        except UserError as exc:
            err.print(f"error: {safe(exc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        print_map_issues(err, warnings)
        book = load_rulebook()
        dossier = plan(deployment, when, book)
        data = attach_schedule(
            book,
            deployment,
            dossier,
            when,
            optimise=optimise,
            runs=runs,
            seed=seed,
            time_limit_s=time_limit,
        )
        if as_json:
            out.print_json(json.dumps(data, default=str))
            return
        say(out, f"Status rule: {data['status_rule']}")
        for site in data["sites"]:
            p = site.get("p_on_time")
            say(
                out,
                f"{site['id']} ({site['country']}) go-live {site['go_live']}: {site['status']}, "
                f"latest safe ship {site.get('latest_safe_ship_date')}, "
                f"P(on time) {'-' if p is None else percent(float(p))}, "
                f"expected {site.get('expected_days_late')} days late",
            )
            say(out, f"  why: {site['status_reason']}")
            if site.get("status_driver"):
                say(out, f"  driver: {site['status_driver']}")
        for finding in data["findings"]:
            say(out, f"  {finding['severity']}: {finding['code']}: {finding['message']}")
