"""Terminal output (rich): the plan summary, map problems and rule-pack listings, and the
making of user text safe for a terminal (no markup read, no control character sent)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rackclear.domain.dossier import Dossier, Totals
from rackclear.io.map_reader import MapIssue
from rackclear.rulebook.errors import PackError
from rackclear.rulebook.registry import Rulebook

_SHOWN = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c != 0x09}
_SHOWN |= {c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_LINES = {k: v for k, v in _SHOWN.items() if k != 0x0A}


def visible(text: str, keep_newlines: bool = True) -> str:
    r"""``text`` with every control character (ESC, BEL, CR, DEL, C1, bidi overrides) written
    out as a visible escape, so that nothing in it can move the cursor or restyle a terminal.

    >>> visible("a\x1b[31mb")
    'a\\x1b[31mb'
    """
    return text.translate(_LINES if keep_newlines else _SHOWN)


def safe(text: object) -> str:
    """User text to embed in rich markup: control characters made visible, markup escaped."""
    return escape(visible(str(text)))


def say(console: Console, text: str) -> None:
    """Print one message literally: no markup, no emoji, no highlighting, no control characters."""
    console.print(visible(text), markup=False, emoji=False, highlight=False)


def _fmt(value: object) -> str:
    if value is None:
        return "[bold red]unknown[/]"
    return f"{value:,.2f}"


def _landed(totals: Totals) -> str:
    """The estimate (a range where there is one); ``≥`` the known part where an input is unknown."""
    if totals.landed_cost is None:
        low = totals.landed_cost_low
        return f"[red]≥ {low:,.2f}[/]" if low is not None else _fmt(None)
    low, high = totals.landed_cost_low, totals.landed_cost_high
    ranged = low is not None and high is not None and low != high
    return _fmt(totals.landed_cost) + (" *" if ranged else "")


def _confirmed(totals: Totals) -> str:
    share = totals.confirmed_share
    return "-" if share is None else f"{share * 100:.1f} %"


def summary_table(dossier: Dossier) -> Table:
    title = f"{safe(dossier.programme)} — as of {dossier.as_of}"
    table = Table(title=title, title_justify="left")
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
        "Confirmed",
        "Blk/Wrn/Inf",
    ):
        table.add_column(name, justify="right" if name not in ("Dest", "Cur") else "left")
    for d in dossier.destinations:
        f = d.findings
        table.add_row(
            safe(d.country),
            str(d.shipments),
            safe(d.local.currency or "?"),
            _fmt(d.local.customs_value),
            _fmt(d.local.duties),
            _fmt(d.local.taxes),
            _fmt(d.local.fees),
            _landed(d.local),
            _landed(d.usd),
            _confirmed(d.usd if d.local.customs_value is None else d.local),
            f"{f['blocker']}/{f['warning']}/{f['info']}",
        )
    return table


def print_summary(console: Console, dossier: Dossier) -> None:
    console.print(summary_table(dossier))
    for d in dossier.destinations:
        t = d.local if d.local.customs_value is not None else d.usd
        if t.landed_cost_low is not None and t.landed_cost_high not in (None, t.landed_cost_low):
            console.print(
                f"* {d.country}: landed cost ranges from {t.landed_cost_low:,.2f} to"
                f" {t.landed_cost_high:,.2f} {t.currency} (competing values; see the charges'"
                " range reasons in the dossier)",
                highlight=False,
            )
    whole = dossier.programme_usd()
    if whole.landed_cost is not None:
        console.print(
            f"Programme: landed cost USD {whole.landed_cost:,.2f} (estimate, grade {whole.grade});"
            f" USD {(whole.landed_cost_at_least or 0):,.2f} rests on official, derived and your own values;"
            f" rates confirmed for {_confirmed(whole)} of customs value"
            f" (USD {(whole.value_at_risk or 0):,.2f} at risk).",
            highlight=False,
        )
    console.print(
        "Amounts are estimates from the best value each pack holds, graded by their weakest input;"
        " 'unknown' means some input has no value at all, and '≥' is then the known part."
        " Confirmed = share of customs value resting on official, derived or your own values only."
    )
    if dossier.actions:
        console.print(f"To confirm ({len(dossier.actions)}, earliest due first):")
        for act in dossier.actions[:8]:
            what = act.citation.reference if act.citation else act.rule
            say(
                console,
                f"  {act.country} by {act.due}: {what} [{act.grade}] — {act.lines} line(s),"
                f" {act.customs_value:,.2f} {act.currency} of value, {act.amount:,.2f} {act.currency} computed with it",
            )
    print_schedule_status(console, dossier.schedule)
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


def print_schedule_status(console: Console, schedule: dict[str, Any] | None) -> None:
    """One line per site: its go-live status and the threshold that decided it."""
    if not schedule or not schedule.get("sites"):
        return
    console.print(
        "Go-live status (the thresholds and the drivers are in the dossier's schedule section):"
    )
    for site in schedule["sites"]:
        driver = (
            " The plan, not the simulation, decides it (see the driver)."
            if site.get("status_driver")
            else ""
        )
        say(
            console,
            f"  {site['id']} {site['status']} (by {site.get('status_basis', 'plan')}):"
            f" {site.get('status_reason', '')}.{driver}",
        )


def print_map_issues(console: Console, issues: list[MapIssue]) -> None:
    for issue in issues:
        style = "red" if issue.severity == "error" else "yellow"
        text = f"{issue.file}: {issue.location or '(file)'}: expected {issue.expected}" + (
            f" (found {issue.value})" if issue.value else ""
        )
        console.print(
            f"[{style}]{issue.severity}[/]: {safe(text)}",
            highlight=False,
            soft_wrap=True,
            emoji=False,
        )


def print_pack_errors(console: Console, errors: list[PackError]) -> None:
    for error in errors:
        console.print(
            f"[red]rule pack error[/]: {safe(error)}", highlight=False, soft_wrap=True, emoji=False
        )


def rules_table(book: Rulebook, as_of: date) -> Table:
    table = Table(title=f"Rule packs (freshness as of {as_of})", title_justify="left")
    for name in (
        "Pack",
        "Kind",
        "Countries",
        "Version",
        "Parameters",
        "Tariff lines",
        "Official/derived/secondary/assumption/none",
        "Stale",
        "Oldest check",
    ):
        table.add_column(name)
    for pid, pack in sorted(book.packs.items()):
        dates, stale, total = [], 0, 0
        grades = {"official": 0, "derived": 0, "secondary": 0, "assumption": 0, "none": 0}
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
            grades["none" if d.value is None else d.citation.grade] += 1
        table.add_row(
            safe(pid),
            safe(pack.meta.kind),
            safe(",".join(pack.meta.countries) or "-"),
            safe(pack.meta.version),
            str(len(pack.parameters)),
            str(len(pack.tariff) if pack.tariff else 0),
            "/".join(str(n) for n in grades.values()) + f" of {total}",
            str(stale),
            str(min(dates)) if dates else "-",
        )
    return table
