"""Resource limits of the map reader, and the refusal raised when an input passes one.

The limits bound what one ``check`` or ``plan`` may read before it says no: bytes of a file,
nesting and size of a YAML/JSON document, and the cells, strings and uncompressed size of an
XLSX workbook. They are engineering bounds, not rules of law, so they live here rather than in a
rule pack. Each refusal names the limit and how to raise it (see docs/deployment-map.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

MIB = 1024 * 1024
LIMIT_OPTION = "--limit"


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What the reader accepts; pass a higher value (``read_map(..., limits=...)``) to read more."""

    max_map_bytes: int = 16 * MIB
    max_lines_file_bytes: int = 128 * MIB
    max_depth: int = 100
    max_nodes: int = 2_000_000
    max_xlsx_uncompressed_bytes: int = 512 * MIB
    max_xlsx_ratio: int = 200
    max_shared_strings_bytes: int = 32 * MIB
    max_rows: int = 1_000_001  # a million lines and the header
    max_columns: int = 64
    max_cell_chars: int = 32_767
    # lines per map: a plan holds about 6 kB per line today (benchmarks/plan_scale.py), so
    # 250,000 lines stay near 1.5 GB; planning larger maps in a stream is the scale issue's work
    max_lines: int = 250_000

    def overridden(self, pairs: Iterable[str]) -> ReadLimits:
        """These limits with ``name=value`` overrides applied (the CLI's ``--limit``).

        >>> ReadLimits().overridden(["max_map_bytes=100"]).max_map_bytes
        100
        """
        changes: dict[str, int] = {}
        names = {f.name for f in fields(self)}
        for pair in pairs:
            name, _, value = pair.partition("=")
            if name.strip() not in names or not value.strip().isdigit() or int(value) <= 0:
                raise ValueError(
                    f"{pair!r}: expected NAME=N with N > 0 and NAME one of {sorted(names)}"
                )
            changes[name.strip()] = int(value)
        return replace(self, **changes)


DEFAULT_LIMITS = ReadLimits()


class Refused(Exception):
    """An input the reader will not read further; the caller names the file.

    ``location`` is the place in the file ("" for the whole file), ``value`` what was found and
    ``expected`` what the reader wanted.
    """

    def __init__(self, expected: str, value: str = "", location: str = "") -> None:
        self.expected, self.value, self.location = expected, value, location
        super().__init__(expected)


def over_limit(what: str, limit: int, name: str, unit: str = "") -> str:
    """The ``expected`` text of a refusal for passing ``limit``.

    >>> over_limit("a map file", 10, "max_map_bytes", " bytes")
    'a map file of at most 10 bytes (raise the limit with --limit max_map_bytes=N)'
    """
    return f"{what} of at most {limit:,}{unit} (raise the limit with {LIMIT_OPTION} {name}=N)"
