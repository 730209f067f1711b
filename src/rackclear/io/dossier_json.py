"""Write the dossier as JSON (schema in docs/dossier.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

from rackclear.domain.citations import CitationTable
from rackclear.domain.dossier import Dossier


def dossier_json(dossier: Dossier) -> str:
    """The whole dossier as one JSON text (the same document ``write_json`` streams)."""
    return json.dumps(dossier.to_dict(), indent=2, ensure_ascii=False)


def stream_json(dossier: Dossier, handle: IO[str]) -> None:
    """Write the dossier to ``handle`` one shipment at a time (bounded memory on large maps).

    The result is the same document as ``dossier_json`` (same keys, same order)."""
    table = CitationTable()
    head = dossier.head(table)
    handle.write(json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ',\n  "shipments": [')
    for i, shipment in enumerate(dossier.shipments):
        text = json.dumps(shipment.to_dict(table.ref), indent=2, ensure_ascii=False)
        handle.write(("," if i else "") + "\n    " + text.replace("\n", "\n    "))
    citations = json.dumps(table.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n  ")
    handle.write(
        ("\n  " if dossier.shipments else "") + '],\n  "citations": ' + citations + "\n}\n"
    )


def write_json(dossier: Dossier, path: Path) -> Path:
    """Write the dossier to ``path`` directly (the CLI writes through ``io.output``); returns it."""
    with path.open("w", encoding="utf-8") as handle:
        stream_json(dossier, handle)
    return path
