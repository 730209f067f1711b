"""Customs security: US bonds, the Canadian RPP security, projections and the 7501 data set."""

from rackclear.security.bonds import (
    BondInputError,
    BondResult,
    ca_rpp_security,
    us_continuous_bond,
    us_single_transaction_bond,
)
from rackclear.security.projection import (
    CaProjection,
    UsProjection,
    project_ca_security,
    project_us_bond,
)

__all__ = [
    "BondInputError",
    "BondResult",
    "CaProjection",
    "UsProjection",
    "ca_rpp_security",
    "project_ca_security",
    "project_us_bond",
    "us_continuous_bond",
    "us_single_transaction_bond",
]
