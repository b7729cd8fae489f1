"""`greencart scale ...` and `serve --workers` as a user runs them (real processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.assistant.conftest import PRODUCTS

from greencart.store import catalog_repo, open_database

GREENCART = [sys.executable, "-m", "greencart.cli"]


def run(args: list[str], var_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GREENCART_VAR_DIR": str(var_dir)}
    for k in ("GREENCART_DATABASE_URL", "GREENCART_REDIS_URL"):
        env.pop(k, None)
    return subprocess.run([*GREENCART, *args], env=env, capture_output=True, text=True, timeout=300)


def _catalogue(var_dir: Path) -> None:
    db = open_database(f"sqlite:///{var_dir / 'greencart.db'}", migrate=True)
    with db.transaction() as s:
        catalog_repo.upsert_products(s, list(PRODUCTS))
    db.dispose()


def test_scale_footprints_local_and_energy(tmp_path):
    _catalogue(tmp_path)
    proc = run(["scale", "footprints", "--batch-size", "3", "--json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert sum(body["footprints"].values()) == len(PRODUCTS) and body["runner"] == "local"
    assert body["tasks"] == -(-len(PRODUCTS) // 3)
    energy = json.loads(run(["scale", "energy", "--json"], tmp_path).stdout)
    assert energy["workers"] == 0 and energy["total_j"] == 0.0


def test_unknown_runner_is_a_clear_error(tmp_path):
    _catalogue(tmp_path)
    proc = run(["scale", "footprints", "--runner", "spark"], tmp_path)
    assert proc.returncode != 0 and "runner 'local' or 'ray'" in proc.stderr


def test_many_workers_on_sqlite_alone_are_refused(tmp_path):
    _catalogue(tmp_path)
    proc = run(["serve", "--workers", "2", "--port", "1"], tmp_path)
    assert proc.returncode != 0 and "GREENCART_REDIS_URL" in proc.stderr and "own sessions" in proc.stderr
