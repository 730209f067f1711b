"""``rackclear schedule MAP``: latest safe dates, go-live risk and (optionally) optimised sequencing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rackclear.errors import UserError, parse_date
from rackclear.io.map_reader import MapError, read_map
from rackclear.io.terminal import print_map_issues
from rackclear.planning import plan
from rackclear.rulebook import load_rulebook
from rackclear.schedule.adapter import attach_schedule

out = Console(width=None if Console().is_terminal else 160)
err = Console(stderr=True)


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
        runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs.", min=1)] = 1000,
        seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 7,
        time_limit: Annotated[
            float, typer.Option("--time-limit", help="CP-SAT time limit, seconds.", min=0.1)
        ] = 10.0,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Latest safe ship dates, critical prerequisites, go-live risk per site."""
        when = parse_date(as_of, "--as-of")
        try:
            deployment, warnings = read_map(map_path)
        except MapError as exc:
            print_map_issues(err, exc.issues)
            raise typer.Exit(2) from None
        except UserError as exc:
            err.print(f"error: {exc}", highlight=False)
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
        for site in data["sites"]:
            p = site.get("p_on_time")
            out.print(
                f"{site['id']} ({site['country']}) go-live {site['go_live']}: {site['status']}, "
                f"latest safe ship {site.get('latest_safe_ship_date')}, "
                f"P(on time) {'-' if p is None else f'{float(p):.0%}'}, "
                f"expected {site.get('expected_days_late')} days late",
                highlight=False,
            )
        for finding in data["findings"]:
            out.print(
                f"  {finding['severity']}: {finding['code']}: {finding['message']}", highlight=False
            )
