"""Tariff classification: HS 6-digit and national lines from a description, kind and specs,
with the reasoning, alternatives and legal basis of each step (rules in packs/classification)."""

from rackclear.classification.classifier import Classification, classify
from rackclear.classification.national import NationalLine

__all__ = ["Classification", "NationalLine", "classify"]
