"""Compression benchmark: every method on the search embedder and the recommender, in one run.

    .venv/bin/python benchmarks/compress.py [--quick] [--only embedder|recommender] [--skip METHOD ...]

Embedder variants are made once (calibration, student corpus and LoRA pairs from the
first data set: the Online Retail sample, the merchant's own data) and evaluated on Online Retail and the
demo catalogue (search nDCG@10 on benchmarks/queries, English queries; p50/p99 ms to embed
one query on one thread; J per 1,000 queries). Recommender variants are made per data set
from ALS and EASE fitted on its temporal training split. Deltas are against the original
measured in the same run. A method that fails is reported and the run exits 1 (it is never
skipped silently); --skip leaves a method out on purpose. Writes
benchmarks/results/compress.{json,md} and compress-plots/compress-pareto-<kind>-<dataset>.{png,svg}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
FP32 = "minilm-fp32"


def embedder_plan(quick: bool) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(method, source, params): originals first, chains after their source."""
    return [
        ("export-onnx", None, {"name": FP32}),
        ("quantise-dynamic", FP32, {"name": "minilm-int8-dynamic"}),
        ("quantise-dynamic", FP32, {"name": "minilm-int8-dynamic-pc", "per_channel": True}),
        ("quantise-static", FP32, {"name": "minilm-int8-static"}),
        ("vendor-int8", FP32, {"name": "minilm-int8-vendor"}),
        ("float16", FP32, {"name": "minilm-fp16"}),
        ("prune-magnitude", FP32, {"name": "minilm-magnitude-30", "sparsity": 0.3}),
        ("quantise-dynamic", "minilm-magnitude-30", {"name": "minilm-magnitude-30-int8"}),
        ("prune-magnitude", FP32, {"name": "minilm-magnitude-50", "sparsity": 0.5}),
        ("prune-heads", FP32, {"name": "minilm-heads-25", "fraction": 0.25}),
        ("quantise-dynamic", "minilm-heads-25", {"name": "minilm-heads-25-int8", "per_channel": True}),
        ("prune-layers", FP32, {"name": "minilm-layers-4", "keep": 4}),
        ("quantise-dynamic", "minilm-layers-4", {"name": "minilm-layers-4-int8", "per_channel": True}),
        ("distil-static", FP32, {"name": "minilm-static-256", "dim": 256}),
        ("distil-static", FP32, {"name": "minilm-static-64", "dim": 64}),
        # 60 steps keeps the run bounded on 2 cores (about 10 min); the J of training is in the row.
        ("lora", FP32, {"name": "minilm-lora", "steps": 20 if quick else 60}),
        ("quantise-dynamic", "minilm-lora", {"name": "minilm-lora-int8", "per_channel": True}),
    ]


def recommender_plan(ds: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("float16", "als", {}), ("int8", "als", {}), ("pq", "als", {"pq_subspaces": 8, "pq_bits": 8}),
        ("pq", "als", {"pq_subspaces": 4, "pq_bits": 8}), ("prune-factors", "als", {"keep_dims": 16}),
        ("prune-factors", "als", {"keep_dims": 32, "name": f"als-{ds}.dims32"}),
        ("int8", f"als-{ds}.dims32", {"name": f"als-{ds}.dims32-int8"}),
        ("distil", "als", {"name": f"als-{ds}.student-kd", "dim": 16}),
        ("distil", "als", {"name": f"als-{ds}.student-no-teacher", "dim": 16, "alpha": 0.0}),
        ("float16", "ease", {}), ("int8", "ease", {}),
        *(("prune-factors", "ease", {"keep_per_column": k, "name": f"ease-{ds}.sparse-{k}"}) for k in (50, 200)),
        ("prune-factors", "ease", {"keep_items_fraction": 0.9, "name": f"ease-{ds}.items90"}),
        ("int8", f"ease-{ds}.items90", {"name": f"ease-{ds}.items90-int8"}),
        ("distil", "ease", {"name": f"ease-{ds}.student-kd", "dim": 16}),
        ("distil", "ease", {"name": f"ease-{ds}.student-no-teacher", "dim": 16, "alpha": 0.0}),
    ]


