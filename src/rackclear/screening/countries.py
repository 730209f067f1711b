"""Country names and codes as the lists write them, read as ISO 3166-1 alpha-2.

>>> country_code("Iran"), country_code("Korea, North"), country_code("CN"), country_code("-0-")
('IR', 'KP', 'CN', None)
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import pycountry


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    text = resources.files("rackclear.screening").joinpath("ofac_country_names.csv")
    with text.open(encoding="utf-8") as handle:
        return {row["name"].casefold(): row["alpha_2"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1024)
def country_code(text: str) -> str | None:
    """The alpha-2 code of a country name or code, or ``None`` when it names no country."""
    text = text.strip()
    if not text or text == "-0-":
        return None
    alias = _aliases().get(text.casefold())
    if alias:
        return alias
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None
