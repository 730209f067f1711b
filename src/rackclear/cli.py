"""The ``rackclear`` command: plan, check, cost and rules. User mistakes exit 2 with every
problem listed and no traceback."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from rackclear.domain.codes import is_country, is_currency
from rackclear.domain.money import Money, as_text
from rackclear.errors import USER_ERROR, UserError, parse_date, parse_decimal
from rackclear.io.dossier_html import write_html
from rackclear.io.dossier_json import write_json
from rackclear.io.map_reader import MapError, read_map
from rackclear.io.terminal import print_map_issues, print_pack_errors, print_summary, rules_table
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
out = Console(width=None if Console().is_terminal else 160)
err = Console(stderr=True)


def _load_book(packs: list[Path] | None) -> Any:
    try:
        return load_rulebook(tuple(str(p) for p in packs or []))
    except PackLoadError as exc:
        print_pack_errors(err, exc.errors)
        raise typer.Exit(USER_ERROR) from None


@app.command("check")
def check(
    map_path: Annotated[Path, typer.Argument(metavar="MAP", help="Deployment map (YAML or JSON).")],
) -> None:
    """Validate a deployment map; list every problem (file, path or row, value, expectation)."""
    try:
        deployment, warnings = read_map(map_path)
    except MapError as exc:
        print_map_issues(err, exc.issues)
        errors = sum(1 for i in exc.issues if i.severity == "error")
        err.print(
            f"{map_path}: {errors} error(s); the map cannot be planned.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(USER_ERROR) from None
    print_map_issues(err, warnings)
    lines = sum(len(s.lines) for s in deployment.shipments)
    out.print(
        f"{map_path}: OK — {len(deployment.sites)} sites, {len(deployment.shipments)} shipments, {lines} lines, {len(warnings)} warning(s)."
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
    no_schedule: Annotated[
        bool,
        typer.Option("--no-schedule", help="Skip the go-live schedule and its risk simulation."),
    ] = False,
) -> None:
    """Plan a deployment: customs value, duties, taxes, fees and landed cost, cited, per shipment."""
    when = parse_date(as_of, "--as-of")
    rate = parse_decimal(duty_rate, "--duty-rate") if duty_rate is not None else None
    try:
        deployment, warnings = read_map(map_path)
    except MapError as exc:
        print_map_issues(err, exc.issues)
        raise typer.Exit(USER_ERROR) from None
    print_map_issues(err, warnings)
    book = _load_book(packs)
    tariff_store = _open_store(store)
    screening = _load_lists(lists)
    with Progress(console=err, transient=True, disable=len(deployment.shipments) < 200) as bar:
        task = bar.add_task("Planning shipments", total=len(deployment.shipments))
        dossier = plan(
            deployment,
            when,
            book,
            rate,
            progress=lambda done, _: bar.update(task, completed=done),
            map_warnings=[str(w) for w in warnings],
            store=tariff_store,
            screening=screening,
        )
    if not no_schedule:
        from rackclear.schedule.adapter import attach_schedule

        attach_schedule(book, deployment, dossier, when, runs=1000)
    out_dir.mkdir(parents=True, exist_ok=True)
    print_summary(out, dossier)
    json_path = write_json(dossier, out_dir / "dossier.json")
    html_path = write_html(dossier, out_dir / "dossier.html")
    out.print(f"Wrote {json_path} and {html_path}")


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
        when = parse_date(on, "--date")
    except UserError as exc:
        problems.append(str(exc))
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
    out.print(
        f"{destination} as of {when}: customs value {shown(payload['customs_value'])} {payload['computed_in'] or ''}; "
        f"duties, taxes and fees {shown(payload['total_duties_taxes_fees'])}{span}; landed cost {shown(payload['landed_cost'])}"
        + (f"; grade {payload['grade']}" if payload["grade"] else ""),
        highlight=False,
    )
    for group in ("duties", "taxes", "fees"):
        for row in payload[group]:
            out.print(
                f"  {row['name']}: {shown(row['amount'])} (rate {shown(row['rate'])} %, grade {shown(row['grade'])})",
                highlight=False,
            )
    for f in result.findings:
        out.print(f"  {f.severity.value}: {f.code}: {f.message}", highlight=False)


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
    from rackclear.classification.batch import BatchFileError, csv_row, parse_specs, read_items, run

    when = parse_date(on, "--date")
    countries = tuple(destination or [])
    bad = [c for c in countries if not is_country(c)]
    if bad:
        raise UserError(
            "\n".join(f"--destination: {c!r} is not an ISO 3166 alpha-2 country code" for c in bad)
        )
    if (description is None) == (file is None):
        raise UserError("give either a DESCRIPTION or --file (not both)")
    book = _load_book(None)
    tariff_store = _open_store(store)
    if file is not None:
        try:
            items = read_items(file)
        except BatchFileError as exc:
            raise UserError(str(exc)) from None
        _classify_batch(book, items, countries, when, output, as_json, run, csv_row, tariff_store)
        return
    try:
        specs = parse_specs(";".join(spec or []), "--spec: ")
    except BatchFileError as exc:
        raise UserError(str(exc)) from None
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
    out.print(
        f"{result.hs6 or 'no code'} ({result.family_name or result.evidence}), confidence {result.confidence}",
        highlight=False,
    )
    for country, line in sorted(result.national.items()):
        out.print(f"  {country}: {line.formatted} — {line.rate}", highlight=False)
    for step in result.steps:
        out.print(f"  · {step.text}", highlight=False)
    for finding in result.findings:
        out.print(f"  {finding.severity.value}: {finding.code}: {finding.message}", highlight=False)


def _classify_batch(
    book: Any,
    items: list[Any],
    countries: tuple[str, ...],
    when: date,
    output: Path | None,
    as_json: bool,
    run: Any,
    csv_row: Any,
    tariff_store: Any = None,
) -> None:
    import csv
    import io

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
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["row"])
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    if output is None:
        out.print(text, highlight=False, markup=False, soft_wrap=True)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Wrote {len(rows)} results to {output}")


def _spec_map(spec: list[str] | None) -> dict[str, Any]:
    from rackclear.classification.batch import BatchFileError, parse_specs

    try:
        return parse_specs(";".join(spec or []), "--spec: ")
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

    when = parse_date(on, "--date")
    result = determine_eccn(load_rulebook(), _spec_map(spec), when)
    if as_json:
        out.print_json(json.dumps(result.to_dict()))
        return
    out.print(
        f"ECCN {result.eccn or 'needs review'} (paragraph {result.paragraph or '-'}), TPP {result.tpp}, PD {result.performance_density}",
        highlight=False,
    )
    for step in result.steps:
        out.print(f"  · {step.text}", highlight=False)
    for finding in result.findings:
        out.print(f"  {finding.severity.value}: {finding.code}: {finding.message}", highlight=False)


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
    when = parse_date(on, "--date")
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
    out.print(
        f"Licence {shown} for {eccn} to {destination}"
        + (f"; policy: {result.policy}" if result.policy else ""),
        highlight=False,
    )
    for step in result.steps:
        out.print(f"  · {step.text}", highlight=False)
    for finding in result.findings:
        out.print(f"  {finding.severity.value}: {finding.code}: {finding.message}", highlight=False)


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
    when = parse_date(on, "--date")
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
        out.print(
            f"No conformity rules for {destination} in the packs: requirements unknown (not 'none').",
            highlight=False,
        )
    out.print(f"{destination} · {kind} (family {family}) · rules of {when}", highlight=False)
    for row in data["requirements"]:
        lead = row["lead_time_days"]
        out.print(
            f"  [{row['status']}] {row['scheme']} — {row['authority']}; {row['when'].replace('_', ' ')}"
            + (f"; {lead[0]}-{lead[1]} days" if lead else "")
            + ("; per shipment" if row["per_shipment"] else "")
            + (f" ({row['excluded_by']})" if row["excluded_by"] else ""),
            highlight=False,
        )
    nr = data["importer"]["non_resident"]
    if nr:
        out.print(
            f"  importer of record, non-resident: {nr['allowed']} — {nr['text']}", highlight=False
        )
    for rule in data["importer"]["rules"]:
        out.print(
            f"  importer needs {rule['registration']} ({rule['applies_to']})"
            + ("" if rule["verified"] else " [unverified: confirm]"),
            highlight=False,
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
    when = parse_date(as_of, "--as-of")
    out.print(rules_table(_load_book(packs), when))


def _load_lists(lists: list[Path] | None) -> Any:
    """Load the restricted-party lists named with --list (none are shipped); errors exit 2."""
    if not lists:
        return None
    from rackclear.screening import ListFormatError, load_lists

    missing = [str(p) for p in lists if not p.is_file()]
    if missing:
        raise UserError("\n".join(f"--list: {m}: no such file" for m in missing))
    try:
        return load_lists(lists)
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


def _open_store(store: Path | None) -> Any:
    """The store named by --store or RACKCLEAR_STORE (never a silent default, so that a dossier does
    not depend on what a machine happens to hold), if it exists; else None."""
    import os

    from rackclear.store import TariffStore

    if store is None and not os.environ.get("RACKCLEAR_STORE"):
        return None
    path = _store_path(store)
    if not path.exists():
        raise UserError(f"{path}: no tariff store (run 'rackclear data import')")
    return TariffStore(path)


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
    existed = path.exists()
    db = TariffStore(path)
    try:
        with Progress(console=err, transient=True) as bar:
            bar.add_task(f"Importing {file.name}", total=None)
            if national is None:
                count, notes = db.import_file(source, file), list[str]()
            else:
                count, notes = _import_national(db, national, file)
    except (ImportFileError, UnicodeDecodeError, ValueError) as exc:
        db.close()
        if not existed:
            path.unlink(missing_ok=True)  # nothing half-made is left behind
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
        out.print(
            f"No store at {_store_path(store)}; run 'rackclear data import'.", highlight=False
        )
        return
    for row in db.status():
        out.print(
            f"{row['source']:10} {row['country']:3} {row['rows']:>7,} rows  {row['imported_at']}  sha256 {row['sha256'][:16]}  {row['file']}",
            highlight=False,
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
        out.print(
            f"{found.country} {found.code}: {found.description} | {found.rates} | {found.file} row {found.row}",
            highlight=False,
        )


def main() -> None:
    """Entry point: run the app, turning user mistakes into exit code 2 without a traceback."""
    try:
        code = app(standalone_mode=False)  # returns (not raises) the code of typer.Exit here
    except UserError as exc:
        # never re-wrapped (a message is copied whole) and never read as markup: user text such
        # as "[rev A]" or "[/]" in a path or a value is shown as it is
        err.print(f"[red]error[/]: {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise SystemExit(USER_ERROR) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
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
