"""``rackclear deadline ...``: CARM deadlines on Canadian business days."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from rackclear.carm.calendar import PROVINCES, UnknownRule, billing, cad_due
from rackclear.errors import UserError, checked, parse_date
from rackclear.rulebook import load_rulebook

out = Console()


def register(app: typer.Typer) -> None:
    """Add the ``deadline`` command group to ``app``."""
    deadline = typer.Typer(help="Deadlines on business days (Canada CARM).", no_args_is_help=True)
    app.add_typer(deadline, name="deadline")

    @deadline.command("ca-cad")
    def ca_cad(
        release: Annotated[str, typer.Option("--release", help="Release date YYYY-MM-DD.")],
        province: Annotated[
            str | None,
            typer.Option("--province", help="Province of the port (holidays): ON, QC, BC ..."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """When the Commercial Accounting Declaration is due, and the billing and payment dates."""
        day = checked(parse_date(release, "--release"), release, "--release")
        prov = province.upper() if province else None
        if prov is not None and prov not in PROVINCES:
            raise UserError(
                f"--province: {province!r} is not a Canadian province or territory code ({', '.join(sorted(PROVINCES))})"
            )
        book = load_rulebook()
        try:
            due = cad_due(book, day, prov)
            bill = billing(book, day, prov)
        except UnknownRule as exc:
            raise UserError(f"--release {release}: {exc}") from None
        data = {"release": day.isoformat(), "province": prov, **due.to_dict(), **bill.to_dict()}
        if as_json:
            out.print_json(json.dumps(data))
            return
        out.print(
            f"CAD due {data['due']} (release {release}, day 0 {data['day_zero']})", highlight=False
        )
        for skipped in data["skipped"]:
            out.print(f"  skipped {skipped['date']}: {skipped['why']}", highlight=False)
        out.print(
            f"  billing period {data['billing_period'][0]} to {data['billing_period'][1]}; statement {data['statement_of_account']}; payment due {data['payment_due']}",
            highlight=False,
        )
