"""Preferential origin: CUSMA/USMCA rules of origin, regional value content and what a
preference actually saves. Every value comes from the ``cusma`` rule pack, cited."""

from rackclear.origin.cusma import Material, OriginResult, assess_origin
from rackclear.origin.rvc import (
    RvcInputError,
    RvcResult,
    net_cost_rvc,
    rvc_from_bom,
    transaction_value_rvc,
)

__all__ = [
    "Material",
    "OriginResult",
    "RvcInputError",
    "RvcResult",
    "assess_origin",
    "net_cost_rvc",
    "rvc_from_bom",
    "transaction_value_rvc",
]
