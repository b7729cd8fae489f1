"""Batch work on the local backend and on Ray (1 and 2 workers here), same run, same data.

Run:  .venv/bin/python benchmarks/scale.py [--products 1200] [--repeats 2]

Jobs (the demo catalogue): the search index's English embeddings (MiniLM int8,
``embed_texts``) and footprint estimation for every product (``estimate_all``).
Backends: the plain loop (no runner), ``LocalRunner``, and ``RayRunner`` on a local
Ray with 1 and 2 CPUs. Each Ray configuration is warmed first (workers start and
load the model), then timed; the best of ``--repeats`` is kept. Throughput is
items/s; ratios are against the plain loop in the same run. The cluster figure is a
projection (per-worker throughput measured here x workers x the 2-worker efficiency),
not a measurement. Outputs are checked identical to the plain loop.
Writes benchmarks/results/scale.json (one object per row) and scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).parent / "results" / "scale.json"


def embeddings_job(products: list[Any]) -> Callable[[Any], Any]:
    from greencart.catalog.embed import get_embedder
    from greencart.catalog.search.vectors import embed_texts, english_passage

    texts = [english_passage(p) for p in products]
    embedder = get_embedder("minilm-int8")
    return lambda runner: embed_texts(embedder, texts, runner=runner)


def footprint_job(db: Any, ids: list[str]) -> Callable[[Any], Any]:
    from greencart.footprint import estimate_all
    from greencart.store import footprint_repo

    def run(runner: Any) -> Any:
        counts = estimate_all(db, batch_size=100, runner=runner)
        with db.read() as s:
            return counts, footprint_repo.get_footprints(s, ids)

    return run


def best_time(fn: Callable[[Any], Any], runner: Any, repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn(runner)
        times.append(time.perf_counter() - t0)
    return min(times), out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return bool(np.allclose(a, b, rtol=0, atol=1e-5))
    return a == b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=1200)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--ray-cpus", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    from greencart.catalog.demo import load_demo
    from greencart.scale import LocalRunner, RayRunner
    from greencart.store import catalog_repo, open_database

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="greencart-scale-") as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'scale.db'}", migrate=True)
        load_demo(db, n_products=args.products, n_shoppers=200)
        with db.read() as s:
            products = list(catalog_repo.iter_products(s))
        jobs = {"index_embeddings": (embeddings_job(products), len(products)),
                "footprint_estimation": (footprint_job(db, [p.id for p in products]), len(products))}
        baseline: dict[str, tuple[float, Any]] = {}
        for name, (fn, n) in jobs.items():
            fn(None)  # warm: model loaded in this process
            baseline[name] = best_time(fn, None, args.repeats)
            rows.append(row(name, "plain loop", 1, n, baseline[name][0], baseline[name][0], True))
            t, out = best_time(fn, LocalRunner(), args.repeats)
            rows.append(row(name, "local runner", 1, n, t, baseline[name][0], same(out, baseline[name][1])))
        for cpus in args.ray_cpus:
            runner = RayRunner(num_cpus=cpus)
            try:
                for name, (fn, n) in jobs.items():
                    t0 = time.perf_counter()
                    fn(runner)  # warm: workers started, models loaded on each
                    cold = time.perf_counter() - t0
                    t, out = best_time(fn, runner, args.repeats)
                    r = row(name, "ray (local)", cpus, n, t, baseline[name][0], same(out, baseline[name][1]))
                    r["cold_start_s"] = round(cold, 2)
                    r["nodes"] = len(runner.stats.nodes)
                    rows.append(r)
            finally:
                runner.close()
        db.dispose()
    write(add_projection(rows), args)


def row(job: str, backend: str, workers: int, items: int, seconds: float, base_s: float, identical: bool) -> dict:
    return {"job": job, "backend": backend, "workers": workers, "items": items, "duration_s": round(seconds, 3),
            "items_per_s": round(items / seconds, 1), "speedup_vs_plain_loop": round(base_s / seconds, 2),
            "identical_to_plain_loop": identical}


def add_projection(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for job in {r["job"] for r in rows}:
        ray = {r["workers"]: r for r in rows if r["job"] == job and r["backend"] == "ray (local)"}
        if 1 in ray and 2 in ray:
            eff = ray[2]["items_per_s"] / (2 * ray[1]["items_per_s"])
            ray[2]["scaling_efficiency_2_vs_1"] = round(eff, 2)
            for n in (8, 32):
                rows.append({"job": job, "backend": "ray cluster (PROJECTION, not measured)", "workers": n,
                             "items_per_s": round(ray[1]["items_per_s"] * n * min(eff, 1.0), 1),
                             "basis": f"1-worker throughput here x {n} x 2-worker efficiency {eff:.2f}"})
    return rows


def write(rows: list[dict[str, Any]], args: Any) -> None:
    note = (f"Host: {os.cpu_count()} CPUs shared with other jobs; demo catalogue, {args.products} products; "
            f"best of {args.repeats} warm runs; ratios against the plain loop in the same run.")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps([{**r, "note": note} for r in rows], indent=2) + "\n", encoding="utf-8")
    lines = [f"# Scale: batch jobs on the local backend and on Ray\n\n{note}\n",
             "| job | backend | workers | items/s | speedup vs plain loop | identical | cold start s |",
             "|---|---|---:|---:|---:|---|---:|"]
    for r in rows:
        lines.append(f"| {r['job']} | {r['backend']} | {r['workers']} | {r['items_per_s']} | "
                     f"{r.get('speedup_vs_plain_loop', '')} | {r.get('identical_to_plain_loop', '')} | "
                     f"{r.get('cold_start_s', '')} |")
    RESULTS.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
