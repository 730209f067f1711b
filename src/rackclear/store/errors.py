"""Errors of the tariff store itself: the file is not a store, cannot be opened or written, or
another import is writing to it.

They are user errors (exit 2, no traceback), not ``ImportFileError``: the file being imported is
not at fault, and a caller that discards a store it has just created after a refused file must
not discard one that another process is writing to."""

from __future__ import annotations

from rackclear.errors import UserError


class StoreError(UserError):
    """The store file cannot be used; the message names it and says why."""


class NotAStore(StoreError):
    """The path is not a tariff store: not an SQLite database, another application's database,
    a folder, or a file that cannot be opened."""


class StoreBusy(StoreError):
    """Another import held the store's write lock for longer than the store waits."""
