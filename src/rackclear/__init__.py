"""rackclear: an importer-of-record engine for AI hardware.

Python API: ``rackclear.load_map(path)`` reads a deployment map; ``rackclear.plan(deployment,
as_of)`` returns the import dossier.
"""

from __future__ import annotations

__version__ = "0.1.0"

from rackclear.io.map_reader import MapError
from rackclear.io.map_reader import read_map as load_map
from rackclear.planning import plan

__all__ = ["MapError", "__version__", "load_map", "plan"]
