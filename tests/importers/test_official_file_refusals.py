"""The us-hts, ca-tariff and hs readers refuse a file whole, naming the file and the row: no data
rows, a truncated file or row, a byte that is not UTF-8, a code longer than its format allows.
Each bad file is the real official file (../shared/data) damaged in one place, in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rackclear.importers.cbsa_tariff import read_cbsa
from rackclear.importers.common import ImportFileError, RefusedFile
from rackclear.importers.hs_nomenclature import read_hs
from rackclear.importers.usitc_hts import read_hts

pytestmark = pytest.mark.shared_data

HTS = "us-hts/hts_2024_basic_edition.csv"
CBSA = "ca-tariff/ca_customs_tariff_2026_rev3_extract.csv"
HS = "hs2022/harmonized-system.csv"
Reader = Callable[[Path], Iterator[Any]]
READERS: list[tuple[str, Reader]] = [(HTS, read_hts), (CBSA, read_cbsa), (HS, read_hs)]


def _damaged(
    shared_data: Path, tmp_path: Path, name: str, change: Callable[[bytes], bytes]
) -> Path:
    bad = tmp_path / f"bad-{Path(name).name}"
    bad.write_bytes(change((shared_data / name).read_bytes()))
    return bad


def _replace_line(data: bytes, start: bytes, new: bytes) -> bytes:
    """``data`` with the line that begins ``start`` replaced by ``new``."""
    at = data.index(b"\n" + start) + 1
    end = data.index(b"\n", at)
    return data[:at] + new + data[end:]


def _refusal(reader: Reader, file: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        list(reader(file))
    assert str(file) in str(caught.value)
    assert "Traceback" not in str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize(("name", "reader"), READERS, ids=["us-hts", "ca-tariff", "hs"])
def test_a_header_only_file_is_refused(
    shared_data: Path, tmp_path: Path, name: str, reader: Reader
) -> None:
    bad = _damaged(shared_data, tmp_path, name, lambda d: d[: d.index(b"\n") + 1])
    assert "no data rows after the header (row 1)" in _refusal(reader, bad)


@pytest.mark.parametrize(("name", "reader"), READERS, ids=["us-hts", "ca-tariff", "hs"])
def test_an_empty_file_is_refused(
    shared_data: Path, tmp_path: Path, name: str, reader: Reader
) -> None:
    bad = _damaged(shared_data, tmp_path, name, lambda d: b"")
    assert "the file is empty" in _refusal(reader, bad)


def test_a_truncated_cbsa_row_is_refused_not_stored_without_its_last_rates(
    shared_data: Path, tmp_path: Path
) -> None:
    def cut(data: bytes) -> bytes:  # row 3 (8471.30.00) loses its last three fields
        row = data.split(b"\n")[2]
        return data.replace(row, row.rsplit(b",", 3)[0])

    message = _refusal(read_cbsa, _damaged(shared_data, tmp_path, CBSA, cut))
    assert "row 3: 33 field(s), but the header has 36 (a truncated row)" in message
    assert "nothing was imported" in message


def test_a_file_cut_in_the_middle_of_a_row_is_refused(shared_data: Path, tmp_path: Path) -> None:
    def cut(data: bytes) -> bytes:
        return data[: data.index(b"8471.50.00,") + 30]

    message = _refusal(read_cbsa, _damaged(shared_data, tmp_path, CBSA, cut))
    assert "row 12: 3 field(s), but the header has 36 (a truncated row)" in message


def test_a_file_cut_inside_a_quoted_field_is_refused(shared_data: Path, tmp_path: Path) -> None:
    def cut(data: bytes) -> bytes:
        return data[: data.index(b'"8471.50.01.50","2","Oth') + 22]

    message = _refusal(read_hts, _damaged(shared_data, tmp_path, HTS, cut))
    assert "row 26375" in message and "unexpected end of data" in message


def test_a_row_with_more_fields_than_the_header_is_refused(
    shared_data: Path, tmp_path: Path
) -> None:
    def extra(data: bytes) -> bytes:
        return _replace_line(data, b"XVI,847150,", b"XVI,847150,Processing units,8471,6,extra")

    message = _refusal(read_hs, _damaged(shared_data, tmp_path, HS, extra))
    assert "6 field(s), but the header has 5" in message


@pytest.mark.parametrize(("name", "reader"), READERS, ids=["us-hts", "ca-tariff", "hs"])
def test_a_byte_that_is_not_utf8_is_refused_by_row(
    shared_data: Path, tmp_path: Path, name: str, reader: Reader
) -> None:
    def latin1(data: bytes) -> bytes:  # the first "Free" or "Horses" of row 4 gets a 0xe9 byte
        lines = data.split(b"\n")
        lines[3] = lines[3].replace(b"e", b"\xe9", 1)
        return b"\n".join(lines)

    message = _refusal(reader, _damaged(shared_data, tmp_path, name, latin1))
    assert "row 4" in message and "byte 0xe9 is not UTF-8" in message


def test_a_bom_is_allowed(shared_data: Path, tmp_path: Path) -> None:
    bom = _damaged(shared_data, tmp_path, CBSA, lambda d: b"\xef\xbb\xbf" + d)
    assert len(list(read_cbsa(bom))) == 56


def test_every_problem_is_listed_once(shared_data: Path, tmp_path: Path) -> None:
    def two(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[3], lines[5] = lines[3].replace(b"e", b"\xe9", 1), b"8471.41.00,09/01/26 00:00:00"
        return b"\n".join(lines)

    with pytest.raises(RefusedFile) as caught:
        list(read_cbsa(_damaged(shared_data, tmp_path, CBSA, two)))
    assert [p.split(":")[0] for p in caught.value.problems] == ["row 4, column 'DESC1'", "row 6"]


def test_an_over_long_hts_number_is_refused(shared_data: Path, tmp_path: Path) -> None:
    def long(data: bytes) -> bytes:
        return data.replace(b'"8471.50.01.50","2"', b'"8471.50.01.50.99","2"', 1)

    message = _refusal(read_hts, _damaged(shared_data, tmp_path, HTS, long))
    assert "row 26375, column 'HTS Number': '8471.50.01.50.99' is not" in message


def test_an_over_long_cbsa_tariff_code_is_refused(shared_data: Path, tmp_path: Path) -> None:
    def long(data: bytes) -> bytes:
        return data.replace(b"\n8471.50.00.90,", b"\n8471.50.00.90.1,", 1)

    message = _refusal(read_cbsa, _damaged(shared_data, tmp_path, CBSA, long))
    assert "row 14, column 'TARIFF': '8471.50.00.90.1' is not" in message


def test_an_hs_code_longer_than_its_level_is_refused(shared_data: Path, tmp_path: Path) -> None:
    def long(data: bytes) -> bytes:
        return data.replace(b"I,010121,", b"I,0101210,", 1)

    message = _refusal(read_hs, _damaged(shared_data, tmp_path, HS, long))
    assert "row 4, column 'hscode': '0101210' has 7 digits, but its level is 6" in message


def test_an_hts_indent_that_is_not_a_number_is_refused_by_row(
    shared_data: Path, tmp_path: Path
) -> None:
    def indent(data: bytes) -> bytes:
        return data.replace(b'"0101.21.00","2"', b'"0101.21.00","two"', 1)

    message = _refusal(read_hts, _damaged(shared_data, tmp_path, HTS, indent))
    assert "row 4, column 'Indent': 'two' is not a number" in message


def test_a_file_with_rows_but_no_tariff_line_is_refused(shared_data: Path, tmp_path: Path) -> None:
    def headings(data: bytes) -> bytes:
        return b"\n".join(data.split(b"\n")[:2]) + b"\n"  # the header and heading 84.71

    message = _refusal(read_cbsa, _damaged(shared_data, tmp_path, CBSA, headings))
    assert "no tariff item or classification number in the 1 data row(s)" in message
