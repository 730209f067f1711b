"""The screening importers on the real files in ../shared/data: OFAC's headerless SDN files, both
CSL CSV layouts, the CSL JSON layout, and a malformed file refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from rackclear.screening import ListFormatError, ScreeningIndex, load_lists
from rackclear.screening.entries import SDN_LIST

FIXTURES = Path(__file__).parent / "fixtures"


def _entry(index: ScreeningIndex, entry_id: str):  # type: ignore[no-untyped-def]
    return next(e for e in index.entries if e.entry_id == entry_id)


def test_ofac_2023_file_with_misleading_header(shared_data: Path) -> None:
    sdn = shared_data / "ofac-sdn"
    index = load_lists([sdn / "sdn_2023-01.csv", sdn / "sdn_address_2023-01.csv"])
    assert len(index.entries) == 11_443  # 11,444 lines less the third party's header
    assert all(e.entry_id != "ofac-sdn:ID" for e in index.entries)
    iami = _entry(index, "ofac-sdn:11195")
    assert iami.name == "IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY"
    assert {"HTC", "HAVA PEYMA SAZI-E IRAN", "HEVAPEIMASAZI"} <= set(iami.aliases)
    assert iami.countries == {"IR"} and len(iami.addresses) == 5
    assert iami.programs == ["NPWMD", "IFSR"]
    assert iami.listed_in.name == SDN_LIST
    assert (iami.listed_in.version, iami.listed_in.version_from) == ("2023-01", "file name")


def test_ofac_samples_sdn_add_alt(shared_data: Path) -> None:
    sdn = shared_data / "ofac-sdn"
    files = [sdn / "sdn_sample.csv", sdn / "add_sample.csv", sdn / "alt_sample.csv"]
    index = load_lists(files, versions={str(files[0]): "2024-05-01"})
    assert len(index.entries) == 17
    iami = _entry(index, "ofac-sdn:11195")
    assert {"HESA", "IAMI", "SHAHIN CO.", "IRAN AIRCRAFT MANUFACTURING INDUSTRIES"} <= set(
        iami.aliases
    )
    assert "KARKHANEJATE SANAYE HAVAPAYMAIE IRAN" in iami.aliases  # from alt.csv
    assert iami.listed_in.version == "2024-05-01" and iami.listed_in.version_from == "caller"
    person = _entry(index, "ofac-sdn:10278")
    assert person.kind == "individual" and person.name == "Elvis Angus LOGAN MOREY"
    assert "BURTON BURGESS" in person.aliases


def test_csl_csv_without_id(shared_data: Path) -> None:
    index = load_lists([shared_data / "csl" / "csl_sample.csv"])
    assert len(index.entries) == 115
    canada = next(e for e in index.entries if e.name == "2904977 CANADA, INC.")
    assert canada.aliases == ["CARIBE SOL", "HAVANTUR CANADA INC."] and canada.countries == {"CA"}
    assert canada.entry_id == f"csl:{SDN_LIST}:8124"
    assert canada.listed_in.version_from == "file modification date"
    person = next(e for e in index.entries if e.name == "Naser ABDUL JAWAD")
    assert person.kind == "individual"
    assert {item.name for item in index.lists} >= {
        SDN_LIST,
        "Entity List (EL) - Bureau of Industry and Security",
    }


def test_csl_csv_with_id(shared_data: Path) -> None:
    index = load_lists([shared_data / "csl" / "consolidated_sample.csv"])
    assert len(index.entries) == 13
    sinobright = _entry(index, "csl:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b")
    assert sinobright.name == "Sinobright Import and Export Company"  # "; and any successor…" cut
    atlas = next(e for e in index.entries if e.name == "Atlas Sanatgaran")
    assert atlas.countries == {"AM"}


def test_csl_json_with_source_dates() -> None:
    index = load_lists([FIXTURES / "csl_api_sample.json"])
    assert len(index.entries) == 3
    gazprom = _entry(index, "csl:20298")
    assert gazprom.countries == {"RU"} and "GAZPROMBANK ASSET MANAGEMENT ZAO" in gazprom.aliases
    assert gazprom.listed_in.version == "2024-04-30"
    assert gazprom.listed_in.version_from == "file content"
    assert _entry(index, "csl:9673").name == "Mohammed ABU JHEISHEH"
    versions = {item.name: item.version for item in index.lists}
    assert versions["Entity List (EL) - Bureau of Industry and Security"] == "2024-05-02"


def test_malformed_csl_names_file_and_rows(shared_data: Path) -> None:
    good = shared_data / "csl" / "csl_sample.csv"
    bad = shared_data / "csl" / "invalid_csl.csv"
    with pytest.raises(ListFormatError) as caught:
        load_lists([good, bad])  # nothing is returned, so nothing is half loaded
    assert str(bad) in str(caught.value)
    assert caught.value.issues[0] == "row 2: 2 fields, expected 28 (source, entity_number, type, …)"
    assert [issue.split(":")[0] for issue in caught.value.issues] == [
        "row 2",
        "row 4",
        "row 5",
        "row 9",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("1,2,3\n", "not an OFAC sdn.csv"),
        (
            '36,"X",-0- ,C,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \nA,"Y",-0- ,C,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n',
            "row 2: entry number 'A'",
        ),
        ("{", "not JSON"),
    ],
)
def test_bad_files_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / ("list.json" if content == "{" else "list.csv")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message):
        load_lists([path])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no such file"):
        load_lists([tmp_path / "absent.csv"])


@pytest.mark.parametrize(
    "files",
    [["add_sample.csv"], ["alt_sample.csv"], ["add_sample.csv", "alt_sample.csv"]],
)
def test_ofac_add_and_alt_without_sdn_are_refused(shared_data: Path, files: list[str]) -> None:
    with pytest.raises(ListFormatError, match="no entries were loaded") as caught:
        load_lists([shared_data / "ofac-sdn" / f for f in files])
    assert "sdn.csv" in str(caught.value)


def test_a_csl_file_without_rows_is_refused(tmp_path: Path, shared_data: Path) -> None:
    header = (shared_data / "csl" / "csl_sample.csv").read_text(encoding="utf-8").splitlines()[0]
    empty = tmp_path / "csl_header_only.csv"
    empty.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="no entries"):
        load_lists([shared_data / "csl" / "csl_sample.csv", empty])
    json_empty = tmp_path / "csl.json"
    json_empty.write_text('{"results": []}', encoding="utf-8")
    with pytest.raises(ListFormatError, match="no entries"):
        load_lists([json_empty])


def test_orphaned_add_and_alt_rows_are_counted(shared_data: Path) -> None:
    sdn = shared_data / "ofac-sdn"
    index = load_lists([sdn / "sdn_sample.csv", sdn / "add_sample.csv", sdn / "alt_sample.csv"])
    # add_sample.csv numbers 12562, 21765 … and alt_sample.csv 20540 … that sdn_sample lacks
    assert index.orphaned_rows == {str(sdn / "add_sample.csv"): 4, str(sdn / "alt_sample.csv"): 5}
    assert len(index.warnings) == 2
    assert "4 of its 28 add.csv rows" in index.warnings[0]
    full = load_lists([sdn / "sdn_2023-01.csv", sdn / "sdn_address_2023-01.csv"])
    assert full.orphaned_rows == {} and full.warnings == ()
