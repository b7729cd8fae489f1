"""Load test of ``POST /v1/chat`` over 1, 2 and 4 API workers on PostgreSQL (loopback only).

Run:  .venv/bin/python benchmarks/load.py [--workers 1 2 4] [--levels 1 4 16] [--seconds 5]

The demo catalogue is loaded into a private PostgreSQL database (from
``$GREENCART_TEST_POSTGRES_URL`` or ``scripts/ensure_postgres.sh``; dropped at the
end), its search index built once, then ``greencart serve --workers N`` runs for
each N; every level sends distinct messages (a unique budget per request: never a
cache hit) on new sessions for a fixed time. Reported per level: req/s, p50/p99,
errors, and req/s and p99 as ratios against 1 worker in the same run.
Writes benchmarks/results/load.json (one object per row) and load.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from assistant_load import _free_port, _wait_healthy

RESULTS = Path(__file__).parent / "results" / "load.json"
TYPES = ["t-shirt", "mug", "kettle", "lamp", "scarf", "backpack", "water bottle", "jacket", "sneakers", "bowl"]
COLOURS = ["white", "black", "red", "blue", "green", "grey"]


def distinct_messages() -> Any:
    """An endless stream of different requests (the budget changes every time)."""
    for n in itertools.count():
        t, c = TYPES[n % len(TYPES)], COLOURS[(n // len(TYPES)) % len(COLOURS)]
        yield f"{c} {t} under {20 + n % 500}.{n // 500 % 100:02d}"


def postgres_database() -> tuple[str, Any]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = os.environ.get("GREENCART_TEST_POSTGRES_URL") or subprocess.run(
        ["bash", "scripts/ensure_postgres.sh"], capture_output=True, text=True, check=True).stdout.strip()
    base = make_url(url)
    name = f"{base.database}_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def prepare(url: str, var_dir: Path) -> None:
    from greencart.catalog.demo import load_demo
    from greencart.config import Settings
    from greencart.footprint import estimate_all
    from greencart.catalog.service import CatalogService
    from greencart.store import open_database

    db = open_database(url, migrate=True)
    load_demo(db)
    estimate_all(db)
    CatalogService(Settings(var_dir=var_dir, database_url=url), db).index()  # built once, shared by workers
    db.dispose()


def level(base: str, clients: int, seconds: float, messages: Any, lock: threading.Lock) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    tiers: dict[str, int] = {}
    stop_at = time.monotonic() + seconds

    def client_loop() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.monotonic() < stop_at:
                with lock:
                    msg = next(messages)
                t0 = time.perf_counter()
                try:
                    r = client.post("/v1/chat", json={"message": msg})
                    err = None if r.status_code == 200 else f"HTTP {r.status_code}: {r.text[:120]}"
                    tier = r.json().get("tier", "?") if err is None else "error"
                except (httpx.HTTPError, ValueError) as exc:
                    err, tier = f"{type(exc).__name__}: {exc}", "error"
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    (errors.append(err) if err else latencies.append(ms))
                    tiers[tier] = tiers.get(tier, 0) + 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": len(latencies) + len(errors), "errors": len(errors),
            "error_examples": sorted(set(errors))[:3], "requests_per_s": round(len(latencies) / wall, 2),
            "latency_ms_p50": round(float(np.percentile(latencies, 50)), 1) if latencies else None,
            "latency_ms_p99": round(float(np.percentile(latencies, 99)), 1) if latencies else None,
            "cache_hit_share": round(tiers.get("cache", 0) / max(1, sum(tiers.values())), 3)}


def run_workers(url: str, var_dir: Path, workers: int, levels: list[int], seconds: float,
                messages: Any) -> list[dict[str, Any]]:
    port = _free_port()
    env = {**os.environ, "GREENCART_VAR_DIR": str(var_dir), "GREENCART_DATABASE_URL": url}
    for k in ("GREENCART_REDIS_URL", "GREENCART_LLM_URL"):
        env.pop(k, None)
    log_path = var_dir / f"serve-{workers}.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "greencart.cli", "serve", "--port", str(port),
                                 "--workers", str(workers)], env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{port}"
        lock = threading.Lock()
        try:
            _wait_healthy(proc, base, 180, log_path)
            level(base, 2 * workers, 6.0, messages, lock)  # warm-up: every worker loads its models
            rows = []
            for n in levels:
                row = {"workers": workers, **level(base, n, seconds, messages, lock)}
                print(json.dumps(row), flush=True)
                rows.append(row)
            return rows
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def with_ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    base = {r["clients"]: r for r in rows if r["workers"] == 1}
    for r in rows:
        b = base.get(r["clients"])
        if b and b["requests_per_s"]:
            r["requests_per_s_vs_1_worker"] = round(r["requests_per_s"] / b["requests_per_s"], 2)
        if b and b["latency_ms_p99"] and r["latency_ms_p99"]:
            r["latency_p99_vs_1_worker"] = round(r["latency_ms_p99"] / b["latency_ms_p99"], 2)
    return rows


def write(rows: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps([{**meta, **r} for r in rows], indent=2) + "\n", encoding="utf-8")
    lines = [f"# Load: POST /v1/chat over API workers on PostgreSQL\n\n{meta['note']}\n",
             "| workers | clients | requests | errors | req/s | p50 ms | p99 ms "
             "| req/s vs 1 worker | p99 vs 1 worker |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['workers']} | {r['clients']} | {r['requests']} | {r['errors']} | {r['requests_per_s']} | "
                     f"{r['latency_ms_p50']} | {r['latency_ms_p99']} | {r.get('requests_per_s_vs_1_worker', '')} | "
                     f"{r.get('latency_p99_vs_1_worker', '')} |")
    RESULTS.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--levels", type=int, nargs="+", default=[1, 4, 16])
    ap.add_argument("--seconds", type=float, default=5.0, help="per level")
    args = ap.parse_args()
    url, drop = postgres_database()
    try:
        with tempfile.TemporaryDirectory(prefix="greencart-load-") as tmp:
            var_dir = Path(tmp)
            t0 = time.perf_counter()
            prepare(url, var_dir)
            print(f"demo catalogue on PostgreSQL + index in {time.perf_counter() - t0:.0f} s", flush=True)
            messages = distinct_messages()
            rows = [r for w in args.workers for r in run_workers(url, var_dir, w, args.levels, args.seconds, messages)]
    finally:
        drop()
    meta = {"host_cpus": os.cpu_count(), "seconds_per_level": args.seconds,
            "note": (f"Host: {os.cpu_count()} CPUs (shared with other jobs); demo catalogue (1,200 products); "
                     f"every request a distinct message on a new session (no cache hits); "
                     f"{args.seconds:.0f} s per level; ratios against 1 worker in the same run.")}
    write(with_ratios(rows), meta)


if __name__ == "__main__":
    main()
