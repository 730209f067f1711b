"""Licence need of items outside 3A090/4A090, from their ECCN's reasons for control (pack data),
and the plan's record of every determination, "not required" included."""

from __future__ import annotations

from datetime import date

from rackclear.export_control.licence import determine_general, determine_licence
from rackclear.rulebook.registry import Rulebook

WHEN = date(2026, 11, 1)


def test_ear99_and_at_only_items_need_no_licence_to_the_programme_destinations(
    book: Rulebook,
) -> None:
    for destination in ("CA", "DE", "NL", "SG", "JP", "KR", "TW", "IN", "AE", "SA"):
        for eccn in ("EAR99", "5A991", "5A992.c", "4A994", "3A991"):
            r = determine_licence(book, eccn, destination, WHEN)
            assert r.licence_required is False, (eccn, destination)
            assert r.steps[0].citation is not None and "NLR" in r.steps[0].text
            assert not r.findings


def test_at_only_items_to_an_embargoed_destination_are_not_called_free(book: Rulebook) -> None:
    r = determine_licence(book, "5A991", "IR", WHEN)
    assert r.licence_required is None
    assert [f.code for f in r.findings] == ["LICENCE_UNKNOWN"]


def test_5a002_needs_a_licence_or_enc_except_to_canada(book: Rulebook) -> None:
    de = determine_licence(book, "5A002.a", "DE", WHEN)
    assert de.licence_required is True
    assert [e["name"] for e in de.exceptions if e["eligible"]] == ["ENC"]
    assert "LICENCE_REQUIRED" not in {f.code for f in de.findings}  # ENC is the route
    assert determine_licence(book, "5A002.a", "CA", WHEN).licence_required is False


def test_candidates_that_agree_settle_the_licence(book: Rulebook) -> None:
    r = determine_general(book, ["5A991", "EAR99"], "DE", WHEN)
    assert r is not None and r.licence_required is False and len(r.steps) == 2


def test_candidates_that_differ_only_by_route_are_a_warning_not_a_blocker(book: Rulebook) -> None:
    r = determine_general(book, ["5A991", "EAR99", "5A992.c", "5A002.a"], "DE", WHEN)
    assert r is not None and r.licence_required is None
    assert [f.code for f in r.findings] == ["LICENCE_DEPENDS_ON_ECCN"]
    assert r.findings[0].severity.value == "warning" and r.findings[0].citations