def _step(errors: list[dict[str, Any]], label: str, fn: Any) -> Any:
    t0 = time.perf_counter()
    print(f"[compress] {label} ...", file=sys.stderr, flush=True)
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - reported loudly, run exits 1
        errors.append({"step": label, "error": f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"})
        print(f"[compress] FAILED {label}: {errors[-1]['error']}\n{traceback.format_exc(limit=3)}", file=sys.stderr)
        return None
    print(f"[compress] {label} done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return result


def _made(var: Path, kind: str, name: str, ds: str) -> bool:
    """With --keep: a variant made and evaluated on ``ds`` by an earlier run is reused."""
    from greencart.compress import registry
    from greencart.errors import NotFound

    try:
        return ds in registry.get_variant(name, kind, var).evaluations
    except NotFound:
        return False


def run_embedder(session: Any, var: Path, datasets: list[str], quick: bool, skip: set[str],
                 errors: list[dict[str, Any]]) -> None:
    from greencart.compress import pipeline, registry

    primary, others = datasets[0], datasets[1:]
    for method, source, params in embedder_plan(quick):
        if method in skip:
            continue
        if _made(var, "embedder", params["name"], primary):
            print(f"[compress] reusing embedder {params['name']} from {var}", file=sys.stderr)
            made = (registry.get_variant(params["name"], "embedder", var).artifact, None)
        else:
            made = _step(errors, f"embedder {params['name']} ({method}) on {primary}",
                         lambda m=method, s=source, p=params: pipeline.run(m, model="embedder", source=s, params=dict(p),
                                                                          dataset=primary, var_dir=var, session=session))
        for ds in others if made else []:
            art = made[0]
            if _made(var, "embedder", art.name, ds):
                continue
            _step(errors, f"embedder {art.name} on {ds}", lambda a=art, d=ds: pipeline.evaluate(
                session, a, d, var, None if a.name == FP32 else
                pipeline.baseline_of(session, registry.get_variant(FP32, "embedder", var).artifact, d, var)))


def run_recommender(session: Any, var: Path, datasets: list[str], skip: set[str], errors: list[dict[str, Any]]) -> None:
    from greencart.compress import pipeline

    for ds in datasets:
        for method, source, params in recommender_plan(ds):
            name = params.get("name") or pipeline.default_name(f"{source}-{ds}", pipeline.get_spec(method, "recommender"),
                                                               params)
            if method not in skip and not _made(var, "recommender", name, ds):
                _step(errors, f"recommender {method}({source}) {params} on {ds}",
                      lambda m=method, s=source, p=params, d=ds: pipeline.run(
                          m, model="recommender", source=s, params=dict(p), dataset=d, var_dir=var, session=session))


def _small(r: dict[str, Any], ratio: float) -> bool:
    loss = r.get("delta_ndcg_at_10_pct")
    return r["compression_ratio"] >= ratio and loss is not None and loss >= -1.0


def _best(rows: list[dict[str, Any]], kind: str, target: str, ok: Any) -> list[dict[str, Any]]:
    out = []
    for ds in sorted({r["dataset"] for r in rows if r["kind"] == kind}):
        hits = [r["variant"] for r in rows
                if r["kind"] == kind and r["dataset"] == ds and r["baseline"] != "(original)" and ok(r)]
        out.append({"kind": kind, "dataset": ds, "target": target, "met": bool(hits), "variants": hits})
    return out


def targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The issue's targets, checked on the rows measured in this run."""
    out = _best(rows, "embedder", ">= 4x smaller, >= 2x faster (p50), <= 1 % relative nDCG@10 loss vs fp32",
                lambda r: _small(r, 4.0) and (r.get("speedup_p50") or 0) >= 2.0)
    for r in rows:
        if r["kind"] == "embedder" and r["method"] == "distil-static" and r["baseline"] != "(original)":
            out.append({"kind": "embedder", "dataset": r["dataset"], "target": "static student >= 20x faster than fp32",
                        "variants": [r["variant"]], "met": (r.get("speedup_p50") or 0) >= 20.0,
                        "speedup_p50": r.get("speedup_p50"), "ndcg_at_10_change_pct": r.get("delta_ndcg_at_10_pct")})
    return out + _best(rows, "recommender", ">= 4x smaller, <= 1 % relative NDCG@10 loss vs the original",
                       lambda r: _small(r, 4.0))


GPU_SECTION = """## GPU energy per 1,000 inferences

Not measured: this run had no GPU (the benchmark host is CPU only). The issue asks for fp32 /
fp16 / int8 at several batch sizes where a GPU is available; the J figures above are CPU,
from greencart's EnergyMonitor (method column: `modelled` where no RAPL counter is readable).
"""


def write(rows: list[dict[str, Any]], checks: list[dict[str, Any]], errors: list[dict[str, Any]],
          env: dict[str, Any]) -> str:
    from greencart.compress.report import markdown, plot_all

    RESULTS.mkdir(parents=True, exist_ok=True)
    plots = plot_all(rows, RESULTS / "compress-plots") if rows else []
    (RESULTS / "compress.json").write_text(json.dumps({"environment": env, "rows": rows, "targets": checks,
                                                       "errors": errors}, indent=2, default=str) + "\n")
    lines = ["# Compression benchmark", "", f"Environment: {env}", "", markdown(rows), "## Targets", ""]
    lines += [f"- {'MET' if t['met'] else 'NOT MET'}: {t['kind']} on {t['dataset']}: {t['target']}"
              + (f" ({', '.join(t['variants'])})" if t["variants"] else "")
              + (f"; speedup {t['speedup_p50']:.1f}x, nDCG@10 change {t['ndcg_at_10_change_pct']:.2f} %"
                 if t.get("speedup_p50") is not None and t.get("ndcg_at_10_change_pct") is not None else "")
              for t in checks]
    if errors:
        lines += ["", "## Failed steps", ""] + [f"- {e['step']}: {e['error']}" for e in errors]
    lines += ["", "Plots (benchmarks/results/compress-plots/): " + ", ".join(p.name for p in plots if p.suffix == ".png"),
              "", GPU_SECTION]
    text = "\n".join(lines)
    (RESULTS / "compress.md").write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one latency pass, short LoRA, demo catalogue only")
    ap.add_argument("--only", choices=("embedder", "recommender"))
    ap.add_argument("--skip", action="append", default=[], help="leave METHOD out (repeat)")
    ap.add_argument("--keep", type=Path, help="state folder to keep the variants in (default: a temp folder); "
                    "variants an earlier run left there, evaluated, are reused")
    args = ap.parse_args(argv)
    from greencart.compress.datasets import Session, retail_sample
    from greencart.compress.registry import list_variants
    from greencart.compress.report import report_rows

    if not retail_sample().is_file():
        print(f"The Online Retail sample is missing: {retail_sample()}", file=sys.stderr)
        return 2
    emb_ds = ["demo"] if args.quick else ["online-retail", "demo"]
    rec_ds = ["demo"] if args.quick else ["online-retail", "demo"]
    errors: list[dict[str, Any]] = []
    session = Session(repeats=1 if args.quick else 3, overwrite=True)
    with tempfile.TemporaryDirectory(prefix="greencart-bench-compress-") as tmp:
        var = args.keep or Path(tmp)
        try:
            if args.only in (None, "embedder"):
                run_embedder(session, var, emb_ds, args.quick, set(args.skip), errors)
            if args.only in (None, "recommender"):
                run_recommender(session, var, rec_ds, set(args.skip), errors)
        finally:
            session.close()
        rows = report_rows(list_variants(None, var))
    env = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
           "quick": args.quick, "only": args.only, "skipped": args.skip, "embedder_datasets": emb_ds,
           "recommender_datasets": rec_ds, "latency": "one query (embedder) / one user (recommender), 1 thread"}
    print(write(rows, targets(rows), errors, env))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
