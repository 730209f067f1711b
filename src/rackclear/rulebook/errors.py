"""Errors found while loading rule packs: each names the file, the place in it and the problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PackError:
    """One problem in a rule-pack file."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        return f"{where}: {self.message}"


class PackLoadError(Exception):
    """A rule pack (or several) could not be loaded; ``errors`` lists every problem at once."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
