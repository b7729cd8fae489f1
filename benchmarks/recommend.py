"""Recommendation benchmark: every model, same protocol, accuracy next to energy.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/recommend.py [--seeds 3] [--quick]

Datasets: the Online Retail sample (../shared/data/retail, imported with the
foundation importer into a temp SQLite database, footprints estimated) and the
demo catalogue. Protocols: global temporal split (last 20 % of events held out)
and leave-last-out. Full ranking over the catalogue, seen items excluded.
Per model: Recall/NDCG@10/20, HR@10, MRR, AUC, coverage, popularity bias,
mean kg CO2e of the top-10, train s, J per training, J per 1k recommendations,
p50/p99 latency of one recommend() call; the NDCG-vs-CO2e curve over alpha.
Writes benchmarks/results/recommend.{json,md} and the curve plots (PNG, SVG).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RETAIL_FILE = Path(os.environ.get("GREENCART_SHARED_DATA", ROOT.parent / "shared" / "data")) / "retail" / "online_retail_sample_40k.xlsx"
RESULTS = ROOT / "benchmarks" / "results"


def build_store(name: str, workdir: Path) -> Any:
    from greencart.footprint import estimate_all
    from greencart.store import open_database

    db = open_database(f"sqlite:///{workdir / (name + '.db')}", migrate=True)
    t0 = time.perf_counter()
    if name == "online-retail-40k":
        from greencart.catalog.importers import import_online_retail

        import_online_retail(db, RETAIL_FILE)
    else:
        from greencart.demo import load_demo

        load_demo(db)
    estimate_all(db)
    print(f"[{name}] store ready in {time.perf_counter() - t0:.1f} s", flush=True)
    return db


def default_alpha_check(curve: list[dict[str, Any]], model: str, protocol: str, alpha: float) -> dict[str, Any]:
    pts = {p["alpha"]: p for p in curve if p["model"] == model and p["protocol"] == protocol}
    base, at = pts.get(1.0), pts.get(round(alpha, 2))
    if not base or not at:
        return {}
    return {
        "model": model, "protocol": protocol, "alpha": alpha,
        "ndcg_at_10_relevance_only": base["ndcg_at_10"], "ndcg_at_10_at_alpha": at["ndcg_at_10"],
        "ndcg_at_10_change_pct": 100 * (at["ndcg_at_10"] / base["ndcg_at_10"] - 1) if base["ndcg_at_10"] else None,
        "co2e_kg_at_10_relevance_only": base["co2e_kg_at_10"], "co2e_kg_at_10_at_alpha": at["co2e_kg_at_10"],
        "co2e_change_pct": 100 * (at["co2e_kg_at_10"] / base["co2e_kg_at_10"] - 1),
    }


def main(argv: list[str] | None = None) -> int:
    from greencart.recommend.factory import DEFAULT_MODEL
    from greencart.recommend.green import GreenMeter
    from greencart.recommend.report import (
        curve_table,
        markdown_table,
        run_evaluation,
    )
    from greencart.recommend.rerank import DEFAULT_ALPHA

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="demo catalogue only, one seed")
    ap.add_argument("--datasets", nargs="*", default=None)
    args = ap.parse_args(argv)
    datasets = args.datasets or (["demo"] if args.quick else ["online-retail-40k", "demo"])
    if "online-retail-40k" in datasets and not RETAIL_FILE.exists():
        print(f"skipping online-retail-40k: {RETAIL_FILE} is absent", file=sys.stderr)
        datasets.remove("online-retail-40k")
    seeds = 1 if args.quick else args.seeds
    meter = GreenMeter()
    rows, curve, splits, checks = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="greencart-bench-rec-") as tmp:
        for name in datasets:
            db = build_store(name, Path(tmp))
            result = run_evaluation(db, seeds=seeds, meter=meter, progress=True)
            for r in result["rows"]:
                r["dataset"] = name
            for p in result["curve"]:
                p["dataset"] = name
            for s in result["splits"]:
                s["dataset"] = name
            rows += result["rows"]
            curve += result["curve"]
            splits += result["splits"]
            for protocol in ("temporal", "leave-last-out"):
                c = default_alpha_check(result["curve"], DEFAULT_MODEL, protocol, DEFAULT_ALPHA)
                if c:
                    checks.append({"dataset": name, **c})
            db.dispose()
    meter.close()
    env = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
           "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"), "seeds": seeds,
           "default_model": DEFAULT_MODEL, "default_alpha": DEFAULT_ALPHA}
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"environment": env, "rows": rows, "curve": curve, "splits": splits, "default_alpha_check": checks}
    cols = [("dataset", "dataset")]
    from greencart.recommend.report import COLUMNS

    table = markdown_table(rows, cols + list(COLUMNS))
    check_table = markdown_table(checks, [(k, k) for k in ("dataset", "model", "protocol", "alpha", "ndcg_at_10_change_pct", "co2e_change_pct")])
    (RESULTS / "recommend.json").write_text(json.dumps(payload, indent=2, default=str))
    (RESULTS / "recommend.md").write_text(
        "# Recommendation benchmark\n\n" + f"Environment: {env}\n\n" + table
        + "\n\n## Default alpha: NDCG@10 and footprint change vs relevance only\n\n" + check_table
        + "\n\n## NDCG@10 vs kg CO2e over alpha\n\n"
        + markdown_table(curve, [("dataset", "dataset")] + [(k, k) for k in ("model", "protocol", "alpha", "ndcg_at_10", "co2e_kg_at_10")]) + "\n"
    )
    from greencart.recommend.curve import plot_curve

    for name in datasets:
        for protocol in ("temporal", "leave-last-out"):
            pts = [p for p in curve if p["dataset"] == name and p["protocol"] == protocol
                   and p["model"] in (DEFAULT_MODEL, "als", "itemknn")]
            if pts:
                plot_curve(pts, RESULTS / "recommend-plots" / f"recommend-{name}-curve-{protocol}",
                           f"{name} ({protocol}): NDCG@10 vs kg CO2e of the top-10 over alpha")
    print(table)
    print("\nDefault alpha check:\n" + check_table)
    print("\nAlpha curve (default model):\n" + curve_table([p for p in curve if p["model"] == DEFAULT_MODEL]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
