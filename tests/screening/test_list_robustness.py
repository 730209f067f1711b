"""Screening lists read strictly (issue 12): decoded as UTF-8 or the encoding named, never
guessed; text where a name belongs; every field, file and JSON nesting within a limit named in
the message; a listed word of 30,000 letters screened in bounded memory. Files are the real
samples in ../shared/data, changed in tmp_path."""

from __future__ import annotations

import json
import os
import re
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from rackclear.screening import ListFormatError, UnscreenableNameError, load_lists
from rackclear.screening.limits import ListLimits
from rackclear.screening.parties import screen_parties

FIXTURES = Path(__file__).parent / "fixtures"
SDN_EMPTY = ",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
MB = 1_000_000


def _sdn_row(number: int, name: str, remarks: str = "-0- ") -> str:
    return f'{number},"{name}",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"{remarks}"\n'


def _refused(path: Path, **options: Any) -> ListFormatError:
    with pytest.raises(ListFormatError) as caught:
        load_lists([path], **options)
    assert caught.value.path == str(path) and str(caught.value).startswith(str(path))
    return caught.value


# -- encoding ----------------------------------------------------------------------------------


def test_one_stray_byte_in_a_utf8_list_is_refused_with_its_row(
    tmp_path: Path, shared_data: Path
) -> None:
    """Before: the whole file was decoded as cp1252, and every UTF-8 name became mojibake."""
    lines = (shared_data / "csl" / "csl_sample.csv").read_bytes().split(b"\n")
    assert b"\xc2\xa7" in lines[6]  # the sample holds UTF-8 text (a § in row 7)
    lines[6] = lines[6].replace(b",", b",\xe9", 1)
    path = tmp_path / "csl_stray.csv"
    path.write_bytes(b"\n".join(lines))
    error = _refused(path)
    assert error.issues == [
        "row 7: byte 0xe9 is not UTF-8; save the file as UTF-8, or name its encoding "
        "(--encoding cp1252 … with screen, --list-encoding with plan)"
    ]


def test_every_bad_byte_is_named(tmp_path: Path, shared_data: Path) -> None:
    text = (shared_data / "ofac-sdn" / "sdn_sample.csv").read_bytes()
    path = tmp_path / "sdn.csv"
    path.write_bytes(text.replace(b"AVIONICS", b"AVI\xd3NICS").replace(b"IRAN", b"\xcdRAN"))
    issues = _refused(path).issues
    assert issues[0].startswith("row 2: byte 0xcd is not UTF-8")
    assert any(issue.startswith("row 5: byte 0xd3 is not UTF-8") for issue in issues)
    assert all(re.match(r"row \d+: byte 0x(cd|d3) is not UTF-8", issue) for issue in issues)


def test_an_explicit_encoding_is_used_for_a_cp1252_file(tmp_path: Path, shared_data: Path) -> None:
    text = (shared_data / "ofac-sdn" / "sdn_sample.csv").read_text(encoding="utf-8")
    path = tmp_path / "sdn.csv"
    name = "AIRCRAFT, AVIÓNICS, PARTS & SUPPORT LTD."
    path.write_bytes(text.replace("AVIONICS", "AVIÓNICS").encode("cp1252"))
    assert _refused(path).issues[0].startswith("row 5: byte 0xd3 is not UTF-8")
    index = load_lists([path], encoding="cp1252")
    assert any(entry.name == name for entry in index.entries)


def test_a_utf8_byte_order_mark_is_allowed(tmp_path: Path, shared_data: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (shared_data / "ofac-sdn" / "sdn_sample.csv").read_bytes())
    assert len(load_lists([path]).entries) == 17


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_is_refused_unless_named(tmp_path: Path, shared_data: Path, codec: str) -> None:
    text = (shared_data / "csl" / "csl_sample.csv").read_text(encoding="utf-8")
    path = tmp_path / "csl.csv"
    path.write_bytes(text.encode(codec))
    (issue,) = _refused(path).issues
    assert issue.startswith(f"the file is {codec[:6].upper()}, not UTF-8")
    assert "--encoding" in issue
    assert len(load_lists([path], encoding=codec).entries) == 115


@pytest.mark.parametrize(
    ("encoding", "message"),
    [("klingon", "not an encoding Python knows"), ("base64", "not a text encoding")],
)
def test_an_unknown_encoding_is_refused(shared_data: Path, encoding: str, message: str) -> None:
    assert message in str(_refused(shared_data / "csl" / "csl_sample.csv", encoding=encoding))


