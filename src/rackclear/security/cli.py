"""``rackclear bond``: customs security calculators on the command line.

``register(app)`` adds the group; bad input exits 2 with a plain message and no traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer

from rackclear.errors import USER_ERROR, UserError, parse_date, parse_decimal
from rackclear.rulebook import PackLoadError, load_rulebook
from rackclear.rulebook.registry import Rulebook
from rackclear.security.bonds import (
    BondInputError,
    BondResult,
    ca_rpp_security,
    us_continuous_bond,
    us_single_transaction_bond,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date", help="Apply the rules in force on this date (YYYY-MM-DD); default today."
    ),
]


def _date(text: str | None) -> date:
    return parse_date(text, "--date")


def _decimal(text: str, option: str) -> Decimal:
    """An amount as typed, thousands separators allowed ("1,250,000")."""
    return parse_decimal(text.replace(",", "").strip(), option)


def _book() -> Rulebook:
    try:
        return load_rulebook()
    except PackLoadError as exc:
        raise UserError("the rule packs do not load:\n" + "\n".join(map(str, exc.errors))) from None


def _run(compute: Callable[[], BondResult], as_json: bool) -> None:
    """Compute and print; user mistakes become exit code 2 with the message on stderr."""
    try:
        result = compute()
    except (UserError, BondInputError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(USER_ERROR) from None
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    for step in result.steps:
        tail = f" = {step.result}" if step.result else ""
        typer.echo(f"  {step.text}{tail}")
    if result.amount is None:
        typer.echo(f"Amount unknown: {result.reason}")
    else:
        typer.echo(f"Required: {result.amount:,f} {result.currency}")
    for citation in result.citations:
        typer.echo(f"  [{citation.rule}] {citation.short()}")


def register(app: typer.Typer) -> None:
    """Add the ``bond`` command group to ``app``."""
    bond = typer.Typer(
        no_args_is_help=True,
        help="Customs security: US continuous and single transaction bonds, Canadian RPP security.",
    )

    @bond.command("us-continuous")
    def us_continuous(
        dtf: Annotated[
            str,
            typer.Option("--dtf", help="Duties, taxes and fees of the previous 12 months (USD)."),
        ],
        when: DateOpt = None,
        foreign_ior: Annotated[
            bool, typer.Option("--foreign-ior", help="The importer of record is foreign.")
        ] = False,
        as_json: JsonOpt = False,
    ) -> None:
        """US continuous (importer) bond: max(minimum, % of DTF), rounded up by tiers."""
        _run(
            lambda: us_continuous_bond(
                _book(), _decimal(dtf, "--dtf"), _date(when), foreign_ior=foreign_ior
            ),
            as_json,
        )

    @bond.command("us-single")
    def us_single(
        value: Annotated[str, typer.Option("--value", help="Entered value of the entry (USD).")],
        dtf: Annotated[
            str | None,
            typer.Option("--dtf", help="Duties, taxes and fees of the entry (USD)."),
        ] = None,
        pga: Annotated[
            bool,
            typer.Option("--pga", help="Goods subject to other-agency requirements or restricted."),
        ] = False,
        when: DateOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """US single transaction bond floor: entered value + DTF, or a multiple of the value (PGA)."""

        def compute() -> BondResult:
            if dtf is None and not pga:
                raise UserError("--dtf is required unless --pga is given")
            amount = _decimal(dtf, "--dtf") if dtf is not None else None
            return us_single_transaction_bond(
                _book(), _decimal(value, "--value"), amount, pga, _date(when)
            )

        _run(compute, as_json)

    @bond.command("ca-rpp")
    def ca_rpp(
        highest_month: Annotated[
            str,
            typer.Option(
                "--highest-month",
                help="Highest monthly amount owed (duties + GST) in the previous 12 months (CAD).",
            ),
        ],
        cash: Annotated[
            bool, typer.Option("--cash", help="Security posted as a cash deposit.")
        ] = False,
        when: DateOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Canadian CARM release prior to payment (RPP) security."""
        _run(
            lambda: ca_rpp_security(
                _book(), _decimal(highest_month, "--highest-month"), cash, _date(when)
            ),
            as_json,
        )

    app.add_typer(bond, name="bond")
