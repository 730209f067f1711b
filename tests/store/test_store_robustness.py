"""The tariff store is all-or-nothing: a refused file leaves every previous line, import record
and SHA-256 as it was; a store busy with another import, or a file that is no store, gives a
clear error; two real processes importing at once both succeed in turn, never a traceback."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rackclear.errors import UserError
from rackclear.importers.common import ImportFileError
from rackclear.store import TariffStore
from rackclear.store.errors import NotAStore, StoreBusy

pytestmark = pytest.mark.shared_data

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HTS = "us-hts/hts_2024_basic_edition.csv"
CBSA = "ca-tariff/ca_customs_tariff_2026_rev3_extract.csv"
HS = "hs2022/harmonized-system.csv"
CLI = [sys.executable, "-c", "from rackclear.cli import main; main()"]
# source, file, a line to look up, the start of a data line to damage, what replaces it
SOURCES = [
    ("us-hts", HTS, ("US", "8471.50.0150"), b'"8471.50.01.50","2"', b'"8471.50.01.50.99","2"'),
    ("ca-tariff", CBSA, ("CA", "8471.50.00"), b"8471.50.00,", b"8471.50.00.11.22,"),
    ("hs", HS, ("HS", "847150"), b"XVI,847150,", b"XVI,84715000,"),
]
Damage = Callable[[bytes, bytes, bytes], bytes]
DAMAGES: dict[str, Damage] = {
    "header only": lambda d, at, new: d[: d.index(b"\n") + 1],
    "truncated file": lambda d, at, new: d[: d.index(at) + len(at)],
    "truncated row": lambda d, at, new: d[: d.index(at)] + at + b"\n" + d[d.index(at) :],
    "bad byte": lambda d, at, new: d.replace(at, at[:-1] + b"\xff" + at[-1:], 1),
    "over-long code": lambda d, at, new: d.replace(at, new, 1),
}


def _snapshot(store: TariffStore, country: str, code: str) -> tuple[Any, ...]:
    return (store.status(), store.lookup(country, code))


@pytest.mark.parametrize(
    ("source", "name", "line", "at", "new"), SOURCES, ids=["us-hts", "ca-tariff", "hs"]
)
@pytest.mark.parametrize("damage", DAMAGES)
def test_a_refused_file_keeps_the_previous_import(
    shared_data: Path,
    tmp_path: Path,
    source: str,
    name: str,
    line: tuple[str, str],
    at: bytes,
    new: bytes,
    damage: str,
) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    count = store.import_file(source, shared_data / name, NOW)
    before = _snapshot(store, *line)
    bad = tmp_path / f"bad-{Path(name).name}"
    bad.write_bytes(DAMAGES[damage]((shared_data / name).read_bytes(), at, new))
    with pytest.raises(ImportFileError, match=r"row \d+") as caught:
        store.import_file(source, bad, NOW)
    assert str(bad) in str(caught.value)
    assert _snapshot(store, *line) == before and before[1] is not None
    assert [(s["file"], s["rows"]) for s in before[0]] == [(str(shared_data / name), count)]
    assert len(before[0][0]["sha256"]) == 64
    store.close()


def test_a_file_that_gives_no_line_never_imports_zero_lines(
    shared_data: Path, tmp_path: Path
) -> None:
    store = TariffStore(tmp_path / "store.sqlite3")
    store.import_file("ca-tariff", shared_data / CBSA, NOW)
    headings = tmp_path / "headings.csv"
    headings.write_bytes(b"\n".join((shared_data / CBSA).read_bytes().split(b"\n")[:2]) + b"\n")
    with pytest.raises(ImportFileError, match="no tariff item or classification number"):
        store.import_file("ca-tariff", headings, NOW)
    assert [s["rows"] for s in store.status()] == [56]
    store.close()


def test_a_text_file_is_not_a_store(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("these are my notes, not a tariff store\n" * 20, encoding="utf-8")
    with pytest.raises(NotAStore, match="is not a tariff store") as caught:
        TariffStore(text)
    assert isinstance(caught.value, UserError) and str(text) in str(caught.value)
    assert text.read_text(encoding="utf-8").startswith("these are my notes")


def test_another_applications_database_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE customers (name TEXT)")
    other.commit()
    other.close()
    with pytest.raises(NotAStore, match="an SQLite database of something else: customers"):
        TariffStore(path)
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("customers",)]


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(NotAStore, match="cannot be opened"):
        TariffStore(tmp_path)


def test_a_store_busy_with_another_writer_gives_a_clear_error(
    shared_data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store.sqlite3"
    store = TariffStore(path, wait=0.2)
    store.import_file("ca-tariff", shared_data / CBSA, NOW)
    before = _snapshot(store, "CA", "8471.50.00")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another import holds the write lock
    with pytest.raises(StoreBusy) as caught:
        store.import_file("hs", shared_data / HS, NOW)
    assert str(caught.value) == (
        f"{path}: another import is writing to this store; waited 0.2 s for it. Try again when it has finished."
    )
    other.execute("ROLLBACK")
    assert _snapshot(store, "CA", "8471.50.00") == before
    assert store.import_file("hs", shared_data / HS, NOW) > 6_800
    store.close()


def _import_in_child(path: str, file: str, wait: float) -> str:
    try:
        TariffStore(Path(path), wait=wait).import_file("ca-tariff", Path(file), NOW)
    except StoreBusy as exc:
        return f"busy: {exc}"
    return "imported"


def test_a_busy_store_in_another_process_gives_the_message(
    shared_data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store.sqlite3"
    TariffStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        found = pool.apply(_import_in_child, (str(path), str(shared_data / CBSA), 0.3))
    other.execute("ROLLBACK")
    assert (
        found
        == f"busy: {path}: another import is writing to this store; waited 0.3 s for it. Try again when it has finished."
    )


def _import_when_told(path: str, file: str, ready: Any, result: Any) -> None:
    store = TariffStore(Path(path))  # the default wait
    ready.set()
    try:
        result.put(store.import_file("ca-tariff", Path(file), NOW))
    except BaseException as exc:
        result.put(f"{type(exc).__name__}: {exc}")


def test_an_import_waits_for_a_long_writer_in_another_process(
    shared_data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store.sqlite3"
    TariffStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    spawn = multiprocessing.get_context("spawn")
    ready, result = spawn.Event(), spawn.Queue()
    child = spawn.Process(
        target=_import_when_told, args=(str(path), str(shared_data / CBSA), ready, result)
    )
    child.start()
    assert ready.wait(timeout=60)
    time.sleep(6)  # longer than sqlite3's own default of 5 s
    other.execute("ROLLBACK")
    assert result.get(timeout=60) == 56
    child.join(timeout=60)


def _cli(store: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.Popen(
        [*CLI, "data", "import", *args, "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finished(run: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = run.communicate(timeout=180)
    return run.returncode, stdout, stderr


def test_processes_importing_at_once_succeed_in_turn(shared_data: Path, tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    jobs = [("us-hts", HTS), ("hs", HS), ("us-hts", HTS), ("ca-tariff", CBSA)]
    runs = [_cli(store, source, str(shared_data / name)) for source, name in jobs]
    done = [_finished(run) for run in runs]
    for code, _, stderr in done:
        assert "Traceback" not in stderr and "database is locked" not in stderr, stderr
        assert code == 0 or "another import is writing to" in stderr, (code, stderr)
    assert all(code == 0 for code, _, _ in done), [e for _, _, e in done]
    opened = TariffStore(store)
    assert sorted(s["source"] for s in opened.status()) == sorted(s for s, _ in jobs)
    assert opened.lookup("US", "8471.50.0150") is not None
    assert opened.lookup("CA", "8471.50.00") is not None
    opened.close()


def test_the_cli_names_a_store_that_is_not_a_database(shared_data: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 40, encoding="utf-8")
    run = _cli(text, "ca-tariff", str(shared_data / CBSA))
    code, _, stderr = _finished(run)
    assert code == 2 and "Traceback" not in stderr
    assert f"{text}: is not a tariff store" in stderr
    assert text.read_text(encoding="utf-8") == "not a database\n" * 40
