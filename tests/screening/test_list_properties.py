"""Property tests over the list importers (issue 12): arbitrary bytes, mutated real sample files
and arbitrary JSON values in a CSL result either load or raise ``ListFormatError`` naming the
file, never another exception; and what loads can be screened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rackclear.screening import ListFormatError, load_lists

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = {
    "sdn.csv": ("ofac-sdn", "sdn_sample.csv"),
    "add.csv": ("ofac-sdn", "add_sample.csv"),
    "alt.csv": ("ofac-sdn", "alt_sample.csv"),
    "csl.csv": ("csl", "csl_sample.csv"),
    "cons.csv": ("csl", "consolidated_sample.csv"),
    "invalid.csv": ("csl", "invalid_csl.csv"),
}
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _load_cleanly(paths: list[Path]) -> None:
    """Load ``paths``: either an index that screens, or a ``ListFormatError`` naming a file."""
    try:
        index = load_lists(paths)
    except ListFormatError as exc:
        assert exc.issues and all(isinstance(issue, str) and issue for issue in exc.issues)
        named = [p for p in paths if exc.path == str(p)]
        assert named or exc.path == ", ".join(map(str, paths)), exc.path
        assert str(exc).startswith(exc.path)
        return
    for name in ("Mahan Air", "Iran Aircraft Industries", "Gazprombank"):
        index.screen(name, country="IR", threshold=0.5, address="Tehran")


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes changed, inserted, deleted or a slice repeated, or truncated."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["set", "insert", "delete", "repeat", "truncate"]))
        junk = draw(st.binary(min_size=1, max_size=8))
        if kind == "set":
            data = data[:at] + junk + data[at + len(junk) :]
        elif kind == "insert":
            data = data[:at] + junk + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 200)) :]
        elif kind == "repeat":
            data = data[:at] + data[at : at + 300] * draw(st.integers(2, 5)) + data[at:]
        else:
            data = data[:at]
    return data


@pytest.mark.parametrize("suffix", [".csv", ".json"])
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_are_loaded_or_refused_by_name(
    tmp_path: Path, suffix: str, data: bytes
) -> None:
    path = tmp_path / f"list{suffix}"
    path.write_bytes(data)
    _load_cleanly([path])


@pytest.mark.parametrize("sample", sorted(SAMPLES))
@SETTINGS
@given(st.data())
def test_mutated_real_files_are_loaded_or_refused_by_name(
    tmp_path: Path, shared_data: Path, sample: str, data: st.DataObject
) -> None:
    original = shared_data.joinpath(*SAMPLES[sample]).read_bytes()
    path = tmp_path / sample
    path.write_bytes(data.draw(mutated(original)))
    sdn = shared_data / "ofac-sdn" / "sdn_sample.csv"
    _load_cleanly([sdn, path] if sample in ("add.csv", "alt.csv") else [path])


@SETTINGS
@given(st.data())
def test_mutated_csl_json_is_loaded_or_refused_by_name(tmp_path: Path, data: st.DataObject) -> None:
    path = tmp_path / "csl.json"
    path.write_bytes(data.draw(mutated((FIXTURES / "csl_api_sample.json").read_bytes())))
    _load_cleanly([path])


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_FIELDS = st.sampled_from(
    [
        "source",
        "name",
        "type",
        "id",
        "entity_number",
        "alt_names",
        "addresses",
        "nationalities",
        "citizenships",
        "programs",
    ]
)


@SETTINGS
@given(changes=st.dictionaries(_FIELDS, _JSON, min_size=1, max_size=3), at=st.integers(0, 2))
def test_any_json_value_in_any_field_is_loaded_or_refused_by_name(
    tmp_path: Path, changes: dict[str, Any], at: int
) -> None:
    document = json.loads((FIXTURES / "csl_api_sample.json").read_text(encoding="utf-8"))
    document["results"][at].update(changes)
    path = tmp_path / "csl.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    _load_cleanly([path])
    if any(not isinstance(v, str) for k, v in changes.items() if k in ("name", "source")):
        with pytest.raises(ListFormatError, match=r"results\[\d\]"):
            load_lists([path])
