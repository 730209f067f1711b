"""``rackclear rvc``: regional value content under CUSMA Art. 4.5, as JSON or text.

``rackclear rvc --method transaction-value|net-cost --value X --vnm Y [--threshold PCT]
[--shipping Z] [--date D] [--json]`` prints ``{"rvc": "62.50", "method": ..., "qualifies":
true|false|null, "threshold": ..., "base": ..., "vnm": ..., "steps": [...]}``. ``qualifies``
is null unless ``--threshold`` is given. ``--shipping`` (transaction-value method only) is the
part of the value incurred in the international shipment of the good, which is excluded. A
user mistake exits 2 with a message and no traceback.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, NoReturn

import typer

from rackclear.errors import USER_ERROR, UserError
from rackclear.origin.rvc import RvcResult, net_cost_rvc, transaction_value_rvc
from rackclear.rulebook import PackLoadError, load_rulebook

METHODS = ("transaction-value", "net-cost")


def register(app: typer.Typer) -> None:
    """Add the ``rvc`` command to ``app``."""
    app.command("rvc")(rvc)


def rvc(
    method: Annotated[
        str, typer.Option("--method", help="transaction-value (Art. 4.5(2)) or net-cost (4.5(3)).")
    ],
    value: Annotated[
        str, typer.Option("--value", help="Transaction value or net cost of the good.")
    ],
    vnm: Annotated[str, typer.Option("--vnm", help="Value of non-originating materials.")],
    threshold: Annotated[
        str | None, typer.Option("--threshold", help="Required RVC, percent (e.g. 60).")
    ] = None,
    shipping: Annotated[
        str | None,
        typer.Option(
            "--shipping",
            help="International shipping costs included in --value (transaction-value only).",
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Rules in force on this date; default today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer.")] = False,
) -> None:
    """Regional value content of a good (CUSMA Art. 4.5), each figure explained and cited."""
    try:
        result = _compute(method, value, vnm, threshold, shipping, on)
    except UserError as exc:
        _fail(str(exc))
    answer = result.to_dict()
    out = {
        "rvc": answer["rvc"],
        "method": answer["method"],
        "qualifies": answer["qualifies"],
        "threshold": answer["threshold"],
        "base": answer["base"],
        "vnm": answer["vnm"],
        "steps": answer["steps"],
    }
    if as_json:
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for step in result.steps:
        typer.echo(f"- {step.text}: {step.result}" if step.result else f"- {step.text}")
    verdict = "" if result.qualifies is None else (" (meets" if result.qualifies else " (below")
    verdict += f" {out['threshold']} %)" if result.qualifies is not None else ""
    typer.echo(f"RVC ({out['method']}): {out['rvc']} %{verdict}")


def _compute(
    method: str,
    value: str,
    vnm: str,
    threshold: str | None,
    shipping: str | None,
    on: str | None,
) -> RvcResult:
    problems: list[str] = []
    if method not in METHODS:
        problems.append(f"--method: {method!r} is not {' or '.join(METHODS)}")
    parsed: dict[str, Decimal | None] = {}
    for name, text in (
        ("--value", value),
        ("--vnm", vnm),
        ("--threshold", threshold),
        ("--shipping", shipping),
    ):
        try:
            parsed[name] = _number(text, name) if text is not None else None
        except UserError as exc:
            problems.append(str(exc))
    when = date.today()  # the CLI is the only place that reads the clock
    if on is not None:
        try:
            when = date.fromisoformat(on)
        except ValueError:
            problems.append(f"--date: {on!r} is not a date YYYY-MM-DD")
    if shipping is not None and method == "net-cost":
        problems.append("--shipping applies only to --method transaction-value")
    if problems:
        raise UserError("\n".join(problems))
    try:
        book = load_rulebook()
    except PackLoadError as exc:
        raise UserError(f"the rule packs do not load: {exc}") from None
    amount, non_orig = parsed["--value"], parsed["--vnm"]
    assert amount is not None and non_orig is not None
    if method == "transaction-value":
        return transaction_value_rvc(
            amount,
            non_orig,
            international_shipping=parsed["--shipping"] or Decimal(0),
            threshold=parsed["--threshold"],
            book=book,
            when=when,
        )
    return net_cost_rvc(amount, non_orig, threshold=parsed["--threshold"], book=book, when=when)


def _number(text: str, option: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise UserError(f"{option}: {text!r} is not a number") from None
    if not number.is_finite():
        raise UserError(f"{option}: {text!r} is not a finite number")
    return number


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USER_ERROR)