def test_a_nul_character_is_refused(tmp_path: Path, shared_data: Path) -> None:
    text = (shared_data / "ofac-sdn" / "sdn_sample.csv").read_bytes()
    path = tmp_path / "sdn.csv"
    path.write_bytes(text + b"\n" * 5000 + _sdn_row(1, "A\x00B").encode())
    assert "a NUL character" in _refused(path).issues[0]


# -- types in CSL JSON -------------------------------------------------------------------------


def _json_list(tmp_path: Path, change: dict[str, Any], at: int = 1) -> Path:
    document = json.loads((FIXTURES / "csl_api_sample.json").read_text(encoding="utf-8"))
    document["results"][at].update(change)
    path = tmp_path / "csl.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "issue"),
    [
        ({"name": ["ACME", "B"]}, "name is an array (2 items), expected text"),
        ({"name": 12.5}, "name is a number (12.5), expected text"),
        ({"name": None}, "name is null, expected text"),
        ({"name": {"a": 1}}, "name is an object, expected text"),
        ({"name": "  "}, "name is empty"),
        ({"source": True}, "source is true, expected text"),
        ({"alt_names": ["OK", ["X"]]}, "alt_names[1] is an array (1 items), expected text"),
        ({"alt_names": {"x": 1}}, "alt_names is an object, expected an array of text"),
        ({"addresses": [{"country": 7}]}, "addresses[0].country is a number (7), expected text"),
        ({"addresses": [["Moscow"]]}, "addresses[0] is an array (1 items), expected an object"),
        ({"addresses": "Moscow"}, "addresses is text, expected an array of objects"),
        ({"nationalities": [None]}, "nationalities[0] is null, expected text"),
        ({"programs": 5}, "programs is a number (5), expected an array of text"),
        ({"type": ["Entity"]}, "type is an array (1 items), expected text"),
        ({"entity_number": 1.5}, "entity_number is a number (1.5), expected text or a whole"),
        ({"name": "N" * 4097}, "name has 4,097 characters, over the limit of 4,096"),
    ],
)
def test_csl_json_field_of_the_wrong_type_is_named(
    tmp_path: Path, change: dict[str, Any], issue: str
) -> None:
    """Before: ``str()`` of any value was taken, so a name could be "['ACME', 'B']"."""
    (found,) = _refused(_json_list(tmp_path, change)).issues
    assert found.startswith(f"results[1] (id '20298'): {issue}")


def test_every_bad_result_is_named(tmp_path: Path) -> None:
    path = _json_list(tmp_path, {"name": 1, "alt_names": [2]}, at=0)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["results"].append(["not", "an", "object"])
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _refused(path).issues == [
        "results[0] (id '66f6ab3f26234b75a9093fce79ef0ce0'): name is a number (1), expected text",
        "results[0] (id '66f6ab3f26234b75a9093fce79ef0ce0'): alt_names[0] is a number (2), "
        "expected text",
        "results[3]: an array (3 items), expected an object with source and name",
    ]


def test_whole_numbers_are_still_ids(tmp_path: Path) -> None:
    index = load_lists([_json_list(tmp_path, {"id": None, "entity_number": 20298})])
    assert any(e.entry_id.endswith(":20298") for e in index.entries)


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper than the limit of 32 levels"),
        ('{"results": [{"ids": ' + "[" * 40 + "]" * 40 + "}]}", "nested deeper than the limit"),
        ('{"results": [{"source": "S", "name": NaN}]}', "NaN is not a JSON value"),
        ('{"results": [{"source": "S", "name": ' + "9" * 5000 + "}]}", "name is a number"),
    ],
)
def test_hostile_json_is_refused_by_name(tmp_path: Path, text: str, issue: str) -> None:
    """Before: a RecursionError (deep), a ValueError (a 5,000-digit number) or "nan" as a name."""
    path = tmp_path / "csl.json"
    path.write_text(text, encoding="utf-8")
    assert issue in str(_refused(path))


# -- size limits -------------------------------------------------------------------------------


