"""Typed inputs and outputs: money, citations, findings, determinations, deployment map, dossier."""
