"""The errors of screening: a list file that cannot be loaded (every problem of the file
listed), and a name that cannot be screened. Both are the user's to correct (exit code 2)."""

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


class UnscreenableNameError(ValueError):
    """A name with nothing to screen: empty, punctuation alone, or legal-form words alone
    (``LLC``). No list can clear such a party: the caller refuses it or makes it a blocker."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name!r} cannot be screened: {reason}")
