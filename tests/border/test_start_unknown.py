"""Rules whose legal start is not known (``from_known: at_least``): a plan dated before the
earliest date they are known to be in force still lists them, for confirmation, with a
RULE_START_UNKNOWN finding (DESIGN.md principle 2a), and a plan after that date does not.

Real pack entries are used: the EU batteries producer registration (known in force since at least
2025-08-18) and the UAE trade licence (official; known in force since at least 2021-11-25)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rackclear.border.requirements import (
    importer_rules,
    in_force,
    requirements_for,
    start_unknown,
)
from rackclear.rulebook import Rulebook

BATTERIES = "eu-batteries-producer-registration"
BATTERIES_FROM = date(2025, 8, 18)
TRADE_LICENCE = "ae-trade-licence"
TRADE_LICENCE_FROM = date(2021, 11, 25)
BEFORE = date(2025, 6, 1)
AFTER = date(2026, 12, 1)


def _battery_check(book: Rulebook, when: date):  # type: ignore[no-untyped-def]
    checks = requirements_for(book, "DE", "server", {"lithium_battery": True}, when)
    return next((c for c in checks if c.spec.id == BATTERIES), None)


def test_the_audited_entries_carry_an_at_least_start(book: Rulebook) -> None:
    eu = book.packs["eu"].requirements
    assert eu is not None
    spec = next(r for r in eu.requirements if r.id == BATTERIES)
    assert (spec.from_, spec.from_known) == (BATTERIES_FROM, "at_least")
    assert spec.from_reason and spec.from_ != spec.read


def test_before_an_at_least_start_the_requirement_is_listed_for_confirmation(
    book: Rulebook,
) -> None:
    check = _battery_check(book, BEFORE)
    assert check is not None, "an at-least rule must not be dropped before its from"
    assert check.start_unknown == BATTERIES_FROM
    assert check.status == "confirm"
    assert check.to_dict()["start_unknown"] == "2025-08-18"
    assert check.to_dict()["remedy"].startswith("Confirm with the authority")


def test_after_the_at_least_start_the_requirement_is_plainly_in_force(book: Rulebook) -> None:
    check = _battery_check(book, AFTER)
    assert check is not None and check.start_unknown is None


def test_an_official_importer_rule_before_its_at_least_start_is_confirm_not_dropped(
    book: Rulebook,
) -> None:
    early = importer_rules(book, "AE", date(2021, 1, 1))
    assert TRADE_LICENCE in {r.id for r in early.rules}
    assert early.start_unknown[TRADE_LICENCE] == TRADE_LICENCE_FROM
    rule = next(r for r in early.to_dict()["rules"] if r["id"] == TRADE_LICENCE)
    assert rule["verified"] is True and rule["start_unknown"] == "2021-11-25"
    late = importer_rules(book, "AE", AFTER)
    assert TRADE_LICENCE not in late.start_unknown
    assert TRADE_LICENCE in {r.id for r in late.rules}


def test_a_version_covering_the_date_wins_over_a_later_at_least_one(book: Rulebook) -> None:
    eu = book.packs["eu"].requirements
    assert eu is not None
    rohs = next(r for r in eu.requirements if r.id == "eu-rohs")
    old = rohs.model_copy(update={"until": date(2020, 12, 31)})
    new = rohs.model_copy(update={"from_": date(2022, 1, 1), "from_known": "at_least"})
    assert in_force([old, new], date(2015, 1, 1)) == [old]
    gap = in_force([old, new], date(2021, 6, 1))
    assert gap == [new] and start_unknown(new, date(2021, 6, 1)) == date(2022, 1, 1)
    assert in_force([old, new], date(2023, 1, 1)) == [new]
    assert start_unknown(new, date(2023, 1, 1)) is None
    # an exact rule is never pulled forward before its from
    exact = rohs.model_copy(update={"from_": date(2022, 1, 1)})
    assert in_force([exact], date(2021, 6, 1)) == []


def test_plan_before_the_start_lists_the_row_and_raises_one_finding(example_map: Path) -> None:
    from rackclear import load_map, plan

    deployment, _ = load_map(example_map)
    dossier = plan(deployment, BEFORE)
    rows = {(r["country"], r["requirement"]): r for r in dossier.border["matrix"]}
    row = rows[("DE", BATTERIES)]
    assert row["status"] == "confirm" and row["start_unknown"] == "2025-08-18"
    found = [
        f
        for f in dossier.findings
        if f.code == "RULE_START_UNKNOWN" and f.concerns.rule == BATTERIES
    ]
    assert len(found) == 1, "one finding per entry and country, not per line"
    assert found[0].concerns.country == "DE"
    assert "known to be in force since at least 2025-08-18" in found[0].message
    assert "whether it applied on 2025-06-01 is not established" in found[0].message
    assert found[0].remedy == (
        "Find the date the rule took effect in law and record it as from in the pack."
    )
    assert found[0].citations


def test_plan_after_the_start_has_no_start_unknown_finding(example_map: Path) -> None:
    from rackclear import load_map, plan

    deployment, _ = load_map(example_map)
    dossier = plan(deployment, AFTER)
    rows = {(r["country"], r["requirement"]): r for r in dossier.border["matrix"]}
    assert rows[("DE", BATTERIES)]["start_unknown"] is None
    assert not [
        f
        for f in dossier.findings
        if f.code == "RULE_START_UNKNOWN" and f.concerns.rule == BATTERIES
    ]
