"""Output folders written atomically and exclusively (see docs/cli.md#output-files).

One run's files are each written to a hidden temporary name in the output folder, flushed to
disk, and only when every one of them is whole are they renamed into place with ``os.replace``,
in the order given (the dossier's HTML first, its JSON last). A failure before the renames
removes the temporary files, so the folder keeps its previous files whole. A lock file in the
folder (``fcntl.flock``, non-blocking) refuses a second run that writes there at the same time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

LOCK_NAME = ".rackclear.lock"
Writer = Callable[[IO[str]], None]


class OutputError(Exception):
    """An output that cannot be used or written; the message names the path and the problem."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # 2: a user mistake found before any work; 1: a failed write


def _existing_ancestor(path: Path) -> Path:
    """The nearest folder above ``path`` (or ``path`` itself) that exists."""
    found = path.absolute()
    while not found.exists() and found != found.parent:
        found = found.parent
    return found


def check_folder(folder: Path, option: str) -> None:
    """Refuse (OutputError) a folder that is a file, or that cannot be created or written to."""
    base = _existing_ancestor(folder)
    if not base.is_dir():
        raise OutputError(f"{option}: {folder}: {base} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=base, prefix=".rackclear-probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"{option}: {folder}: cannot write in {base} ({exc.strerror})") from None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check_not_inputs(targets: Iterable[Path], inputs: Iterable[Path], option: str) -> None:
    """Refuse (OutputError) an output path that is also one of the command's input files."""
    given = list(inputs)
    for target in targets:
        for source in given:
            if _same(target, source):
                raise OutputError(
                    f"{option}: {target} would overwrite the input file {source}; choose another output"
                )


@contextlib.contextmanager
def locked(folder: Path, option: str) -> Iterator[Path]:
    """Create ``folder`` if need be and hold its lock for the block; OutputError if another run
    holds it. The lock file stays (removing it would let two runs lock two different files)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK_NAME).open("a")
    except OSError as exc:
        raise OutputError(f"{option}: {folder}: cannot be used ({exc.strerror})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{option}: {folder}: another rackclear run is writing to this folder (it holds {folder / LOCK_NAME}); wait for it to finish or choose another folder"
            ) from None
        _remove_stale(folder)
        yield folder


def _remove_stale(folder: Path) -> None:
    """Temporary files left by a run that was killed (we hold the lock, so none is in use)."""
    for stale in folder.glob(".*.rackclear-tmp"):
        stale.unlink(missing_ok=True)


def _mode(final: Path) -> int:
    """The permissions the file would get if written in place: its own, or the umask's."""
    with contextlib.suppress(OSError):
        return final.stat().st_mode & 0o7777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_one(folder: Path, name: str, writer: Writer) -> Path:
    """Write one file to a temporary name beside its final one; returns the temporary path."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".rackclear-tmp")
    try:
        os.fchmod(fd, _mode(folder / name))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{exc.__class__.__name__}: {exc}"


def write_all(folder: Path, files: dict[str, Writer]) -> list[Path]:
    """Write every file of ``files`` (name -> writer), then rename them all into place in that
    order; returns the final paths. On any failure nothing is renamed and OutputError (exit 1)
    says which file failed and why."""
    done: list[tuple[Path, Path]] = []
    try:
        for name, writer in files.items():
            done.append((_write_one(folder, name, writer), folder / name))
    except Exception as exc:  # full disk, out of memory, a failed rendering: say what, keep the old
        _discard(done)
        raise OutputError(_failed(folder, name, exc), exit_code=1) from None
    for tmp, final in done:
        os.replace(tmp, final)
    _sync_folder(folder)
    return [final for _, final in done]


def _failed(folder: Path, name: str, exc: BaseException) -> str:
    return (
        f"{folder / name}: could not be written ({_reason(exc)}); nothing in {folder} was changed"
    )


def _discard(done: list[tuple[Path, Path]]) -> None:
    for tmp, _ in done:
        tmp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_file(path: Path, writer: Writer, option: str, inputs: Iterable[Path] = ()) -> Path:
    """One output file written the same way (checked, locked, temporary name, renamed)."""
    if path.is_dir():
        raise OutputError(f"{option}: {path} is a folder; give a file name")
    check_not_inputs([path], inputs, option)
    check_folder(path.parent, option)
    with locked(path.parent, option) as folder:
        return write_all(folder, {path.name: writer})[0]
