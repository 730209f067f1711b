"""The CBP Form 7501 entry summary data set and its validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rackclear.security.entry_summary import (
    EntrySummary,
    build_entry_summary,
    chapter99_line,
    summary_line,
    validate_entry_summary,
)

D = Decimal


def _summary(**changes: object) -> EntrySummary:
    line = summary_line(
        "8471.50.0150",
        "Rack-mounted GPU server, 8x accelerators, 2U",
        D("400000"),
        D("0"),
        D("0"),
        [chapter99_line("9903.88.03", "Section 301", D("25"), D("100000"))],
    )
    args: dict[str, object] = {
        "entry_type": "01",
        "importer_number": "12-345678900",
        "port_of_entry": "2704",
        "entry_date": date(2027, 3, 2),
        "import_date": date(2027, 3, 1),
        "country_of_origin": "cn",
        "exporting_country": "TW",
        "lines": [line],
        "mpf": D("651.50"),
        "hmf": D("500.00"),
    }
    args.update(changes)
    return build_entry_summary(**args)  # type: ignore[arg-type]


def test_clean_summary_has_no_problems_and_totals() -> None:
    summary = _summary()
    assert validate_entry_summary(summary) == []
    assert summary.country_of_origin == "CN"
    assert summary.entered_value == D("400000")
    assert summary.chapter99 == D("100000")
    assert summary.total == D("101151.50")
    data = summary.to_dict()
    assert data["total"] == "101151.50"
    assert data["lines"][0]["chapter99"][0]["number"] == "9903.88.03"
    assert data["entry_type_name"] == "consumption (formal)"


def test_missing_digits_vague_description_and_importer_number() -> None:
    line = summary_line("8473.30", "parts", D("1000"), D("0"), D("0"))
    summary = _summary(lines=[line], importer_number=None)
    problems = {p.field: p for p in validate_entry_summary(summary)}
    assert "importer_number" in problems and problems["importer_number"].severity == "error"
    assert "10-digit" in problems["lines[0].hts"].message
    assert "vague" in problems["lines[0].description"].message


def test_server_parts_alone_is_vague_but_named_part_is_not() -> None:
    vague = _summary(lines=[summary_line("8473301180", "server parts", D("1"), D("0"), D("0"))])
    assert any(p.field == "lines[0].description" for p in validate_entry_summary(vague))
    named = _summary(
        lines=[
            summary_line("8473301180", "Server motherboard, dual socket", D("1"), D("0"), D("0"))
        ]
    )
    assert not any(p.field == "lines[0].description" for p in validate_entry_summary(named))


def test_unknown_amounts_make_the_total_unknown() -> None:
    summary = _summary(hmf=None)
    assert summary.total is None
    fields = {p.field for p in validate_entry_summary(summary)}
    assert {"hmf", "total"} <= fields


def test_port_may_be_none_as_a_warning() -> None:
    problems = validate_entry_summary(_summary(port_of_entry=None))
    assert [(p.field, p.severity) for p in problems] == [("port_of_entry", "warning")]


def test_informal_entry_for_foreign_ior_is_flagged() -> None:
    problems = validate_entry_summary(_summary(entry_type="11", foreign_ior=True))
    assert any(p.field == "entry_type" and "foreign" in p.message for p in problems)
    assert validate_entry_summary(_summary(entry_type="11")) == []
    assert any(p.field == "entry_type" for p in validate_entry_summary(_summary(entry_type="02")))


def test_bad_chapter99_number() -> None:
    line = summary_line(
        "8542310000", "GPU die, logic IC", D("10"), D("0"), D("0"),
        [chapter99_line("8471.50", "Section 301", D("50"), D("5"))],
    )  # fmt: skip
    problems = validate_entry_summary(_summary(lines=[line]))
    assert [p.field for p in problems] == ["lines[0].chapter99[0].number"]
