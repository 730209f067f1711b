"""An offline SVG Gantt chart of a backward plan: one row per shipment, grouped by site, with bars
for the open prerequisites (latest start to ready), booking and transit, clearance and the last
leg (hand-over and final mile), and a go-live line per site. No script, no external assets."""

from __future__ import annotations

from datetime import date
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from rackclear.schedule.backward import BackwardPlan, ShipmentSchedule

LABEL_W, ROW_H, TOP, WIDTH = 240, 20, 40, 1200
COLOURS = {
    "prerequisite": "#8e6c8a",
    "transit": "#4a7ebb",
    "clearance": "#e3a33b",
    "last leg": "#5aa469",
    "go-live": "#c0392b",
    "red": "#c0392b",
    "amber": "#d68910",
    "green": "#1e8449",
}


class _Scale:
    def __init__(self, first: date, last: date) -> None:
        self.first = first.toordinal()
        days = max(last.toordinal() - self.first, 1)
        self.per_day = (WIDTH - LABEL_W - 20) / days

    def x(self, day: date) -> float:
        return round(LABEL_W + (day.toordinal() - self.first) * self.per_day, 1)


def _bar(scale: _Scale, y: float, start: date, end: date, kind: str, title: str) -> str:
    x0, x1 = scale.x(start), scale.x(end)
    w = max(x1 - x0, 1.0)
    return (
        f'<rect x="{x0}" y="{y + 4}" width="{round(w, 1)}" height="{ROW_H - 8}" '
        f'fill="{COLOURS[kind]}"><title>{escape(title)}</title></rect>'
    )


def _row(scale: _Scale, y: float, s: ShipmentSchedule) -> list[str]:
    label = f"{s.id} ({s.mode}, slack {s.slack_days} d)"
    out = [f'<text x="8" y="{y + 14}" fill={quoteattr(COLOURS[s.status])}>{escape(label)}</text>']
    for p in s.prereqs:
        if p.ready_by is not None:
            end = max(p.ready_by, p.latest_start)
            out.append(
                _bar(
                    scale,
                    y,
                    min(p.latest_start, p.ready_by),
                    end,
                    "prerequisite",
                    f"{p.name}: latest start {p.latest_start}, ready by {p.ready_by}",
                )
            )
    out.append(
        _bar(scale, y, s.ship, s.arrive, "transit", f"{s.id}: ship {s.ship}, arrive {s.arrive}")
    )
    out.append(
        _bar(scale, y, s.arrive, s.cleared, "clearance", f"{s.id}: clearance to {s.cleared}")
    )
    out.append(
        _bar(scale, y, s.cleared, s.delivered, "last leg", f"{s.id}: delivered {s.delivered}")
    )
    return out


class HasPlan(Protocol):
    @property
    def plan(self) -> BackwardPlan: ...


def gantt_svg(source: BackwardPlan | HasPlan) -> str:
    """The plan (or a ``ScheduleResult``'s plan) as an SVG document (a string)."""
    plan = source if isinstance(source, BackwardPlan) else source.plan
    dates = [plan.as_of] + [s.go_live for s in plan.sites]
    for s in plan.shipments:
        dates += [s.ship, s.delivered, *(p.latest_start for p in s.prereqs)]
        dates += [p.ready_by for p in s.prereqs if p.ready_by is not None]
    scale = _Scale(min(dates), max(dates))
    body, y = [], float(TOP)
    for site in plan.sites:
        rows = [s for s in plan.shipments if s.site == site.id]
        top = y
        body.append(
            f'<text x="4" y="{y + 14}" font-weight="bold">'
            f"{escape(f'{site.id} ({site.country}) go-live {site.go_live}')}</text>"
        )
        y += ROW_H
        for s in rows:
            body += _row(scale, y, s)
            y += ROW_H
        x = scale.x(site.go_live)
        body.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{y}" stroke="{COLOURS["go-live"]}" '
            f'stroke-width="2"><title>{escape(f"{site.id} go-live {site.go_live}")}</title></line>'
        )
    head = [
        f'<text x="{scale.x(plan.as_of)}" y="16">{escape(f"as of {plan.as_of}")}</text>',
        f'<line x1="{scale.x(plan.as_of)}" y1="20" x2="{scale.x(plan.as_of)}" y2="{y}" '
        'stroke="#555" stroke-dasharray="4 3"/>',
    ]
    height = int(y + 10)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">'
        + "".join(head + body)
        + "</svg>"
    )
