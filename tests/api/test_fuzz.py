"""The API under schemathesis, as a hostile client would try it: every operation, every
check (server errors, status codes and bodies against the OpenAPI, schema-valid data
accepted, schema-invalid data refused, unsupported methods, stateful links), on SQLite
and on PostgreSQL, against a real `greencart serve` over a small real catalogue.

Deterministic: a fixed seed, no example database, a bounded number of cases per
operation (FUZZ_MAX_EXAMPLES), one worker. Zero failures expected. The run's JSON
report (operations, cases, failures) is printed, and kept under the test's tmp dir.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from served_catalogue import build_catalogue, served

FUZZ_SEED = 17
FUZZ_MAX_EXAMPLES = 10  # per operation and phase; `docs/api.md` gives the command for a longer run
FUZZ_TIMEOUT_S = 240


def schemathesis_run(base: str, report_dir: Path) -> tuple[subprocess.CompletedProcess, dict]:
    cli = Path(sys.executable).with_name("schemathesis")
    cmd = [str(cli) if cli.exists() else "schemathesis", "--no-color", "run", f"{base}/openapi.json",
           "--checks", "all", "--max-examples", str(FUZZ_MAX_EXAMPLES), "--seed", str(FUZZ_SEED),
           "--workers", "1", "--generation-database", "none", "--request-timeout", "30",
           "--report", "json", "--report-dir", str(report_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=FUZZ_TIMEOUT_S, check=False,
                          cwd=report_dir.parent)  # its caches (.schemathesis, .hypothesis) stay in tmp
    reports = sorted(report_dir.glob("*.json"))
    assert reports, f"schemathesis wrote no report (exit {proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"
    return proc, json.loads(reports[-1].read_text())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'greencart.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.mark.slow
def test_schemathesis_finds_no_failure_on_any_operation(database_url, tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    counts = build_catalogue(database_url, var)
    assert counts["products"] > 20 and counts["interactions"] > 50
    started = time.monotonic()
    with served(var, database_url) as base:
        proc, report = schemathesis_run(base, tmp_path / "report")
    figures = {"operations": report["operations"]["tested"], "cases": report["test_cases"]["generated"],
               "failures": report["test_cases"]["unique_failures"], "seconds": round(time.monotonic() - started, 1)}
    print(f"schemathesis on {database_url.split(':')[0]}: {figures}")
    assert proc.returncode == 0 and figures["failures"] == 0, proc.stdout[-12000:]
    assert report["operations"]["tested"] == report["operations"]["total"] >= 12
    assert report["operations"]["errored"] == 0 and not report["errors"]
    assert all(p["status"] in ("success", "skip") for p in report["phases"].values()), report["phases"]
    assert report["phases"]["stateful"]["status"] == "success"  # links were followed (chat -> session, ...)
    assert figures["cases"] >= 12 * FUZZ_MAX_EXAMPLES
