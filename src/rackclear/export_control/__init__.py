"""US export control at origin: ECCN from chip specs (3A090 / 4A090 by rule version) and licence
determination by destination, end user's headquarters and licence exceptions."""

from rackclear.export_control.eccn import EccnResult, determine_eccn
from rackclear.export_control.licence import LicenceResult, determine_licence

__all__ = ["EccnResult", "LicenceResult", "determine_eccn", "determine_licence"]
