"""Hostile or careless maps: exact amounts, no booleans or numbers taken for quantities or dates,
dates in range, bounded size and nesting, complex keys refused, ``lines_file`` kept in its folder,
strict decoding. Each problem names the file, the place and what was expected."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rackclear.domain.deployment import MAX_TARIFF_DIGITS
from rackclear.io.limits import MIB, ReadLimits
from rackclear.io.map_reader import MapError, MapIssue, read_map

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
BASE = (FIXTURES / "warnings_only.yaml").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "ai-cluster-2027.yaml"
SHEET_MAP = (FIXTURES / "sheet_map.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "map.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    assert old in BASE, old
    return _write(tmp_path, BASE.replace(old, new, 1))


def _issues(path: Path, **options: object) -> list[MapIssue]:
    with pytest.raises(MapError) as caught:
        read_map(path, **options)  # type: ignore[arg-type]
    return caught.value.issues


def _at(path: Path, location: str, **options: object) -> MapIssue:
    found = {i.location: i for i in _issues(path, **options)}
    assert location in found, found
    assert found[location].file == str(path)
    return found[location]


# 1. Exact amounts ------------------------------------------------------------------------------


def test_a_yaml_amount_is_exact(tmp_path: Path) -> None:
    path = _variant(tmp_path, "unit_value: 1000", "unit_value: 99999999999.999999")
    path.write_text(
        path.read_text().replace(
            "{sku: SRV-1, quantity: 4}", "{sku: SRV-1, quantity: 4, unit_value: 0.1}"
        )
    )
    deployment, _ = read_map(path)
    assert deployment.catalog[0].unit_value == Decimal("99999999999.999999")
    assert str(deployment.shipments[0].lines[0].unit_value) == "0.1"


def test_a_json_amount_is_exact(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE.replace("unit_value: 1000", "unit_value: 1"))
    text = json.dumps(data, default=str).replace(
        '"unit_value": 1', '"unit_value": 99999999999.999999'
    )
    deployment, _ = read_map(_write(tmp_path, text, "map.json"))
    assert deployment.catalog[0].unit_value == Decimal("99999999999.999999")


def test_yaml_infinity_is_refused_as_an_amount(tmp_path: Path) -> None:
    issue = _at(_variant(tmp_path, "unit_value: 1000", "unit_value: .inf"), "catalog[0].unit_value")
    assert "finite number" in issue.expected


@pytest.mark.parametrize(
    ("old", "new", "location"),
    [
        ("quantity: 4", "quantity: true", "shipments[0].lines[0].quantity"),
        ("unit_value: 1000", "unit_value: true", "catalog[0].unit_value"),
    ],
)
def test_a_boolean_is_never_a_number(tmp_path: Path, old: str, new: str, location: str) -> None:
    issue = _at(_variant(tmp_path, old, new), location)
    assert issue.value == "true" and "not true or false" in issue.expected


@pytest.mark.parametrize(
    ("old", "new", "location"),
    [
        ("ship_date: 2027-04-01", "ship_date: 0", "shipments[0].ship_date"),
        ("ship_date: 2027-04-01", "ship_date: '0'", "shipments[0].ship_date"),
        ("go_live: 2027-03-15", "go_live: 20270315", "sites[0].go_live"),
        ("ship_date: 2027-04-01", "ship_date: true", "shipments[0].ship_date"),
    ],
)
def test_a_number_or_boolean_is_never_a_date(
    tmp_path: Path, old: str, new: str, location: str
) -> None:
    issue = _at(_variant(tmp_path, old, new), location)
    assert "valid date written YYYY-MM-DD" in issue.expected


@pytest.mark.parametrize("when", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
def test_dates_outside_the_sane_range_are_refused(tmp_path: Path, when: str) -> None:
    issue = _at(
        _variant(tmp_path, "ship_date: 2027-04-01", f"ship_date: {when}"), "shipments[0].ship_date"
    )
    assert issue.expected == "Input should be a date from 1999-01-04 to 2099-12-31"


def test_an_over_long_declared_tariff_code_is_refused(tmp_path: Path) -> None:
    new = 'currency: USD, declared: {hs: {US: "84715001509999999999", default: "8471.50"}}}'
    path = _variant(tmp_path, "currency: USD}", new)
    issue = _at(path, "catalog[0].declared.hs.US")
    assert f"1 to {MAX_TARIFF_DIGITS} digits" in issue.expected and "it has 20" in issue.expected


def test_a_twelve_digit_tariff_code_is_kept(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "currency: USD}", 'currency: USD, declared: {hs: {SA: "8471.50.00.0000"}}}'
    )
    deployment, _ = read_map(path)
    assert deployment.catalog[0].declared.hs == {"SA": "8471.50.00.0000"}


# 2. Limits -------------------------------------------------------------------------------------


def test_an_oversized_map_is_refused_quickly_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * MIB)  # sparse: refused from its size, never read
    started = time.monotonic()
    issues = _issues(path)
    assert time.monotonic() - started < 2
    assert [(i.file, i.location, i.value) for i in issues] == [(str(path), "", "52,428,800 bytes")]
    assert "at most 16,777,216 bytes" in issues[0].expected
    assert "--limit max_map_bytes=N" in issues[0].expected


def test_the_map_size_limit_can_be_raised(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE)
    assert "max_map_bytes" in _issues(path, limits=ReadLimits(max_map_bytes=100))[0].expected
    read_map(path, limits=ReadLimits(max_map_bytes=10_000))


@pytest.mark.parametrize("levels", [101, 5_000, 100_000])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_deep_nesting_is_refused_not_a_recursion_error(
    tmp_path: Path, levels: int, suffix: str
) -> None:
    body = "[" * levels + "]" * levels
    text = f'{{"programme": "x", "schedule": {body}}}'
    path = _write(tmp_path, text, "deep" + suffix)
    (issue,) = _issues(path)
    assert issue.file == str(path) and "nesting of at most 100 levels" in issue.expected
    assert "--limit max_depth=N" in issue.expected


def test_nesting_within_the_limit_is_read(tmp_path: Path) -> None:
    path = _variant(tmp_path, "mode: air", "mode: air\n    related_parties: " + "[" * 90 + "]" * 90)
    assert "related_parties" in _at(path, "shipments[0].related_parties").location


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path = _write(tmp_path, "programme: x\nschedule:\n  " + "\n  ".join(levels) + "\n")
    (issue,) = _issues(path)
    assert "a document of at most 2,000,000 values" in issue.expected
    assert "max_nodes" in issue.expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("programme: x\nschedule: {[a, b]: 1}\n", "sequence"),
        ("programme: x\n? {a: 1}\n: 2\n", "mapping"),
    ],
)
def test_a_complex_yaml_key_is_a_named_problem(tmp_path: Path, text: str, kind: str) -> None:
    (issue,) = _issues(_write(tmp_path, text))
    assert issue.expected.startswith(f"valid YAML: a plain key, not a {kind} used as a key")
    assert "line " in issue.expected


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    (issue,) = _issues(_write(tmp_path, "programme: x\nschedule: &s {again: *s}\n"))
    assert "no alias to a value that contains it" in issue.expected


# 3. Paths --------------------------------------------------------------------------------------


def _sheet_map(folder: Path, lines_file: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return _write(
        folder, SHEET_MAP.replace("lines_file: lines.csv", f"lines_file: {json.dumps(lines_file)}")
    )


GOOD_CSV = "shipment,sku,quantity\nSHP-1,SRV-1,4\n"


@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.csv", "sub/../../outside.csv"])
def test_lines_file_outside_the_map_folder_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "outside.csv").write_text("root:x:0:0:root:/root:/bin/bash\n" + GOOD_CSV)
    path = _sheet_map(tmp_path / "maps", name)
    (issue,) = _issues(path)
    assert (issue.file, issue.location, issue.value) == (str(path), "lines_file", name)
    assert "inside the map's folder" in issue.expected and "--allow-path" in issue.expected
    assert "root:" not in str(issue)


def test_a_symlink_out_of_the_folder_is_refused_without_echoing_its_target(tmp_path: Path) -> None:
    path = _sheet_map(tmp_path, "lines.csv")
    (tmp_path / "lines.csv").symlink_to("/etc/passwd")
    (issue,) = _issues(path)
    assert (issue.location, issue.value) == ("lines_file", "lines.csv")
    assert "root:x:" not in str(issue) and "/bin/" not in str(issue)


def test_an_allowed_folder_may_hold_the_lines_file(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "lines.csv").write_text(GOOD_CSV)
    path = _sheet_map(tmp_path / "maps", "../shared/lines.csv")
    assert _issues(path)[0].location == "lines_file"
    deployment, _ = read_map(path, allow_paths=[shared])
    assert [(ln.sku, ln.quantity) for ln in deployment.shipments[0].lines] == [("SRV-1", 4)]


def test_a_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_text(GOOD_CSV)
    (tmp_path / "lines.csv").symlink_to(tmp_path / "real.csv")
    deployment, _ = read_map(_sheet_map(tmp_path, "lines.csv"))
    assert deployment.shipments[0].lines[0].quantity == 4


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "lines.csv")
    started = time.monotonic()
    (issue,) = _issues(_sheet_map(tmp_path, "lines.csv"))
    assert time.monotonic() - started < 5
    assert issue.file == str(tmp_path / "lines.csv")
    assert issue.expected == "a regular file (not a folder, device, FIFO or socket)"


@pytest.mark.parametrize("kind", ["folder", "device"])
def test_a_folder_or_device_is_refused(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        (tmp_path / "lines.csv").mkdir()
        options: dict[str, object] = {}
    else:
        (tmp_path / "lines.csv").symlink_to("/dev/zero")
        options = {"allow_paths": ["/dev"]}
    (issue,) = _issues(_sheet_map(tmp_path, "lines.csv"), **options)
    assert issue.expected == "a regular file (not a folder, device, FIFO or socket)"


def test_the_map_itself_must_be_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").mkdir()
    (issue,) = _issues(tmp_path / "map.yaml")
    assert issue.expected == "a regular file (not a folder, device, FIFO or socket)"


# 4. Strict decoding ----------------------------------------------------------------------------


def test_a_bad_byte_in_a_csv_names_its_row_and_column(tmp_path: Path) -> None:
    path = _sheet_map(tmp_path, "lines.csv")
    (tmp_path / "lines.csv").write_bytes(
        b"shipment,sku,quantity\nSHP-1,SRV-1,4\nSHP-1,SRV-\xe9,2\n"
    )
    (issue,) = _issues(path)
    assert (issue.file, issue.location, issue.value) == (
        str(tmp_path / "lines.csv"),
        "row 3, column 2",
        "byte 0xe9",
    )
    assert "UTF-8" in issue.expected and "--encoding" in issue.expected


def test_a_csv_in_another_encoding_is_read_when_named(tmp_path: Path) -> None:
    path = _sheet_map(tmp_path, "lines.csv")
    (tmp_path / "lines.csv").write_bytes(
        "shipment,sku,quantity,preference\nSHP-1,SRV-1,4,Québec\n".encode("cp1252")
    )
    deployment, _ = read_map(path, encoding="cp1252")
    assert deployment.shipments[0].lines[0].preference == "Québec"


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = _sheet_map(tmp_path, "lines.csv")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    (tmp_path / "lines.csv").write_bytes(b"\xef\xbb\xbf" + GOOD_CSV.encode())
    assert read_map(path)[0].shipments[0].lines[0].quantity == 4


def test_an_unknown_encoding_is_a_named_problem(tmp_path: Path) -> None:
    (issue,) = _issues(_write(tmp_path, BASE), encoding="no-such-codec")
    assert issue.expected == "a text encoding Python knows" and issue.value == "'no-such-codec'"


# 5. check and plan refuse the same way ---------------------------------------------------------

CLI = [sys.executable, "-c", "from rackclear.cli import main; main()"]
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "400", "TERM": "dumb"}


@pytest.mark.parametrize("command", ["check", "plan"])
def test_check_and_plan_refuse_a_far_date_with_exit_2(tmp_path: Path, command: str) -> None:
    path = _variant(tmp_path, "go_live: 2027-03-15", "go_live: 9999-12-31")
    args = [*CLI, command, str(path)] + (
        ["--out", str(tmp_path / "out"), "--no-schedule"] if command == "plan" else []
    )
    run = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, env=ENV)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert run.returncode == 2
    assert (
        f"{path}: sites[0].go_live: expected Input should be a date from 1999-01-04 to 2099-12-31"
        in run.stderr
    )
    assert not (tmp_path / "out").exists()


def test_the_example_still_reads_with_exact_amounts(tmp_path: Path) -> None:
    example = ROOT / "examples" / "ai-cluster-2027.yaml"
    shutil.copy(example, tmp_path / example.name)
    shutil.copy(
        example.with_name("ai-cluster-2027-lines.csv"), tmp_path / "ai-cluster-2027-lines.csv"
    )
    deployment, warnings = read_map(tmp_path / example.name)
    assert warnings == []
    weights = [item.weight_kg for item in deployment.catalog if item.weight_kg is not None]
    assert Decimal("1.2") in weights and all(isinstance(w, Decimal) for w in weights)


@pytest.mark.parametrize(
    "value", ["!!int ''", "!!bool maybe", "!!timestamp x", "!!int 0x", "!!float ''"]
)
def test_a_value_its_yaml_tag_cannot_hold_is_a_parse_error(tmp_path: Path, value: str) -> None:
    (issue,) = _issues(_write(tmp_path, f"programme: x\nschedule: {value}\n"))
    assert issue.file == str(tmp_path / "map.yaml") and issue.expected.startswith("valid YAML: ")


def test_a_map_with_more_lines_than_a_plan_holds_is_refused_before_the_model() -> None:
    """A 1,000,000-line plan exhausted memory (11.5 GB, then a traceback): until plans stream, a
    map over max_lines is refused at once, naming the limit and how to raise it."""
    small = ReadLimits(max_lines=3)
    with pytest.raises(MapError) as refused:
        read_map(EXAMPLE, limits=small)
    issue = refused.value.issues[0]
    assert issue.location == "shipments" and "at most 3 lines per map" in issue.expected
    assert "--limit max_lines=N" in issue.expected
    read_map(EXAMPLE, limits=ReadLimits().overridden(["max_lines=1000"]))  # raised: it reads
