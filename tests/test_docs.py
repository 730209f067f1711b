"""The documentation lists exactly the finding codes the code raises (docs/findings.md)."""

from __future__ import annotations

import re
from pathlib import Path

from rackclear.domain.finding_codes import CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "findings.md"


def test_findings_doc_lists_every_code_and_no_other() -> None:
    rows = set(
        re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.M)
    )
    assert rows == set(CODES), (sorted(set(CODES) - rows), sorted(rows - set(CODES)))
