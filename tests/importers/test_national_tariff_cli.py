"""`rackclear data import tariff` through the real entry point: a refused file exits 2 with every
problem named and no traceback, and the store keeps what it had."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from rackclear.cli import main; main()"]
CBSA = "ca-tariff/ca_customs_tariff_2026_rev3_extract.csv"
MAPPING = Path(__file__).parent / "fixtures" / "cbsa_mfn.yaml"


def _run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400", "RACKCLEAR_STORE": str(store)}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.shared_data
def test_import_status_and_a_refused_reimport(shared_data: Path, tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    done = _run(store, "data", "import", "tariff", "--country", "CA", str(shared_data / CBSA))
    assert done.returncode == 2 and "give either --columns or --mapping" in done.stderr
    done = _run(
        store, "data", "import", "tariff", "--country", "CA", str(shared_data / CBSA),
        "--mapping", str(MAPPING),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Imported 57 rates for CA from {shared_data / CBSA} as tariff" in done.stdout
    assert "skipped 9 lines with no rate printed on them or above them" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("TARIFF,MFN\n8471.50.00,Free\n8471.60.00,abc\n8471.70.00\n", encoding="utf-8")
    done = _run(
        store, "data", "import", "tariff", "--country", "CA", str(bad),
        "--columns", "line=TARIFF,rate=MFN", "--tariff-column", "MFN",
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stdout == ""
    assert "row 3, column 'MFN': 'abc' is not a rate" in done.stderr
    assert "row 4: 1 field(s), but the header has 2 (a truncated row)" in done.stderr
    status = _run(store, "data", "status")
    assert status.returncode == 0 and status.stdout.count("tariff ") == 1
    assert "CA       57 rows" in status.stdout


def test_user_mistakes_exit_2(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    file = tmp_path / "t.csv"
    file.write_text("TARIFF,MFN\n8471.50.00,Free\n", encoding="utf-8")
    cases = [
        (["--country", "ZZ", "--columns", "line=TARIFF,rate=MFN"], "'ZZ' is not an ISO 3166"),
        (["--country", "CA", "--columns", "line=TARIFF"], "--columns: rate=COLUMN is required"),
        (["--country", "CA", "--columns", "line=TARIFF,rate=MFN", "--from", "1.1.2026"], "--from"),
        (["--country", "CA", "--columns", "line=TARIFF,rate=UST"], "column 'UST' (rate=)"),
    ]
    for args, message in cases:
        done = _run(store, "data", "import", "tariff", str(file), *args)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    # a refused import changes nothing: the store (kept, so a concurrent writer is never lost)
    # holds no import at all
    status = _run(store, "data", "status")
    assert status.returncode == 0 and "tariff" not in status.stdout
    done = _run(store, "data", "import", "us-hts", str(file), "--country", "US")
    assert done.returncode == 2 and "are for 'tariff', not 'us-hts'" in done.stderr
