"""Rules in force on every date: the example planned at every month from 2023-01 to 2027-12
loses no requirement, rate or fee between consecutive dates unless the packs record a dated
legal change of that rule in between (a ``from`` or an ``until``). A rule whose start is only
known as "since at least" is kept before that date, with ``RULE_START_UNKNOWN``."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

from rackclear import load_map, plan
from rackclear.rulebook import Rulebook

MONTHS = [date(y, m, 1) for y in range(2023, 2028) for m in range(1, 13)]


def _requirement_dates(book: Rulebook) -> dict[str, set[date]]:
    out: dict[str, set[date]] = {}
    for pack in book.packs.values():
        entries: list[tuple[str, Any]] = []
        if pack.requirements:
            entries += [(r.id, r) for r in pack.requirements.requirements]
        if pack.importer:
            entries += [(r.id, r) for r in pack.importer.rules]
            entries += [("non_resident", n) for n in pack.importer.non_resident]
        if pack.documents:
            entries += [(d.id, d) for d in pack.documents.documents]
        for rid, e in entries:
            dates = out.setdefault(rid, set())
            dates.add(e.from_)
            if e.until:
                dates.add(e.until + timedelta(days=1))
    return out


def _charge_dates(book: Rulebook) -> dict[str, set[date]]:
    """Dates on which something a charge rests on changes: its chain link, measure or parameters."""
    out: dict[str, set[date]] = {}
    for pid in book.countries():
        pack = book.jurisdiction(pid)
        assert pack is not None
        chain = book.charges(pack.meta.id)
        for spec in chain.charges if chain else []:
            dates = out.setdefault(spec.id, set())
            dates |= {d for d in (spec.from_, spec.until) if d}
            for name in filter(None, (spec.rate.parameter, spec.rate.fixed, spec.minimum)):
                for p in book.chain(pack.meta.id):
                    if name in p.parameters:
                        dates |= {v.start for v in p.parameters[name].values}
            if spec.rate.measures:
                for m in book.measures(pack.meta.id, spec.rate.measures) or []:
                    mdates = out.setdefault(m.spec.id, set())
                    for v in m.series.values:
                        mdates.add(v.start)
                        if v.end:
                            mdates.add(v.end + timedelta(days=1))
    return out


def _tariff_dates(book: Rulebook) -> dict[tuple[str, str], set[date]]:
    """Dates of every tariff row, by destination and line digits."""
    out: dict[tuple[str, str], set[date]] = {}
    for country in book.countries():
        pack = book.jurisdiction(country)
        tariff = book.tariff(pack.meta.id) if pack else None
        for (digits, _column), series in tariff._series.items() if tariff else []:
            dates = out.setdefault((country, digits), set())
            for v in series.values:
                dates.add(v.start)
                if v.end:
                    dates.add(v.end + timedelta(days=1))
    return out


def _snapshot(dossier: Any) -> tuple[set[tuple[str, str]], set[tuple[str, int, str]]]:
    reqs = {(row["country"], row["requirement"]) for row in dossier.border["matrix"]}
    charges = {
        (s.shipment, line.index, c.id)
        for s in dossier.shipments
        for line in s.entry.lines
        for c in line.charges
        if c.amount is not None
    }
    charges |= {
        (s.shipment, -1, c.id) for s in dossier.shipments for c in s.entry.entry_charges if c.amount
    }
    return reqs, charges


def test_nothing_disappears_between_months_without_a_dated_change(
    book: Rulebook, example_map: Path
) -> None:
    deployment, _ = load_map(example_map)
    req_dates, charge_dates = _requirement_dates(book), _charge_dates(book)
    tariff_dates = _tariff_dates(book)
    lines = {
        (s.shipment, line.index): (
            s.destination,
            "".join(ch for ch in line.hs_code if ch.isdigit()),
        )
        for s in plan(deployment, MONTHS[-1], book).shipments
        for line in s.entry.lines
        if line.hs_code
    }
    unexplained: list[str] = []
    before = _snapshot(plan(deployment, MONTHS[0], book))
    for prev, cur in pairwise(MONTHS):
        now = _snapshot(plan(deployment, cur, book))
        for country, rid in before[0] ^ now[0]:  # present on one date, absent on the other
            if not any(prev < d <= cur for d in req_dates.get(rid, ())):
                unexplained.append(f"{prev} -> {cur}: requirement {country} {rid} changed")
        for ship, line, cid in before[1] ^ now[1]:
            dates = set(charge_dates.get(cid, ()))
            country, digits = lines.get((ship, line), ("", ""))
            dates |= {
                d
                for (c, dg), ds in tariff_dates.items()
                if c == country and digits.startswith(dg)
                for d in ds
            }
            if not any(prev < d <= cur for d in dates):
                unexplained.append(f"{prev} -> {cur}: charge {cid} of {ship} line {line} changed")
        before = now
    assert not unexplained, "\n".join(unexplained)


def test_a_plan_before_a_research_dated_start_is_told_so(book: Rulebook, example_map: Path) -> None:
    """Before 2026-11-23 (the date the packs were researched) nothing is silently given less: the
    requirements whose start could not be found earlier are listed with RULE_START_UNKNOWN."""
    deployment, _ = load_map(example_map)
    early = plan(deployment, date(2026, 11, 1), book)
    late = plan(deployment, date(2026, 11, 23), book)
    early_reqs, late_reqs = _snapshot(early)[0], _snapshot(late)[0]
    assert late_reqs <= early_reqs
    codes = [f.code for f in early.all_findings()]
    assert "RULE_START_UNKNOWN" in codes
    assert "RULE_START_UNKNOWN" not in [f.code for f in late.all_findings()]
