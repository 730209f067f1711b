"""Local persistence: whole official tariffs imported from their files, with provenance."""

from rackclear.store.errors import NotAStore, StoreBusy, StoreError
from rackclear.store.tariff_store import StoredLine, TariffStore

__all__ = ["NotAStore", "StoreBusy", "StoreError", "StoredLine", "TariffStore"]
