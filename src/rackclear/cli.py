"""The ``rackclear`` command: plan, check, cost and rules. User mistakes exit 2 with every
problem listed and no traceback."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from rackclear.domain.codes import is_country, is_currency
from rackclear.domain.money import Money, as_text
from rackclear.errors import USER_ERROR, UserError, checked, parse_date, parse_decimal
from rackclear.io.dossier_html import stream_html
from rackclear.io.dossier_json import stream_json
from rackclear.io.map_options import AllowPathOption, EncodingOption, LimitOption, reader_options
from rackclear.io.map_reader import MapError, read_map
from rackclear.io.output import OutputError, check_folder, check_not_inputs, locked, write_all
from rackclear.io.terminal import (
    print_map_issues,
    print_pack_errors,
    print_summary,
    rules_table,
    safe,
    say,
    visible,
)
from rackclear.planning import plan
from rackclear.rulebook import PackLoadError, load_rulebook
from rackclear.valuation.charges import estimate_of, total_of
from rackclear.valuation.engine import assess_entry
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, LineInput

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="rackclear: deployment map in, cited import dossier out.",
)
out = Console(width=None if Console().is_terminal else 160, emoji=False)
err = Console(stderr=True, emoji=False)

# The dates the CLI accepts. The first is the first day of the ECB reference-rate history that
# every conversion rests on (tests/cli/test_option_ranges.py checks it against that history);
# the last bounds what a plan's schedule and business-day calendars reach beyond its date.
SPEC_MAX_DIGITS = 15  # a number in --spec: at most this many digits before the decimal point
SPEC_MAX_PLACES = 9  # and, if not zero, at least 10**-SPEC_MAX_PLACES


def checked_date(text: str | None, option: str) -> date:
    """``text`` as YYYY-MM-DD (default today) within EARLIEST_DATE..LATEST_DATE; else UserError."""
    return checked(parse_date(text, option), text, option)


def _spec_number_problem(key: str, value: str, option: str) -> str | None:
    """Why a numeric --spec value is refused (not finite, too large or too small), or None."""
    try:
        number = Decimal(value.strip())
    except ArithmeticError:
        return None  # not a number: text specs are the engines' to judge
    if not number.is_finite():
        return f"{option} {key}={value}: not a finite number"
    if number and not -SPEC_MAX_PLACES <= number.adjusted() < SPEC_MAX_DIGITS:
        return f"{option} {key}={value}: out of range (a number must be 0 or between 1e-{SPEC_MAX_PLACES} and 1e{SPEC_MAX_DIGITS} in size)"
    return None


def checked_specs(specs: dict[str, Any], option: str = "--spec") -> dict[str, Any]:
    """``specs`` unchanged if every numeric value is in range; else UserError naming each one."""
    problems = [
        p for k, v in specs.items() if (p := _spec_number_problem(k, str(v), option)) is not None
    ]
    if problems:
        raise UserError("\n".join(problems))
    return specs


def _pack_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot be a --packs folder (a folder whose subfolders are packs), or None."""
    if not folder.exists():
        return f"--packs: {folder}: no such folder"
    if not folder.is_dir():
        return (
            f"--packs: {folder}: not a folder (expected a folder whose subfolders are rule packs)"
        )
    try:
        if any((sub / "pack.yaml").is_file() for sub in folder.iterdir() if sub.is_dir()):
            return None
    except OSError as exc:
        return f"--packs: {folder}: cannot be read ({exc.strerror})"
    return f"--packs: {folder}: not a pack folder (none of its subfolders holds a pack.yaml)"


def _store_problem(path: Path, label: str = "--store") -> str | None:
    """Why ``path`` is not a tariff store made by 'rackclear data import', or None."""
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no such file"
        return f"{label}: {path}: {what}, not a tariff store (run 'rackclear data import')"
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            db.close()
    except (OSError, sqlite3.Error):
        header, tables = b"", set()
    if header != b"SQLite format 3\x00" or not {"imports", "lines"} <= tables:
        return f"{label}: {path}: not a tariff store (made by 'rackclear data import')"
    return None


def _path_problems(packs: list[Path] | None, lists: list[Path] | None) -> list[str]:
    """Every problem with the --packs folders and --list files, found before any work."""
    found = [p for p in map(_pack_problem, packs or []) if p is not None]
    for item in lists or []:
        if not item.is_file():
            found.append(f"--list: {item}: {'not a file' if item.exists() else 'no such file'}")
    return found


def _load_book(packs: list[Path] | None) -> Any:
    problems = _path_problems(packs, None)
    if problems:
        raise UserError("\n".join(problems))
    try:
        return load_rulebook(tuple(str(p) for p in packs or []))
    except PackLoadError as exc:
        print_pack_errors(err, exc.errors)
        raise typer.Exit(USER_ERROR) from None


