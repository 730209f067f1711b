"""The loader refuses every defect of a rule pack, naming file, place and problem (negative fixtures
in tests/fixtures/bad_packs, one defect per folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rackclear.rulebook import PackLoadError
from rackclear.rulebook.registry import load_rulebook_from

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad_packs"

CASES = {
    "duplicate_key": ("zz/parameters/vat_rate.yaml", "duplicate key 'value'"),
    "unknown_key": ("zz/parameters/vat_rate.yaml", "Extra inputs are not permitted"),
    "unsorted_dates": (
        "zz/parameters/vat_rate.yaml",
        "from 2020-01-01 is before the previous from 2021-01-01",
    ),
    "overlapping_dates": (
        "zz/parameters/vat_rate.yaml",
        "overlaps the previous value (until 2021-06-30)",
    ),
    "impossible_date": ("zz/parameters/vat_rate.yaml", "day is out of range"),
    "missing_reference": ("zz/parameters/vat_rate.yaml", "values[0].reference: Field required"),
    "missing_source": ("zz/parameters/vat_rate.yaml", "values[0].source: Field required"),
    "null_firm": (
        "zz/parameters/vat_rate.yaml",
        "a null value (no value known) cannot be graded official or derived",
    ),
    "unknown_grade": ("zz/parameters/vat_rate.yaml", "values[0].grade: Input should be 'official'"),
    "from_is_read": (
        "zz/parameters/vat_rate.yaml",
        "from 2026-11-23 is the date it was read: give the date the rule took effect in law",
    ),
    "derived_without_inference": (
        "zz/parameters/vat_rate.yaml",
        "grade derived needs inference: the legal reasoning, written down",
    ),
    "unknown_file": ("zz/rates.txt", "unknown file or folder in a rule pack"),
    "charge_missing_parameter": ("zz", "no parameter 'vat_rate' in this pack or those it extends"),
    "until_before_from": (
        "zz/parameters/vat_rate.yaml",
        "until 2019-12-31 is before from 2020-01-01",
    ),
    "bad_base_component": (
        "zz",
        "base component 'duty' is neither customs_value, duties nor an earlier charge",
    ),
    "two_packs_one_country": ("yy, zz", "BV is claimed by more than one jurisdiction pack"),
    "bad_unit": ("zz/parameters/vat_rate.yaml", "'ten percent' is not a number for unit percent"),
    "bad_national_lines": ("zz/national_lines.csv", "condition 'watts>>5' is not 'key op value'"),
    "bad_requirements": (
        "zz/requirements.yaml",
        "zz-server-mark: from 2022-06-01 overlaps the previous value (until 2022-12-31)",
    ),
}


def _errors(case: str) -> list[str]:
    with pytest.raises(PackLoadError) as caught:
        load_rulebook_from([BAD / case])
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_defect_is_refused_with_file_and_reason(case: str) -> None:
    file, reason = CASES[case]
    errors = _errors(case)
    assert any(e.startswith(file) and reason in e for e in errors), errors


def test_every_fixture_folder_has_a_case() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.is_dir()) == sorted([*CASES, "bad_tariff"])


def test_national_lines_refuse_until_before_from() -> None:
    assert any(
        "row 3" in e and "until 2023-01-01 is before from 2024-01-01" in e
        for e in _errors("bad_national_lines")
    )


def test_tariff_csv_defects_are_all_reported_at_once() -> None:
    errors = _errors("bad_tariff")
    text = "\n".join(errors)
    assert "zz/tariff.csv: row 5: an unknown rate cannot be graded official or derived" in text
    assert "zz/tariff.csv: row 6: from '01/01/2020' is not a date YYYY-MM-DD" in text
    assert "zz/tariff.csv: row 7: rate 'about five' is not Free, unknown or a number" in text
    assert "zz/tariff.csv: row 8: missing reference" in text
    assert (
        "line 8471.50 column MFN: values[2]: from 2019-01-01 is before the previous from 2020-06-01"
        in text
    )
    assert len(errors) == 5


def test_border_files_report_every_defect_at_once() -> None:
    text = "\n".join(_errors("bad_requirements"))
    assert "'toaster' is not a classification family id" in text
    assert "zz/importer.yaml: non_resident[0].allowed" in text
    assert "rules[0].applies_to: Input should be 'all'" in text
    assert "lead_time_days [10, 5]: need 0 <= min <= max" in text
    assert "zz/documents.yaml: documents[0].needed_when" in text
