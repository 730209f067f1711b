"""Where an input file may be, and reading it without surprises.

A ``lines_file`` must resolve (symlinks followed) inside the map's folder or a folder the user
allows; an input must be a regular file (never a FIFO, a device or a folder) no bigger than its
limit. Nothing here ever puts a file's content into a refusal.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from rackclear.io.limits import Refused, over_limit

ALLOW_OPTION = "--allow-path"


def resolve_inside(base: Path, name: str, allowed: Sequence[Path] = ()) -> Path:
    """``name`` (relative to ``base``) resolved; raises ``Refused`` when it leads elsewhere."""
    if "\x00" in name:
        raise Refused("a file name without NUL characters", repr(name), "lines_file")
    target = (base / name).resolve()
    roots = [base.resolve(), *(Path(a).resolve() for a in allowed)]
    if not any(target.is_relative_to(root) for root in roots):
        raise Refused(
            f"a lines_file inside the map's folder {roots[0]} (or a folder named with {ALLOW_OPTION})",
            name,
            "lines_file",
        )
    return target


def _open_regular(path: Path) -> int:
    """A descriptor on ``path`` opened without blocking, checked to be a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Refused("a regular file (not a folder, device, FIFO or socket)")
    return fd


def check_regular(path: Path, limit: int, limit_name: str) -> int:
    """The size of ``path``; raises ``Refused`` unless it is a regular file within ``limit``,
    and ``FileNotFoundError`` when there is nothing there."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise  # the caller says which file should exist
    except OSError as exc:
        raise Refused(f"a readable file ({exc.strerror or exc.__class__.__name__})") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("a regular file (not a folder, device, FIFO or socket)")
    size = info.st_size
    if size > limit:
        raise Refused(over_limit("a file", limit, limit_name, " bytes"), f"{size:,} bytes")
    return size


def read_bounded(path: Path, limit: int, limit_name: str) -> bytes:
    """The bytes of the regular file ``path``, refused (``Refused``) past ``limit`` bytes."""
    check_regular(path, limit, limit_name)
    try:
        fd = _open_regular(path)
    except OSError as exc:
        raise Refused(f"a readable file ({exc.strerror or exc.__class__.__name__})") from None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused(over_limit("a file", limit, limit_name, " bytes"), f"over {limit:,} bytes")
    return data
