"""Write the dossier as JSON (schema in docs/dossier.md)."""

from __future__ import annotations

import json
from pathlib import Path

from rackclear.domain.dossier import Dossier


def dossier_json(dossier: Dossier) -> str:
    return json.dumps(dossier.to_dict(), indent=2, ensure_ascii=False)


def write_json(dossier: Dossier, path: Path) -> Path:
    path.write_text(dossier_json(dossier) + "\n", encoding="utf-8")
    return path
