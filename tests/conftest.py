"""Shared fixtures. Tests that read ../shared/data skip with a reason where the folder is absent,
but never when CI=true: there they must run."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from rackclear.rulebook import Rulebook, load_rulebook

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the shared reference data is missing at {SHARED_DATA}")
    pytest.skip(
        f"../shared/data not found beside the project ({SHARED_DATA}); official-file tests need it"
    )


@pytest.fixture(scope="session")
def book() -> Rulebook:
    return load_rulebook()


@pytest.fixture(scope="session")
def example_map() -> Path:
    return ROOT / "examples" / "ai-cluster-2027.yaml"


AS_OF = date(2026, 11, 23)
