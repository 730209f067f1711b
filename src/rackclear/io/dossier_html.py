"""Write the dossier as one self-contained HTML file (no scripts or assets fetched; works offline)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from rackclear.domain.dossier import Dossier
from rackclear.domain.money import as_text


def _money(value: str | None) -> str:
    if value is None:
        return "unknown"
    value = as_text(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    whole, _, frac = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}" if whole else "0"
    return f"{sign}{grouped}.{(frac + '00')[:2]}"


def render_html(dossier: Dossier) -> str:
    """The dossier as one HTML page."""
    env = Environment(
        loader=PackageLoader("rackclear", "io/templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["money"] = _money
    data: dict[str, Any] = dossier.to_dict()
    by_country: dict[str, list[dict[str, Any]]] = {}
    for shipment in data["shipments"]:
        by_country.setdefault(shipment["destination"], []).append(shipment)
    return env.get_template("dossier.html.j2").render(
        d=data, by_country=by_country, svg=dossier.schedule_svg
    )


def stream_html(dossier: Dossier, handle: IO[str]) -> None:
    """Render the page, then write it to ``handle`` (a rendering error writes nothing)."""
    handle.write(render_html(dossier))


def write_html(dossier: Dossier, path: Path) -> Path:
    """Write the page to ``path`` directly (the CLI writes through ``io.output``); returns it."""
    with path.open("w", encoding="utf-8") as handle:
        stream_html(dossier, handle)
    return path
