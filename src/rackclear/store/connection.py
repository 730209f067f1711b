"""The SQLite connection of a tariff store: opened with a busy timeout, checked to be a tariff
store (never written into another application's database), and written only in ``BEGIN
IMMEDIATE`` transactions. Readers never block a writer for long, and a second writer waits for
the first (up to ``wait`` seconds), then gets ``StoreBusy`` rather than 'database is locked'."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rackclear.store.errors import NotAStore, StoreBusy, StoreError

DEFAULT_WAIT = 60.0  # seconds a store waits for another import's write lock
OWN_TABLES = frozenset({"imports", "lines", "national_rates"})
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def connect(path: Path, schema: str, wait: float) -> sqlite3.Connection:
    """An autocommit connection to the store at ``path``, its tables created if it is new;
    raises ``NotAStore`` (or ``StoreBusy`` while another import creates it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=wait, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise NotAStore(f"{path}: the store cannot be opened ({exc})") from None
    try:
        _check(db, path, schema, wait)
    except BaseException:
        db.close()
        raise
    return db


def _check(db: sqlite3.Connection, path: Path, schema: str, wait: float) -> None:
    try:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        if tables and not OWN_TABLES & tables:
            shown = ", ".join(sorted(tables)[:5])
            raise NotAStore(
                f"{path}: is not a tariff store (an SQLite database of something else: {shown})"
            )
        if not tables >= OWN_TABLES:
            with writing(db, path, wait):  # not executescript(), which would commit first
                for statement in filter(str.strip, schema.split(";")):
                    db.execute(statement)
    except sqlite3.Error as exc:
        raise failure(path, wait, exc) from None


@contextmanager
def writing(db: sqlite3.Connection, path: Path, wait: float) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE``), committed at the end and rolled back on any
    error; an SQLite error is raised as ``StoreBusy`` or ``StoreError`` naming the store."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise failure(path, wait, exc) from None
    try:
        yield db
        db.execute("COMMIT")
    except BaseException as exc:
        db.rollback()
        if isinstance(exc, sqlite3.Error):
            raise failure(path, wait, exc) from None
        raise


def failure(path: Path, wait: float, exc: sqlite3.Error) -> StoreError:
    """The store's error for an SQLite error: busy, not a database, or cannot be written."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code in _BUSY:
        return StoreBusy(
            f"{path}: another import is writing to this store; waited {wait:g} s for it. Try again when it has finished."
        )
    if code == sqlite3.SQLITE_NOTADB:
        return NotAStore(f"{path}: is not a tariff store (not an SQLite database)")
    return StoreError(f"{path}: the store cannot be read or written ({exc})")
