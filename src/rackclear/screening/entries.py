"""What the importers produce: one ``ListEntry`` per listed party, and one ``ListInfo`` per list
and file, with the version the entries were read at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

VersionFrom = Literal["file content", "file name", "caller", "file modification date"]
SDN_LIST = "Specially Designated Nationals (SDN) - Treasury Department"


@dataclass(frozen=True, slots=True)
class ListInfo:
    """A list as loaded from one file: its name, version and where the version came from."""

    name: str
    version: str
    version_from: VersionFrom
    file: str

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "version": self.version,
            "version_from": self.version_from,
            "file": self.file,
        }


@dataclass(slots=True)
class ListEntry:
    """A listed party. ``aliases`` count as names; ``countries`` are ISO alpha-2 where known."""

    entry_id: str
    name: str
    listed_in: ListInfo
    row: int
    kind: str = "entity"
    aliases: list[str] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    addresses: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    # what the list says of the listing itself (the CSL's Entity List columns); empty if nothing
    licence_requirement: str = ""
    licence_policy: str = ""
    listed_on: str = ""  # the CSL's start_date: the day the party was listed
    notice: str = ""  # the Federal Register notice(s) that listed it

    def names(self) -> list[str]:
        """The primary name, then each alias once."""
        seen = {self.name.casefold()}
        unique = [self.name]
        for alias in self.aliases:
            if alias.casefold() not in seen:
                seen.add(alias.casefold())
                unique.append(alias)
        return unique
