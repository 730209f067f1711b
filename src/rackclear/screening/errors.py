"""The one error a screening list can raise on loading: every problem of a file, listed."""

from __future__ import annotations

from pathlib import Path

from rackclear.importers.common import ImportFileError


class ListFormatError(ImportFileError):
    """A screening list file is missing, unreadable or malformed. ``issues`` names each row."""

    def __init__(self, path: Path | str, issues: list[str]) -> None:
        self.path = str(path)
        self.issues = issues
        shown = "; ".join(issues[:10]) + (
            f"; … {len(issues) - 10} more" if len(issues) > 10 else ""
        )
        super().__init__(f"{self.path}: {shown}")