def test_a_csl_name_over_the_limit_is_refused(tmp_path: Path, shared_data: Path) -> None:
    text = (shared_data / "csl" / "csl_sample.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[3] = lines[3].replace("18th Central Scientific", "A" * 5000, 1)
    assert "A" * 5000 in lines[3]
    path = tmp_path / "csl.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    (issue,) = _refused(path).issues
    assert issue.startswith("row 4: name has 5,0") and issue.endswith("over the limit of 4,096")
    raised = load_lists([path], limits=ListLimits(max_name_chars=8192))
    assert len(raised.entries) == 115


def test_a_field_over_the_limit_is_refused(tmp_path: Path, shared_data: Path) -> None:
    path = tmp_path / "sdn.csv"
    sample = (shared_data / "ofac-sdn" / "sdn_sample.csv").read_text(encoding="utf-8")
    path.write_text(sample + _sdn_row(99, "ACME", "r" * 70_000), encoding="utf-8")
    (issue,) = _refused(path).issues
    assert issue == "row 18: field 12 has 70,000 characters, over the limit of 65,536"


def test_a_field_over_the_csv_limit_is_refused(tmp_path: Path, shared_data: Path) -> None:
    """Before: ``_csv.Error: field larger than field limit (131072)``, a traceback."""
    path = tmp_path / "sdn.csv"
    sample = (shared_data / "ofac-sdn" / "sdn_sample.csv").read_text(encoding="utf-8")
    path.write_text(sample + _sdn_row(99, "ACME", "r" * 200_000), encoding="utf-8")
    (issue,) = _refused(path).issues
    assert issue.startswith("row 18: a field is longer than 131,072 characters")


def test_an_alias_in_the_remarks_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(_sdn_row(99, "ACME", f"a.k.a. '{'B' * 5000}'."), encoding="utf-8")
    assert _refused(path).issues == [
        "row 1: a.k.a. in remarks has 5,000 characters, over the limit of 4,096"
    ]


def test_a_file_over_the_size_limit_is_refused(shared_data: Path) -> None:
    sdn = shared_data / "ofac-sdn" / "sdn_sample.csv"
    (issue,) = _refused(sdn, limits=ListLimits(max_file_bytes=1000)).issues
    assert issue.startswith("the file is larger than the limit of 1,000 bytes")
    assert "--max-list-mb" in issue


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_name_chars"):
        ListLimits(max_name_chars=0)


def test_a_folder_or_a_pipe_is_not_a_list(tmp_path: Path) -> None:
    assert _refused(tmp_path).issues == ["not a regular file (a folder)"]
    pipe = tmp_path / "list.csv"
    os.mkfifo(pipe)
    assert _refused(pipe).issues == ["not a regular file (a device, pipe or socket)"]


# -- long words: bounded memory ----------------------------------------------------------------


def test_a_30000_letter_word_is_screened_in_bounded_memory(
    tmp_path: Path, shared_data: Path
) -> None:
    """Before: the word's 30,000 typo variants of 30,000 letters took 3.6 GB (quadratic)."""
    word = "Q" * 30_000
    path = tmp_path / "sdn.csv"
    sample = (shared_data / "ofac-sdn" / "sdn_sample.csv").read_text(encoding="utf-8")
    path.write_text(sample + _sdn_row(99, f"{word} TRADING"), encoding="utf-8")
    assert "over the limit of 4,096" in str(_refused(path))
    tracemalloc.start()
    try:
        index = load_lists([path], limits=ListLimits(max_name_chars=100_000))
        found = index.screen("Q" * 3000 + " Trading").matches
        other = index.screen("Mahan Air", threshold=0.5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * MB
    assert [m.entry_id for m in found] == ["ofac-sdn:99"]
    assert other.lists and all(m.entry_id != "ofac-sdn:99" for m in other.matches)
    (note,) = index.warnings
    assert "entry ofac-sdn:99 (row 18)" in note
    assert note.endswith("a word of 30,000 letters is compared on its first 64")


def test_a_query_longer_than_a_name_is_unscreenable(shared_data: Path) -> None:
    index = load_lists([shared_data / "ofac-sdn" / "sdn_sample.csv"])
    with pytest.raises(UnscreenableNameError, match="more than the 4,096 a name may have"):
        index.screen("Q" * 30_000)
    with pytest.raises(UnscreenableNameError, match="70 words, more than the 64"):
        index.screen(" ".join(["Mahan"] * 70))
    assert index.screen("Mahan Air " + "x" * 100).query.startswith("Mahan")


# -- thresholds in Python ----------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.0, -0.5, 1.01, float("nan"), float("inf")])
def test_a_threshold_outside_0_1_is_a_value_error(shared_data: Path, threshold: float) -> None:
    index = load_lists([shared_data / "ofac-sdn" / "sdn_sample.csv"])
    with pytest.raises(ValueError, match="must be above 0 and at most 1"):
        index.screen("Mahan Air", threshold=threshold)
    with pytest.raises(ValueError, match="must be above 0 and at most 1"):
        screen_parties(index, [("p", "Mahan Air", None)], threshold=threshold)


def test_a_low_threshold_screens(shared_data: Path) -> None:
    """Before: ``TypeError: score_cutoff has to be in the range of 0.0 - 100.0``."""
    index = load_lists([shared_data / "ofac-sdn" / "sdn_2023-01.csv"])
    low = index.screen("Mahan Air", threshold=0.1)
    assert len(low.matches) >= len(index.screen("Mahan Air").matches) >= 1
    assert all(m.score >= 0.1 for m in low.matches)
