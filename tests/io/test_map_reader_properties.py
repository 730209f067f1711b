"""Property tests: whatever the map holds, the reader answers with a deployment or a ``MapError``
whose every problem names a file; never another exception (a traceback at the CLI)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rackclear.io.map_reader import MapError, read_map

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ai-cluster-2027.yaml"
EXAMPLE_DATA = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
FRAGMENTS = [
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "? ",
    "!!float ",
    "!!binary ",
    "!!int ",
    "!!python/object:os.system ",
    "!!bool ",
    "!!timestamp ",
    "!!null ",
    "!!str ",
    "!!pairs ",
    "!!merge ",
    "!!seq ",
    "!!map ",
    "!!binary ",
    "!!int 0x",
    "!!int 0b",
    "!!set ",
    "!!omap ",
    "<<: ",
    "\n",
    "\n  ",
    "0",
    "-1",
    "1e400",
    "9" * 5000,
    ".inf",
    ".nan",
    "2027-02-30",
    "9999-12-31",
    "true",
    "NO",
    "'",
    '"',
    "~",
    "#",
    "|",
    ">",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\t",
    "\x00",
    "\ufeff",
    "é",
    "programme",
    "catalog",
    "shipments",
    "lines_file",
    "lines",
    "sku",
    "quantity",
    "unit_value",
    "ship_date",
    "2027-01-18",
    "1:30",
    "0x1F",
    "0o17",
    "1_000.5",
    "../../etc/passwd",
    "/dev/zero",
    "lines.csv",
]

yamlish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
junk_value: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["2027-02-30", "0001-01-01", "9999-12-31", "8471.50", "", " ", "../x.csv"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_paths(value, (*here, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_paths(value, (*here, i)))
    return out


PATHS = [p for p in _paths(EXAMPLE_DATA) if p]


def _mutated(draw: Callable[[st.SearchStrategy[Any]], Any]) -> Any:
    data = json.loads(json.dumps(EXAMPLE_DATA, default=str))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        target = data
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = draw(junk_value)
        except (KeyError, IndexError, TypeError):
            continue
    return data


@st.composite
def mutated_maps(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[str, bytes]:
    data = _mutated(draw)
    if draw(st.booleans()):
        return ".json", json.dumps(data, default=str).encode()
    return ".yaml", yaml.safe_dump(data, allow_unicode=True).encode()


def _assert_clean(suffix: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"map{suffix}"
        path.write_bytes(content)
        shutil.copy(
            EXAMPLE.with_name("ai-cluster-2027-lines.csv"),
            Path(folder) / "ai-cluster-2027-lines.csv",
        )
        try:
            read_map(path)
        except MapError as exc:
            assert exc.issues, "a MapError lists its problems"
            assert all(issue.file for issue in exc.issues), exc.issues


SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=yamlish, suffix=st.sampled_from([".yaml", ".json"]))
def test_yamlish_junk_is_refused_cleanly(text: str, suffix: str) -> None:
    _assert_clean(suffix, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(
    content=st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_arbitrary_bytes_are_refused_cleanly(content: bytes) -> None:
    _assert_clean(".yaml", content)


@SETTINGS
@given(case=mutated_maps())
def test_mutated_example_maps_are_refused_cleanly(case: tuple[str, bytes]) -> None:
    _assert_clean(*case)


@SETTINGS
@given(prefix=yamlish, valid=mutated_maps())
def test_junk_spliced_into_a_valid_map_is_refused_cleanly(
    prefix: str, valid: tuple[str, bytes]
) -> None:
    suffix, content = valid
    cut = len(content) // 2
    _assert_clean(suffix, content[:cut] + prefix.encode("utf-8", "surrogatepass") + content[cut:])