@app.command("check")
def check(
    map_path: Annotated[Path, typer.Argument(metavar="MAP", help="Deployment map (YAML or JSON).")],
    encoding: EncodingOption = None,
    allow_path: AllowPathOption = None,
    limit: LimitOption = None,
) -> None:
    """Validate a deployment map; list every problem (file, path or row, value, expectation)."""
    options = reader_options(encoding, allow_path, limit)
    try:
        deployment, warnings = read_map(map_path, **options)
    except MapError as exc:
        print_map_issues(err, exc.issues)
        errors = sum(1 for i in exc.issues if i.severity == "error")
        err.print(
            visible(f"{map_path}: {errors} error(s); the map cannot be planned."),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(USER_ERROR) from None
    print_map_issues(err, warnings)
    lines = sum(len(s.lines) for s in deployment.shipments)
    say(
        out,
        f"{map_path}: OK — {len(deployment.sites)} sites, {len(deployment.shipments)} shipments, {lines} lines, {len(warnings)} warning(s).",
    )


@app.command("plan")
def plan_cmd(
    map_path: Annotated[Path, typer.Argument(metavar="MAP", help="Deployment map (YAML or JSON).")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Apply the rules in force on this date (YYYY-MM-DD); default today."
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for dossier.json and dossier.html.")
    ] = Path("out"),
    duty_rate: Annotated[
        str | None,
        typer.Option("--duty-rate", help="What-if: one duty rate (percent) for every line."),
    ] = None,
    packs: Annotated[
        list[Path] | None, typer.Option("--packs", help="Extra rule-pack folder (repeatable).")
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Tariff store imported with 'rackclear data import'."),
    ] = None,
    lists: Annotated[
        list[Path] | None,
        typer.Option(
            "--list",
            help="Restricted-party list file (CSL CSV/JSON, OFAC sdn/add/alt); repeatable.",
        ),
    ] = None,
    list_encoding: Annotated[
        str | None,
        typer.Option(
            "--list-encoding",
            help="The --list files' encoding when not UTF-8 (cp1252, utf-16 ...). Default: UTF-8.",
        ),
    ] = None,
    list_version: Annotated[
        list[str] | None,
        typer.Option(
            "--list-version",
            help="FILE=YYYY-MM-DD: the publication date of a --list file that states none (repeatable).",
        ),
    ] = None,
    encoding: EncodingOption = None,
    allow_path: AllowPathOption = None,
    limit: LimitOption = None,
    max_list_mb: Annotated[
        int, typer.Option("--max-list-mb", help="Largest --list file read, in MiB.")
    ] = 256,
    no_schedule: Annotated[
        bool,
        typer.Option("--no-schedule", help="Skip the go-live schedule and its risk simulation."),
    ] = False,
) -> None:
    """Plan a deployment: customs value, duties, taxes, fees and landed cost, cited, per shipment."""
    when, rate = _plan_options(as_of, duty_rate)
    versions = _check_plan_paths(map_path, out_dir, packs, store, lists, list_version)
    deployment, warnings = _read_map_or_exit(map_path, reader_options(encoding, allow_path, limit))
    inputs = [map_path, *_lines_files(map_path, deployment), *(lists or [])]
    check_not_inputs([out_dir / n for n in DOSSIER_FILES], inputs, "--out")
    screening = _load_lists(lists, list_encoding, max_list_mb, versions)  # before any planning
    with locked(out_dir, "--out"):
        book = _load_book(packs)
        dossier = _plan_with_progress(deployment, warnings, when, book, rate, store, screening)
        if not no_schedule:
            from rackclear.schedule.adapter import attach_schedule

            attach_schedule(book, deployment, dossier, when, runs=1000)
        print_summary(out, dossier)
        written = write_all(
            out_dir,
            {
                "dossier.html": lambda handle: stream_html(dossier, handle),
                "dossier.json": lambda handle: stream_json(dossier, handle),
            },
        )
    say(out, f"Wrote {written[1]} and {written[0]}")


DOSSIER_FILES = ("dossier.json", "dossier.html")  # the HTML is renamed into place first


def _plan_options(as_of: str | None, duty_rate: str | None) -> tuple[date, Decimal | None]:
    """--as-of and --duty-rate checked together; UserError naming each bad one."""
    problems, when, rate = [], None, None
    try:
        when = checked_date(as_of, "--as-of")
    except UserError as exc:
        problems.append(str(exc))
    try:
        rate = parse_decimal(duty_rate, "--duty-rate") if duty_rate is not None else None
    except UserError as exc:
        problems.append(str(exc))
    if problems or when is None:
        raise UserError("\n".join(problems))
    return when, rate


def _check_plan_paths(
    map_path: Path,
    out_dir: Path,
    packs: list[Path] | None,
    store: Path | None,
    lists: list[Path] | None,
    list_versions: list[str] | None = None,
) -> dict[str, str]:
    """Refuse, before any work, every problem with --out, --packs, --store, --list and
    --list-version at once; the list versions given, by file as given."""
    problems = _path_problems(packs, lists)
    versions = _list_versions(list_versions, lists, problems)
    try:
        check_folder(out_dir, "--out")
        check_not_inputs([out_dir / n for n in DOSSIER_FILES], [map_path], "--out")
    except OutputError as exc:
        problems.insert(0, str(exc))
    if (problem := _store_choice_problem(store)) is not None:
        problems.append(problem)
    if problems:
        raise UserError("\n".join(problems))
    return versions


def _list_versions(
    given: list[str] | None, lists: list[Path] | None, problems: list[str]
) -> dict[str, str]:
    """``FILE=YYYY-MM-DD`` for each --list-version; FILE must be one of the --list files as given.
    Each bad one is added to ``problems``."""
    named = {str(p) for p in lists or []}
    found: dict[str, str] = {}
    for text in given or []:
        file, sep, day = text.rpartition("=")
        if not sep or not file:
            problems.append(f"--list-version: {text!r}: expected FILE=YYYY-MM-DD")
            continue
        if file not in named:
            problems.append(f"--list-version: {file}: not one of the --list files")
        try:
            found[file] = date.fromisoformat(day.strip()).isoformat()
        except ValueError:
            problems.append(f"--list-version: {text!r}: {day!r} is not a date (YYYY-MM-DD)")
    return found


def _read_map_or_exit(map_path: Path, options: dict[str, Any]) -> tuple[Any, list[Any]]:
    """The map and its warnings (printed); map errors are printed and exit 2."""
    try:
        deployment, warnings = read_map(map_path, **options)
    except MapError as exc:
        print_map_issues(err, exc.issues)
        raise typer.Exit(USER_ERROR) from None
    print_map_issues(err, warnings)
    return deployment, warnings


def _lines_files(map_path: Path, deployment: Any) -> list[Path]:
    """The lines file a map names (read beside the map), as a path, if it names one."""
    name = getattr(deployment, "lines_file", None)
    return [map_path.parent / name] if isinstance(name, str) and name else []


def _plan_with_progress(
    deployment: Any,
    warnings: list[Any],
    when: date,
    book: Any,
    rate: Decimal | None,
    store: Path | None,
    screening: Any,
) -> Any:
    """Plan every shipment, with a progress bar on stderr from 200 shipments."""
    tariff_store = _open_store(store)
    with Progress(console=err, transient=True, disable=len(deployment.shipments) < 200) as bar:
        task = bar.add_task("Planning shipments", total=len(deployment.shipments))
        return plan(
            deployment,
            when,
            book,
            rate,
            progress=lambda done, _: bar.update(task, completed=done),
            map_warnings=[str(w) for w in warnings],
            store=tariff_store,
            screening=screening,
        )


def _print_findings(findings: list[Any]) -> None:
    """One line per finding: severity, code and message, printed literally."""
    for finding in findings:
        say(out, f"  {finding.severity.value}: {finding.code}: {finding.message}")


def _print_steps(steps: list[Any]) -> None:
    """One line per step, printed literally."""
    for step in steps:
        say(out, f"  · {step.text}")


def _charge_rows(charges: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "rate": as_text(c.rate) if c.rate is not None else None,
            "base": as_text(c.base.amount) if c.base else None,
            "amount": as_text(c.amount.amount) if c.amount else None,
            "grade": c.grade if c.amount is not None else None,
            "citation": c.citation.short() if c.citation else None,
        }
        for c in charges
    ]


