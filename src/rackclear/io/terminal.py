"""Terminal output (rich): the plan summary, map problems and rule-pack listings."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from rackclear.domain.dossier import Dossier
from rackclear.io.map_reader import MapIssue
from rackclear.rulebook.errors import PackError
from rackclear.rulebook.registry import Rulebook


def _fmt(value: object) -> str:
    if value is None:
        return "[bold red]unknown[/]"
    return f"{value:,.2f}"


def _landed(total: object, at_least: object) -> str:
    if total is not None:
        return _fmt(total)
    return f"[red]≥ {at_least:,.2f}[/]" if at_least is not None else _fmt(None)


def summary_table(dossier: Dossier) -> Table:
    table = Table(title=f"{dossier.programme} — as of {dossier.as_of}", title_justify="left")
    for name in (
        "Dest",
        "Ships",
        "Cur",
        "Customs value",
        "Duties",
        "Taxes",
        "Fees",
        "Landed cost",
        "Landed (USD)",
        "Blk/Wrn/Inf",
    ):
        table.add_column(name, justify="right" if name not in ("Dest", "Cur") else "left")
    for d in dossier.destinations:
        f = d.findings
        table.add_row(
            d.country,
            str(d.shipments),
            d.local.currency or "?",
            _fmt(d.local.customs_value),
            _fmt(d.local.duties),
            _fmt(d.local.taxes),
            _fmt(d.local.fees),
            _landed(d.local.landed_cost, d.local.landed_cost_at_least),
            _landed(d.usd.landed_cost, d.usd.landed_cost_at_least),
            f"{f['blocker']}/{f['warning']}/{f['info']}",
        )
    return table


def print_summary(console: Console, dossier: Dossier) -> None:
    console.print(summary_table(dossier))
    console.print(
        "Amounts marked unknown lack a verified rule; '≥' is the known part only (a lower bound), never a total."
    )
    counts = {"blocker": 0, "warning": 0, "info": 0}
    codes: dict[str, int] = {}
    for finding in dossier.all_findings():
        counts[finding.severity.value] += 1
        if finding.severity.value == "blocker":
            codes[finding.code] = codes.get(finding.code, 0) + 1
    console.print(
        f"Findings: {counts['blocker']} blocker, {counts['warning']} warning, {counts['info']} info"
    )
    if codes:
        console.print(
            "Blockers by code: "
            + ", ".join(f"{c} ×{n}" for c, n in sorted(codes.items(), key=lambda kv: -kv[1]))
        )


def print_map_issues(console: Console, issues: list[MapIssue]) -> None:
    for issue in issues:
        style = "red" if issue.severity == "error" else "yellow"
        console.print(
            f"[{style}]{issue.severity}[/]: {issue.file}: {issue.location or '(file)'}: expected {issue.expected}"
            + (f" (found {issue.value})" if issue.value else ""),
            highlight=False,
            soft_wrap=True,
        )


def print_pack_errors(console: Console, errors: list[PackError]) -> None:
    for error in errors:
        console.print(f"[red]rule pack error[/]: {error}", highlight=False, soft_wrap=True)


def rules_table(book: Rulebook, as_of: date) -> Table:
    table = Table(title=f"Rule packs (freshness as of {as_of})", title_justify="left")
    for name in (
        "Pack",
        "Kind",
        "Countries",
        "Version",
        "Parameters",
        "Tariff lines",
        "Unverified",
        "Stale",
        "Oldest check",
    ):
        table.add_column(name)
    for pid, pack in sorted(book.packs.items()):
        dates, unverified, stale, total = [], 0, 0, 0
        series = list(pack.parameters.values()) + [
            m.series for ms in pack.measures.values() for m in ms
        ]
        values = [d for s in series for d in s.values]
        if pack.tariff is not None:
            values += [d for s in pack.tariff._series.values() for d in s.values]
        for d in values:
            total += 1
            checked = d.citation.last_verified or d.citation.read
            if checked:
                dates.append(checked)
                if (as_of - checked).days > 365:
                    stale += 1
            if not d.citation.verified or d.value is None:
                unverified += 1
        table.add_row(
            pid,
            pack.meta.kind,
            ",".join(pack.meta.countries) or "-",
            pack.meta.version,
            str(len(pack.parameters)),
            str(len(pack.tariff) if pack.tariff else 0),
            f"{unverified}/{total}",
            str(stale),
            str(min(dates)) if dates else "-",
        )
    return table
