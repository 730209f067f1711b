"""``plan --out``: the dossier is written atomically and exclusively. A second writer is refused,
an input file is never overwritten, and a failed write (full disk, out of memory, a rendering
error) keeps the previous dossier whole, says what failed and shows no traceback."""

from __future__ import annotations

import fcntl
import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.cli_run import AS_OF, ENV, EXAMPLE, ROOT, command, json_map, refused, run, snapshot

PLAN = ("plan", EXAMPLE, "--as-of", AS_OF, "--no-schedule")


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The dossier of one good run: what a folder holds before each test's run."""
    folder = tmp_path_factory.mktemp("previous")
    done = run(*PLAN, "--out", folder)
    assert done.returncode == 0, done.stderr
    return snapshot(folder)


def _folder_with(previous: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, data in previous.items():
        (folder / name).write_bytes(data)
    return folder


def test_the_dossier_files_are_whole_and_no_temporary_file_is_left(
    previous: dict[str, bytes],
) -> None:
    data = json.loads(previous["dossier.json"])
    assert data["as_of"] == AS_OF and previous["dossier.html"].startswith(b"<!")
    assert sorted(previous) == [".rackclear.lock", "dossier.html", "dossier.json"]


def test_a_second_writer_is_refused_while_the_folder_is_locked(
    previous: dict[str, bytes], tmp_path: Path
) -> None:
    folder = _folder_with(previous, tmp_path / "out")
    with (folder / ".rackclear.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = refused(*PLAN, "--out", folder, naming="another rackclear run is writing")
    assert str(folder) in done.stderr and "--out" in done.stderr
    assert snapshot(folder) == previous


def test_two_plans_at_once_leave_one_whole_dossier(
    previous: dict[str, bytes], tmp_path: Path
) -> None:
    """Started together, each run either writes the whole pair or is refused at once."""
    folder = tmp_path / "out"
    runs = [
        subprocess.Popen(
            [*command(), *map(str, PLAN), "--out", str(folder)],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
    assert all(code in (0, 2) for code, _, _ in results), results
    assert any(code == 0 for code, _, _ in results), results
    for code, stdout, stderr in results:
        assert "Traceback" not in stdout + stderr
        assert code == 0 or "another rackclear run is writing" in stderr
    written = snapshot(folder)
    assert sorted(written) == sorted(previous)
    assert b"\0" not in written["dossier.json"] + written["dossier.html"]
    data = json.loads(written["dossier.json"])  # whole: never one run's head and another's tail
    assert data["as_of"] == AS_OF and written["dossier.html"].rstrip().endswith(b"</html>")


def test_a_map_named_dossier_json_inside_out_is_refused_before_planning(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    source = json_map(folder, "dossier.json")
    before = snapshot(folder)
    done = refused("plan", source, "--as-of", AS_OF, "--out", folder, naming="--out")
    assert "would overwrite the input file" in done.stderr and done.stdout == ""
    assert snapshot(folder) == before


def test_a_list_file_inside_out_is_never_overwritten(
    previous: dict[str, bytes], tmp_path: Path
) -> None:
    folder = _folder_with(previous, tmp_path / "out")
    done = refused(*PLAN, "--out", folder, "--list", folder / "dossier.json", naming="--out")
    assert "would overwrite the input file" in done.stderr
    assert snapshot(folder) == previous


INJECTED = {
    "a rendering error": (
        "import rackclear.io.dossier_html as h\n"
        "def boom(d):\n    raise RuntimeError('template broke')\n"
        "h.render_html = boom",
        "dossier.html: could not be written (RuntimeError: template broke)",
    ),
    "out of memory": (
        "import rackclear.io.dossier_html as h\n"
        "def boom(d):\n    raise MemoryError()\n"
        "h.render_html = boom",
        "dossier.html: could not be written (out of memory)",
    ),
    "a full disk": (
        "import errno, os, rackclear.cli as c\n"
        "def boom(d, handle):\n"
        "    handle.write('{\"partial\": ' + '\\0' * 4096)\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "c.stream_json = boom",
        "dossier.json: could not be written (No space left on device)",
    ),
}


@pytest.mark.parametrize("failure", sorted(INJECTED))
def test_a_failed_write_keeps_the_previous_dossier(
    previous: dict[str, bytes], tmp_path: Path, failure: str
) -> None:
    folder = _folder_with(previous, tmp_path / "out")
    prelude, message = INJECTED[failure]
    done = run(*PLAN, "--out", folder, prelude=prelude)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert message in done.stderr and "nothing in" in done.stderr
    assert snapshot(folder) == previous  # the old pair, whole; no temporary file left


def test_out_that_is_an_existing_file_is_refused_before_planning(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("keep me\n", encoding="utf-8")
    done = refused(*PLAN, "--out", target, naming=f"--out: {target}")
    assert "is a file, not a folder" in done.stderr and done.stdout == ""
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_out_in_a_folder_that_cannot_be_written_is_refused_before_planning() -> None:
    target = Path("/proc/rackclear-no-such/out")  # even root cannot create files under /proc
    done = refused(*PLAN, "--out", target, naming=f"--out: {target}: cannot write in")
    assert done.stdout == ""


def _pack_like(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "notes.txt"
    text.write_text("not a pack\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    return {"no such folder": tmp_path / "nowhere", "not a folder": text, "not a pack": empty}


@pytest.mark.parametrize("problem", ["no such folder", "not a folder", "not a pack"])
def test_bad_packs_are_refused_before_planning(tmp_path: Path, problem: str) -> None:
    folder = _pack_like(tmp_path)[problem]
    out = tmp_path / "out"
    done = refused(*PLAN, "--out", out, "--packs", folder, naming=f"--packs: {folder}: {problem}")
    assert done.stdout == "" and not out.exists()


def _store_like(tmp_path: Path) -> dict[str, Path]:
    import sqlite3

    text = tmp_path / "notes.sqlite3"
    text.write_text("these are my notes\n" * 50, encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    return {"no such file": tmp_path / "nowhere.sqlite3", "a folder": tmp_path, "text": text}


@pytest.mark.parametrize("problem", ["no such file", "a folder", "text"])
def test_a_bad_store_is_refused_before_planning(tmp_path: Path, problem: str) -> None:
    store = _store_like(tmp_path)[problem]
    before = store.read_bytes() if store.is_file() else None
    out = tmp_path / "out"
    done = refused(*PLAN, "--out", out, "--store", store, naming=f"--store: {store}")
    assert "tariff store" in done.stderr and done.stdout == "" and not out.exists()
    assert (store.read_bytes() if store.is_file() else None) == before


def test_a_sqlite_file_that_is_not_a_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    before = other.read_bytes()
    refused(*PLAN, "--out", tmp_path / "out", "--store", other, naming="not a tariff store")
    assert other.read_bytes() == before