@app.command("cost")
def cost(
    destination: Annotated[
        str, typer.Option("--destination", help="Destination country (ISO 3166 alpha-2).")
    ],
    value: Annotated[str, typer.Option("--value", help="Customs value basis amount (price).")],
    currency: Annotated[
        str, typer.Option("--currency", help="Currency of value, freight and insurance.")
    ],
    hs: Annotated[
        str | None, typer.Option("--hs", help="Tariff code (national line or HS 6-digit).")
    ] = None,
    duty_rate: Annotated[
        str | None, typer.Option("--duty-rate", help="What-if duty rate (percent).")
    ] = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Country of origin.")] = None,
    freight: Annotated[str | None, typer.Option("--freight", help="International freight.")] = None,
    insurance: Annotated[str | None, typer.Option("--insurance", help="Insurance.")] = None,
    mode: Annotated[str, typer.Option("--mode", help="air, ocean or road.")] = "air",
    on: Annotated[
        str | None, typer.Option("--date", help="Date of the rules (YYYY-MM-DD); default today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    packs: Annotated[
        list[Path] | None, typer.Option("--packs", help="Extra rule-pack folder (repeatable).")
    ] = None,
) -> None:
    """Landed cost of one line on its own (a stable JSON contract, see docs/cli.md)."""
    problems = []
    if not is_country(destination):
        problems.append(f"--destination: {destination!r} is not an ISO 3166 alpha-2 country code")
    if not is_currency(currency):
        problems.append(f"--currency: {currency!r} is not an ISO 4217 currency code")
    if origin is not None and not is_country(origin):
        problems.append(f"--origin: {origin!r} is not an ISO 3166 alpha-2 country code")
    if mode not in ("air", "ocean", "road"):
        problems.append(f"--mode: {mode!r} is not air, ocean or road")
    parsed: dict[str, Decimal | None] = {}
    for name, text, positive in (
        ("--value", value, True),
        ("--freight", freight, False),
        ("--insurance", insurance, False),
        ("--duty-rate", duty_rate, False),
    ):
        try:
            parsed[name] = parse_decimal(text, name, positive) if text is not None else None
        except UserError as exc:
            problems.append(str(exc))
    try:
        when = checked_date(on, "--date")
    except UserError as exc:
        problems.append(str(exc))
    problems += _path_problems(packs, None)
    if problems:
        raise UserError("\n".join(problems))
    book = _load_book(packs)
    amount = parsed["--value"]
    assert amount is not None
    fr, ins = parsed["--freight"], parsed["--insurance"]
    entry = EntryInput(
        "cost",
        destination,
        when,
        mode,
        "FCA",
        (LineInput(0, "line", "cost query", 1, Money(amount, currency), origin or "", hs),),
        Money(fr, currency) if fr is not None else None,
        Money(ins, currency) if ins is not None else None,
        value_on_destination_basis=fr is None and ins is None,
    )
    result = assess_entry(book, FxService(book, when), entry, when, parsed["--duty-rate"])
    charges = result.charges()
    line = result.lines[0]
    kinds = {"duties": ("duty", "additional_duty"), "taxes": ("tax",), "fees": ("fee",)}
    grouped = {k: [c for c in charges if c.kind in v] for k, v in kinds.items()}
    est = total_of([estimate_of(c) for c in charges])
    total = None if result.currency is None else est.value
    at_risk = line.customs_value.amount if line.at_risk and line.customs_value else Decimal(0)
    payload: dict[str, Any] = {
        "destination": destination,
        "as_of": when.isoformat(),
        "currency": result.currency,
        "customs_value": as_text(line.customs_value.amount) if line.customs_value else None,
        "duties": _charge_rows(grouped["duties"]),
        "taxes": _charge_rows(grouped["taxes"]),
        "fees": _charge_rows(grouped["fees"]),
        "total_duties_taxes_fees": as_text(total) if total is not None else None,
        "landed_cost": as_text(line.landed_cost.amount) if line.landed_cost else None,
        "grade": est.grade if result.currency is not None else None,
        "low": as_text(est.low) if result.currency is not None else None,
        "high": as_text(est.high) if est.high is not None and result.currency else None,
        "landed_cost_low": as_text(line.landed_low) if line.landed_low is not None else None,
        "landed_cost_high": as_text(line.landed_high) if line.landed_high is not None else None,
        "value_at_risk": as_text(at_risk),
        "computed_in": result.computed_in or result.currency,
        "findings": [
            {"code": f.code, "severity": f.severity.value, "message": f.message}
            for f in result.findings
        ],
        "steps": [
            s.text + (f" -> {s.result}" if s.result else "")
            for s in result.steps + line.steps + [st for c in charges for st in c.steps]
        ],
    }
    if as_json:
        out.print_json(json.dumps(payload))
        return

    def shown(value: object) -> str:
        return "unknown" if value is None else str(value)

    span = (
        ""
        if payload["low"] == payload["high"]
        else f" (range {shown(payload['low'])} to {shown(payload['high'])})"
    )
    say(
        out,
        f"{destination} as of {when}: customs value {shown(payload['customs_value'])} {payload['computed_in'] or ''}; "
        f"duties, taxes and fees {shown(payload['total_duties_taxes_fees'])}{span}; landed cost {shown(payload['landed_cost'])}"
        + (f"; grade {payload['grade']}" if payload["grade"] else ""),
    )
    for group in ("duties", "taxes", "fees"):
        for row in payload[group]:
            say(
                out,
                f"  {row['name']}: {shown(row['amount'])} (rate {shown(row['rate'])} %, grade {shown(row['grade'])})",
            )
    _print_findings(result.findings)


@app.command("classify")
def classify_cmd(
    description: Annotated[
        str | None, typer.Argument(help="The description as the invoice carries it.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Catalog kind (e.g. gpu_server, nic, ups).")
    ] = None,
    spec: Annotated[
        list[str] | None, typer.Option("--spec", help="KEY=VALUE (repeatable).")
    ] = None,
    destination: Annotated[
        list[str] | None,
        typer.Option("--destination", help="Country for the national line (repeatable)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Date of the rules (YYYY-MM-DD); default today.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="CSV with description, kind, specs columns (batch)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Batch result file (.csv or .json); default stdout."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Tariff store imported with 'rackclear data import'."),
    ] = None,
) -> None:
    """Classify an item: HS 6-digit, national lines, confidence, alternatives, steps, findings."""
    from rackclear.classification import classify
    from rackclear.classification.batch import BatchFileError, csv_row, read_items, run

    when = checked_date(on, "--date")
    countries = tuple(destination or [])
    _check_classify_options(description, file, output, countries)
    book = _load_book(None)
    tariff_store = _open_store(store)
    if file is not None:
        try:
            items = read_items(file)
        except BatchFileError as exc:
            raise UserError(str(exc)) from None
        _classify_batch(
            book, items, countries, when, (output, file), as_json, run, csv_row, tariff_store
        )
        return
    specs = _spec_map(spec)
    result = classify(book, description or "", kind, specs, countries, when, store=tariff_store)
    if as_json:
        data = result.to_dict()
        data["national"] = {
            cc: {k: v for k, v in line.items() if k in ("code", "formatted", "description", "rate")}
            | {"complete": line["complete"]}
            for cc, line in data["national"].items()
        }
        out.print_json(json.dumps(data))
        return
    say(
        out,
        f"{result.hs6 or 'no code'} ({result.family_name or result.evidence}), confidence {result.confidence}",
    )
    for country, line in sorted(result.national.items()):
        say(out, f"  {country}: {line.formatted} — {line.rate}")
    _print_steps(result.steps)
    _print_findings(result.findings)


def _check_classify_options(
    description: str | None, file: Path | None, output: Path | None, countries: tuple[str, ...]
) -> None:
    """Refuse, before any work, bad destinations, DESCRIPTION with --file, and a bad --output."""
    problems = [
        f"--destination: {c!r} is not an ISO 3166 alpha-2 country code"
        for c in countries
        if not is_country(c)
    ]
    if (description is None) == (file is None):
        problems.append("give either a DESCRIPTION or --file (not both)")
    if output is not None:
        try:
            if output.is_dir():
                raise OutputError(f"--output: {output} is a folder; give a file name")
            check_not_inputs([output], [file] if file else [], "--output")
            check_folder(output.parent, "--output")
        except OutputError as exc:
            problems.append(str(exc))
    if problems:
        raise UserError("\n".join(problems))


def _classify_batch(
    book: Any,
    items: list[Any],
    countries: tuple[str, ...],
    when: date,
    paths: tuple[Path | None, Path],
    as_json: bool,
    run: Any,
    csv_row: Any,
    tariff_store: Any = None,
) -> None:
    """Classify every item; print the result (CSV or JSON) or write it to --output."""
    from rackclear.classification.batch import csv_text
    from rackclear.io.output import write_file

    output, source = paths
    rows: list[Any] = []
    with Progress(console=err, transient=True, disable=len(items) < 200) as bar:
        task = bar.add_task("Classifying", total=len(items))
        for item, result in run(
            book, items, countries, when, lambda n: bar.update(task, completed=n), tariff_store
        ):
            rows.append(
                result.to_dict() | {"row": item.row}
                if (as_json or (output and output.suffix == ".json"))
                else csv_row(item, result, countries)
            )
    if as_json or (output is not None and output.suffix == ".json"):
        text = json.dumps(rows, indent=2, ensure_ascii=False)
    else:
        text = csv_text(rows)
    if output is None:
        out.print(visible(text), highlight=False, markup=False, soft_wrap=True, emoji=False)
    else:

        def write(handle: IO[str]) -> None:
            handle.write(text)

        write_file(output, write, "--output", [source])
        say(err, f"Wrote {len(rows)} results to {output}")


def _spec_map(spec: list[str] | None) -> dict[str, Any]:
    from rackclear.classification.batch import BatchFileError, parse_specs

    try:
        return checked_specs(parse_specs(";".join(spec or []), "--spec: "))
    except BatchFileError as exc:
        raise UserError(str(exc)) from None


@app.command("eccn")
def eccn_cmd(
    spec: Annotated[
        list[str] | None,
        typer.Option(
            "--spec",
            help="KEY=VALUE: kind, tpp, dense_tops.<precision>, die_area_mm2, datacenter, ...",
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Rules in force on this date; default today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """ECCN from specifications (3A090 / 4A090 by rule version; network items 5A002 / 5A992)."""
    from rackclear.export_control import determine_eccn

    when = checked_date(on, "--date")
    result = determine_eccn(load_rulebook(), _spec_map(spec), when)
    if as_json:
        out.print_json(json.dumps(result.to_dict()))
        return
    say(
        out,
        f"ECCN {result.eccn or 'needs review'} (paragraph {result.paragraph or '-'}), TPP {result.tpp}, PD {result.performance_density}",
    )
    _print_steps(result.steps)
    _print_findings(result.findings)


@app.command("licence")
def licence_cmd(
    eccn: Annotated[str, typer.Option("--eccn", help="ECCN, e.g. 4A090.a")],
    destination: Annotated[str, typer.Option("--destination", help="Destination country.")],
    end_user_hq: Annotated[
        str | None,
        typer.Option(
            "--end-user-hq", help="Country of the end user's (ultimate parent's) headquarters."
        ),
    ] = None,
    origin: Annotated[
        str | None, typer.Option("--origin", help="Country the item is exported from.")
    ] = None,
    spec: Annotated[
        list[str] | None,
        typer.Option(
            "--spec",
            help="KEY=VALUE (tpp, dram_bandwidth_gbps, datacenter) for case-by-case review and exceptions.",
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Rules in force on this date; default today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Whether a US export licence is required, and which licence exceptions may apply."""
    from rackclear.domain.determination import Step
    from rackclear.domain.finding_codes import make
    from rackclear.domain.findings import Concerns
    from rackclear.export_control import determine_licence
    from rackclear.export_control.eccn import parse_bool

    bad = [
        f"{opt}: {v!r} is not an ISO 3166 alpha-2 country code"
        for opt, v in (
            ("--destination", destination),
            ("--end-user-hq", end_user_hq),
            ("--origin", origin),
        )
        if v is not None and not is_country(v)
    ]
    if bad:
        raise UserError("\n".join(bad))
    when = checked_date(on, "--date")
    specs = _spec_map(spec)
    datacenter = parse_bool(specs.get("datacenter"))
    if "datacenter" in specs and datacenter is None:
        raise UserError(f"--spec datacenter={specs['datacenter']!r}: expected true or false")
    result = determine_licence(
        load_rulebook(),
        eccn,
        destination,
        when,
        end_user_hq,
        specs,
        eccn if eccn.count(".") else None,
        datacenter,
    )
    if origin is not None and origin != "US":
        result.findings.insert(
            0,
            make(
                "FDP_REVIEW",
                f"Exported from {origin}: the item is subject to the EAR only through US content (de minimis, 15 CFR 734.4) or the foreign-direct-product rules (15 CFR 734.9(h)); the answer below assumes it is.",
                "Review de minimis and FDP applicability for the item.",
                Concerns(country=destination),
            ),
        )
        result.steps.insert(0, Step(f"Origin {origin}: a reexport, if the EAR reaches the item"))
    if as_json:
        out.print_json(json.dumps(result.to_dict()))
        return
    shown = {True: "required", False: "not required", None: "unknown"}[result.licence_required]
    say(
        out,
        f"Licence {shown} for {eccn} to {destination}"
        + (f"; policy: {result.policy}" if result.policy else ""),
    )
    _print_steps(result.steps)
    _print_findings(result.findings)


@app.command("requirements")
def requirements_cmd(
    destination: Annotated[str, typer.Option("--destination", help="Destination country.")],
    kind: Annotated[
        str,
        typer.Option("--kind", help="Catalog kind or product family (server, switch, ups ...)."),
    ],
    spec: Annotated[
        list[str] | None,
        typer.Option(
            "--spec", help="KEY=VALUE (radio, lithium_battery, sockets, server_type ...)."
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="Rules in force on this date; default today.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Product conformity and importer-of-record rules of a destination for one kind of item."""
    from rackclear.border.requirements import (
        family_for_kind,
        has_requirements,
        importer_rules,
        requirements_for,
    )

    if not is_country(destination):
        raise UserError(f"--destination: {destination!r} is not an ISO 3166 alpha-2 country code")
    book = load_rulebook()
    family = family_for_kind(book, kind)
    if family is None:
        known = sorted(
            {f.id for p in book.packs.values() if p.families for f in p.families.families}
        )
        raise UserError(
            f"--kind: {kind!r} is not a known kind or product family; families: {', '.join(known)}"
        )
    when = checked_date(on, "--date")
    specs = _spec_map(spec)
    checks = requirements_for(book, destination, family, specs, when)
    covered = has_requirements(book, destination)
    importer = importer_rules(book, destination, when)
    data: dict[str, Any] = {
        "destination": destination,
        "kind": kind,
        "family": family,
        "date": when.isoformat(),
        "known": covered,
        "requirements": [c.to_dict() for c in checks if c.status != "not_applicable"],
        "not_applicable": [
            {"id": c.spec.id, "scheme": c.spec.scheme, "why": c.why}
            for c in checks
            if c.status == "not_applicable"
        ],
        "importer": importer.to_dict(),
        "findings": (
            []
            if covered and importer.pack
            else [
                {
                    "code": "CONFORMITY_UNKNOWN" if not covered else "IOR_RULES_MISSING",
                    "message": f"The packs hold no {'conformity' if not covered else 'importer-of-record'} rules for {destination}: unknown, not 'none needed'.",
                }
            ]
        ),
    }
    if as_json:
        out.print_json(json.dumps(data))
        return
    if not covered:
        say(
            out,
            f"No conformity rules for {destination} in the packs: requirements unknown (not 'none').",
        )
    say(out, f"{destination} · {kind} (family {family}) · rules of {when}")
    for row in data["requirements"]:
        lead = row["lead_time_days"]
        say(
            out,
            f"  [{row['status']}] {row['scheme']} — {row['authority']}; {row['when'].replace('_', ' ')}"
            + (f"; {lead[0]}-{lead[1]} days" if lead else "")
            + ("; per shipment" if row["per_shipment"] else "")
            + (f" ({row['excluded_by']})" if row["excluded_by"] else ""),
        )
    nr = data["importer"]["non_resident"]
    if nr:
        say(out, f"  importer of record, non-resident: {nr['allowed']} — {nr['text']}")
    for rule in data["importer"]["rules"]:
        say(
            out,
            f"  importer needs {rule['registration']} ({rule['applies_to']})"
            + ("" if rule["verified"] else " [unverified: confirm]"),
        )


@app.command("rules")
def rules(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge freshness as of this date.")
    ] = None,
    packs: Annotated[
        list[Path] | None, typer.Option("--packs", help="Extra rule-pack folder (repeatable).")
    ] = None,
) -> None:
    """List rule packs, their coverage and freshness (unverified and stale values)."""
    when = checked_date(as_of, "--as-of")
    out.print(rules_table(_load_book(packs), when))


def _load_lists(
    lists: list[Path] | None,
    encoding: str | None = None,
    mib: int = 256,
    versions: dict[str, str] | None = None,
) -> Any:
    """Load the restricted-party lists named with --list (none are shipped); errors exit 2."""
    if not lists:
        return None
    from rackclear.screening import ListFormatError, load_lists
    from rackclear.screening.cli import list_limits

    limits = list_limits(encoding, mib)
    missing = [str(p) for p in lists if not p.is_file()]
    if missing:
        raise UserError("\n".join(f"--list: {m}: no such file" for m in missing))
    try:
        return load_lists(lists, versions, encoding=encoding, limits=limits)
    except ListFormatError as exc:
        raise UserError(str(exc)) from None


def _register_screening() -> None:
    from rackclear.screening.cli import register

    register(app)


_register_screening()

data_app = typer.Typer(
    no_args_is_help=True, help="Official data files: import a whole tariff into the local store."
)
app.add_typer(data_app, name="data")


def _register_groups() -> None:
    from rackclear.carm.cli import register as carm
    from rackclear.origin.cli import register as origin
    from rackclear.schedule.cli import register as schedule
    from rackclear.security.cli import register as security

    carm(app)
    origin(app)
    security(app)
    schedule(app)


_register_groups()
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store file (default: $RACKCLEAR_STORE or ~/.local/share/rackclear/store.sqlite3).",
    ),
]


def _store_path(store: Path | None) -> Path:
    """The CLI (never the core) decides where the store lives."""
    import os

    if store is not None:
        return store
    env = os.environ.get("RACKCLEAR_STORE")
    return Path(env) if env else Path.home() / ".local" / "share" / "rackclear" / "store.sqlite3"


def _store_choice_problem(store: Path | None) -> str | None:
    """Why the store named by --store or RACKCLEAR_STORE cannot be used; None if fine or unnamed."""
    import os

    if store is None and not os.environ.get("RACKCLEAR_STORE"):
        return None
    return _store_problem(_store_path(store), "--store" if store else "RACKCLEAR_STORE")


def _open_store(store: Path | None) -> Any:
    """The store named by --store or RACKCLEAR_STORE (never a silent default, so that a dossier does
    not depend on what a machine happens to hold); None if neither names one. UserError if the
    named file is not a tariff store."""
    import os

    from rackclear.store import TariffStore

    if store is None and not os.environ.get("RACKCLEAR_STORE"):
        return None
    if (problem := _store_choice_problem(store)) is not None:
        raise UserError(problem)
    return TariffStore(_store_path(store))


def _status_store(store: Path | None) -> Any:
    from rackclear.store import TariffStore

    path = _store_path(store)
    return TariffStore(path) if path.exists() else None


@data_app.command("import")
def data_import(
    source: Annotated[
        str,
        typer.Argument(
            help="us-hts (USITC CSV export), ca-tariff (CBSA CSV), hs (HS nomenclature CSV) or tariff (a national tariff extract, CSV or XLSX, read through --columns or --mapping)."
        ),
    ],
    file: Annotated[Path, typer.Argument(help="The official file.")],
    store: StoreOption = None,
    country: Annotated[
        str | None, typer.Option("--country", help="tariff: the ISO country code, e.g. US.")
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="tariff: line=COL,rate=COL[,column=COL][,from=COL][,until=COL][,description=COL].",
        ),
    ] = None,
    tariff_column: Annotated[
        str | None,
        typer.Option("--tariff-column", help="tariff: the treatment of every rate, e.g. MFN."),
    ] = None,
    from_date: Annotated[
        str | None,
        typer.Option("--from", help="tariff: the date every rate holds from (YYYY-MM-DD)."),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option("--date-format", help="tariff: strptime format of from/until cells."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="tariff: a YAML mapping file instead of the options."),
    ] = None,
) -> None:
    """Load a whole official tariff file into the local store, recording file, row and SHA-256."""
    from rackclear.importers.common import ImportFileError
    from rackclear.store import TariffStore
    from rackclear.store.tariff_store import NATIONAL, SOURCES

    options = (country, columns, tariff_column, from_date, date_format, mapping)
    if source not in (*SOURCES, NATIONAL):
        raise UserError(f"source {source!r} is not one of {', '.join((*SOURCES, NATIONAL))}")
    if source != NATIONAL and any(o is not None for o in options):
        raise UserError(
            f"--country, --columns, --tariff-column, --from, --date-format and --mapping are for 'tariff', not {source!r}"
        )
    if not file.is_file():
        raise UserError(f"{file}: no such file")
    national = _tariff_mapping(*options) if source == NATIONAL else None
    path = _store_path(store)
    db = TariffStore(path)
    try:
        with Progress(console=err, transient=True) as bar:
            bar.add_task(f"Importing {file.name}", total=None)
            if national is None:
                count, notes = db.import_file(source, file), list[str]()
            else:
                count, notes = _import_national(db, national, file)
    except (ImportFileError, UnicodeDecodeError, ValueError) as exc:
        db.close()  # the store keeps what it had (imports are all-or-nothing); never deleted here
        raise UserError(str(exc)) from None
    db.close()
    what = "lines" if national is None else f"rates for {national[0]}"
    out.print(
        f"Imported {count:,} {what} from {file} as {source} into {_store_path(store)}",
        highlight=False,
    )
    for note in notes:
        out.print(f"  {note}", highlight=False)


def _tariff_mapping(
    country: str | None,
    columns: str | None,
    tariff_column: str | None,
    from_date: str | None,
    date_format: str | None,
    mapping: Path | None,
) -> tuple[str, Any]:
    """(country, TariffMapping) of a 'tariff' import, from --mapping or the options; exits 2."""
    from rackclear.importers.national_tariff import (
        ISO_DATE,
        MappingError,
        load_mapping,
        make_mapping,
        parse_columns,
    )

    country = (country or "").upper()
    if not is_country(country):
        raise UserError(f"--country: {country!r} is not an ISO 3166 alpha-2 country code, e.g. US")
    if (mapping is None) == (columns is None):
        raise UserError("tariff: give either --columns or --mapping (one of them)")
    if mapping is not None and any(o is not None for o in (tariff_column, from_date, date_format)):
        raise UserError(
            "--mapping holds tariff_column, from and date_format: do not also give --tariff-column, --from or --date-format"
        )
    try:
        if mapping is not None:
            return country, load_mapping(mapping)
        start = parse_date(from_date, "--from") if from_date is not None else None
        found = make_mapping(
            parse_columns(columns or ""),
            tariff_column=tariff_column,
            from_date=start,
            date_format=date_format or ISO_DATE,
        )
        return country, found
    except MappingError as exc:
        raise UserError(str(exc) if mapping else f"--columns: {exc}") from None


def _import_national(db: Any, national: tuple[str, Any], file: Path) -> tuple[int, list[str]]:
    """Import a national tariff extract; returns the rates stored and a note per kind of skip."""
    country, mapping = national
    tariff = db.import_national(country, file, mapping)
    notes = [f"skipped {n:,} {why}" for why, n in tariff.skipped.items()]
    if tariff.inherited:
        notes.append(f"{tariff.inherited:,} lines take the rate printed on a line above them")
    return len(tariff.rates), notes


@data_app.command("status")
def data_status(store: StoreOption = None) -> None:
    """What the local store holds: each import's source, file, SHA-256, rows and time."""
    db = _status_store(store)
    if db is None:
        say(out, f"No store at {_store_path(store)}; run 'rackclear data import'.")
        return
    for row in db.status():
        say(
            out,
            f"{row['source']:10} {row['country']:3} {row['rows']:>7,} rows  {row['imported_at']}  sha256 {row['sha256'][:16]}  {row['file']}",
        )
    db.close()


@data_app.command("lookup")
def data_lookup(
    country: Annotated[str, typer.Argument(help="US, CA or HS.")],
    code: Annotated[str, typer.Argument(help="The tariff code.")],
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Look a national line up in the store, with the file and row it came from."""
    from dataclasses import asdict

    db = _status_store(store)
    found = db.lookup(country, code) if db is not None else None
    if found is None:
        raise UserError(f"{country} {code}: not in the store ({_store_path(store)})")
    if as_json:
        out.print_json(json.dumps(asdict(found)))
    else:
        say(
            out,
            f"{found.country} {found.code}: {found.description} | {found.rates} | {found.file} row {found.row}",
        )


def main() -> None:
    """Entry point: run the app, turning user mistakes into exit code 2 without a traceback."""
    try:
        code = app(standalone_mode=False)  # returns (not raises) the code of typer.Exit here
    except (UserError, OutputError) as exc:
        # never re-wrapped (a message is copied whole) and never read as markup: user text such
        # as "[rev A]" or "[/]" in a path or a value is shown as it is, control characters as \x1b
        err.print(f"[red]error[/]: {safe(exc)}", highlight=False, soft_wrap=True)
        raise SystemExit(getattr(exc, "exit_code", USER_ERROR)) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except MemoryError:
        # the last resort: outputs are written atomically, so nothing half-made is left
        err.print(
            "error: out of memory: this map is too large to plan on this machine as it stands;"
            " split it (see --limit max_lines=N in docs/deployment-map.md#limits)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise SystemExit(1) from None
    except Exception as exc:
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(
            exc, "exit_code"
        ):  # a usage error of click (or typer's vendored click)
            show()
            raise SystemExit(USER_ERROR) from None
        raise
    if isinstance(code, int) and code:
        raise SystemExit(code)
