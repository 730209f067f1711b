"""Rule packs: loading, validating, effective-date lookup and citations."""

from rackclear.rulebook.errors import PackError, PackLoadError
from rackclear.rulebook.lookup import Lookup, Status
from rackclear.rulebook.registry import Rulebook, load_rulebook

__all__ = ["Lookup", "PackError", "PackLoadError", "Rulebook", "Status", "load_rulebook"]
