"""External search evaluation on a real product-search relevance set with human labels.

    python benchmarks/search_external.py --data DIR [--max-queries N] [--max-products N]
    GREENCART_SEARCH_EXTERNAL_DATA=DIR python benchmarks/search_external.py

DIR holds the WANDS data set (Wayfair ANnotation DataSet, MIT licence,
https://github.com/wayfair/WANDS): ``product.csv``, ``query.csv`` and
``label.csv`` (tab-separated, as published; a ``dataset/`` sub-folder is found
too). Labels Exact / Partial / Irrelevant are gains 2 / 1 / 0. The data stays
outside the repository.

Products go through the project's own importer (``greencart import products``:
they are written as generic JSONL and imported into a temporary SQLite
database), are read back, and indexed. Systems, all on the same catalogue and
queries, in the same run:

- ``plain_bm25``: bm25s over the titles, its own English tokeniser (stopwords,
  no stemming): the baseline the targets are quoted against;
- ``hybrid_legacy``: greencart's search before commerce normalisation (one
  BM25 field, stemming, MiniLM, default fusion);
- ``lexical``: the new English lexical side alone (normalised, field-aware,
  compounds, catalogue spelling);
- ``hybrid``: the new default (lexical side + MiniLM, default fusion).

For each: nDCG@10 (unjudged products gain 0), query latency p50/p99 and the
energy per 1,000 queries from greencart's energy monitor (method recorded).
Writes benchmarks/results/search_external.{json,md}.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
ENV_VAR = "GREENCART_SEARCH_EXTERNAL_DATA"
GAINS = {"exact": 2, "partial": 1, "irrelevant": 0}
_BOOL_VALUES = {"yes", "no", "n/a", "none", "does not apply", ""}


class DataMissing(Exception):
    pass


@dataclass
class Dataset:
    name: str
    products: list[dict]  # generic importer rows
    queries: dict[str, str]  # query id -> text
    labels: dict[str, dict[str, int]]  # query id -> product id -> gain


def find_wands(path: Path) -> Path:
    for d in (path, path / "dataset"):
        if all((d / f).is_file() for f in ("product.csv", "query.csv", "label.csv")):
            return d
    raise DataMissing(
        f"No WANDS files at {path}: expected product.csv, query.csv and label.csv (tab-separated) "
        f"in it or in its dataset/ folder. Get them from https://github.com/wayfair/WANDS "
        f"(dataset/), then pass --data DIR or set {ENV_VAR}=DIR."
    )


def _tsv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _attributes(features: str) -> dict[str, str]:
    """WANDS ``product_features`` ("key : value|key:value") without yes/no flags."""
    out: dict[str, str] = {}
    for part in (features or "").split("|"):
        key, sep, value = part.partition(":")
        key, value = key.strip(), value.strip()
        if sep and key and value.lower() not in _BOOL_VALUES and key not in out:
            out[key[:60]] = value[:200]
    return out


def wands_product(row: dict[str, str]) -> dict:
    return {
        "id": f"w{row['product_id']}",
        "title": (row.get("product_name") or "").strip()[:300] or f"product {row['product_id']}",
        "category": (row.get("product_class") or "").strip()[:100] or "uncategorised",
        "price": 0,
        "currency": "USD",
        "description": (row.get("product_description") or "").strip(),
        "attributes": _attributes(row.get("product_features", "")),
    }


def load_wands(path: Path) -> Dataset:
    d = find_wands(path)
    products = [wands_product(r) for r in _tsv(d / "product.csv")]
    queries = {r["query_id"]: r["query"] for r in _tsv(d / "query.csv")}
    labels: dict[str, dict[str, int]] = {}
    for r in _tsv(d / "label.csv"):
        gain = GAINS.get(r["label"].strip().lower())
        if gain is None:
            raise ValueError(f"{d / 'label.csv'}: label {r['label']!r}, expected Exact, Partial or Irrelevant")
        labels.setdefault(r["query_id"], {})[f"w{r['product_id']}"] = gain
    return Dataset("wands", products, queries, labels)


def subsample(data: Dataset, max_queries: int | None, max_products: int | None, seed: int = 18) -> Dataset:
    """Queries with a relevant label, a seeded sample of them; the catalogue keeps every labelled
    product of those queries, filled up with other products up to ``max_products``."""
    rng = random.Random(seed)
    qids = sorted(q for q, lab in data.labels.items() if q in data.queries and any(g > 0 for g in lab.values()))
    if max_queries and len(qids) > max_queries:
        qids = sorted(rng.sample(qids, max_queries))
    judged = {p for q in qids for p in data.labels[q]}
    by_id = {p["id"]: p for p in data.products}
    keep = [by_id[p] for p in sorted(judged) if p in by_id]
    rest = [p for p in data.products if p["id"] not in judged]
    if max_products is None or max_products <= 0:
        keep += rest
    elif len(keep) < max_products:
        keep += rng.sample(rest, min(len(rest), max_products - len(keep)))
    ids = {p["id"] for p in keep}
    labels = {q: {p: g for p, g in data.labels[q].items() if p in ids} for q in qids}
    return Dataset(data.name, keep, {q: data.queries[q] for q in qids}, labels)


def import_catalogue(products: list[dict], workdir: Path):  # type: ignore[no-untyped-def]
    """Write the generic JSONL, import it with greencart's importer, read the products back."""
    from greencart.catalog.importers import import_products
    from greencart.store import open_database
    from greencart.store.catalog_repo import iter_products

    path = workdir / "products.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for p in products:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    db = open_database(f"sqlite:///{workdir}/external.db", migrate=True)
    summary = import_products(db, path)
    with db.read() as session:
        out = list(iter_products(session))
    db.dispose()
    return out, summary


def ndcg_at_10(ranked: list[str], gains: dict[str, int]) -> float:
    dcg = sum((2 ** gains.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:10]))
    ideal = sorted(gains.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


class PlainBM25:
    """bm25s over titles with bm25s' own tokeniser (English stopwords, no stemming)."""

    def __init__(self, ids: list[str], titles: list[str]) -> None:
        import bm25s

        self.ids = ids
        self._bm25s = bm25s
        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize(titles, stopwords="en", show_progress=False), show_progress=False)

    def search(self, query: str, k: int = 10) -> list[str]:
        tokens = self._bm25s.tokenize([query], stopwords="en", show_progress=False, return_ids=False)[0]
        ids = [self.retriever.vocab_dict[t] for t in tokens if t in self.retriever.vocab_dict]
        if not ids:
            return []
        scores = np.asarray(self.retriever.get_scores_from_ids(ids))
        top = np.argsort(-scores, kind="stable")[:k]
        return [self.ids[i] for i in top if scores[i] > 0]


def evaluate(
    name: str, search: Callable[[str], list[str]], data: Dataset, monitor, repeats: int = 1  # type: ignore[no-untyped-def]
) -> dict:
    """nDCG@10, latency and metered energy of one system over every query."""
    qids = list(data.queries)
    search(data.queries[qids[0]])  # warm: models loaded
    scores, times = [], []
    with monitor.unit(f"search-external-{name}") as unit:
        for r in range(repeats):
            for q in qids:
                t0 = time.perf_counter()
                ranked = search(data.queries[q])
                times.append((time.perf_counter() - t0) * 1000)
                if r == 0:
                    scores.append(ndcg_at_10(ranked, data.labels[q]))
    unit.wait_final(timeout_s=10)
    result = unit.result
    n = len(qids) * repeats
    return {
        "system": name,
        "n_queries": len(qids),
        "ndcg_at_10": round(float(np.mean(scores)), 4),
        "latency_ms_p50": round(float(np.percentile(times, 50)), 2),
        "latency_ms_p99": round(float(np.percentile(times, 99)), 2),
        "energy_j_per_1k_queries": round(1000 * result.energy_j / n, 3) if result else None,
        "energy_method": result.method if result else None,
    }


def run(data_path: Path, *, max_queries: int | None, max_products: int | None, repeats: int = 1) -> dict:
    from greencart.catalog.embed import get_embedder
    from greencart.catalog.search import SearchIndex
    from greencart.catalog.search.fusion import FusionConfig
    from greencart.catalog.search.index import EN_MODEL
    from greencart.catalog.search.lexical import LEGACY_LEXICAL
    from greencart.energy import EnergyConfig, EnergyMonitor

    data = subsample(load_wands(data_path), max_queries, max_products)
    with tempfile.TemporaryDirectory() as tmp:
        products, summary = import_catalogue(data.products, Path(tmp))
    print(f"[{data.name}] {len(products)} products imported, {len(data.queries)} queries", file=sys.stderr)
    minilm = get_embedder(EN_MODEL)
    # Queries are English: the Chinese side is built with MiniLM too (e5 would add minutes, unused here).
    t0 = time.perf_counter()
    ours = SearchIndex.build(products, embedder_en=minilm, embedder_zh=minilm, progress=True)
    build_s = time.perf_counter() - t0
    legacy = SearchIndex.build(products, embedder_en=minilm, embedder_zh=minilm, previous=ours, lexical=LEGACY_LEXICAL)
    attach_speller(ours, products)
    plain = PlainBM25([p.id for p in products], [p.title for p in products])
    lexical_only = FusionConfig("lexical")
    systems: dict[str, Callable[[str], list[str]]] = {
        "plain_bm25": plain.search,
        "hybrid_legacy": lambda q: [h.product_id for h in legacy.search(q, k=10)],
        "lexical": lambda q: [h.product_id for h in ours.search(q, k=10, fusion=lexical_only)],
        "hybrid": lambda q: [h.product_id for h in ours.search(q, k=10)],
    }
    monitor = EnergyMonitor(config=EnergyConfig.from_env()).start()
    try:
        rows = [evaluate(name, fn, data, monitor, repeats) for name, fn in systems.items()]
    finally:
        monitor.stop()
    base = rows[0]["ndcg_at_10"]
    for row in rows:
        row["ndcg_ratio_vs_plain_bm25"] = round(row["ndcg_at_10"] / base, 3) if base else None
    env = {
        "dataset": data.name,
        "data_path": str(data_path),
        "n_products": len(products),
        "n_queries": len(data.queries),
        "import_dropped": getattr(summary, "dropped", None) and dict(summary.dropped),
        "build_s": round(build_s, 2),
        "lexical": asdict(ours.lexical),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    return {"environment": env, "rows": rows}


def attach_speller(index, products) -> None:  # type: ignore[no-untyped-def]
    """The shared catalogue vocabulary as the index's speller (as ``open_index`` does)."""
    from greencart.catalog.vocabulary import CatalogVocabulary, product_words

    index.set_speller(CatalogVocabulary.build(" ".join(product_words(p)) for p in products))


def markdown(results: dict) -> str:
    env = results["environment"]
    cols = ["system", "ndcg_at_10", "ndcg_ratio_vs_plain_bm25", "latency_ms_p50", "latency_ms_p99",
            "energy_j_per_1k_queries", "energy_method"]
    title = (f"## Search: external evaluation ({env['dataset']}, {env['n_queries']} queries, "
             f"{env['n_products']} products, human labels)")
    out = [title, "",
           "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in results["rows"]]
    out += ["", f"Index build {env['build_s']} s; lexical {env['lexical']}; {env['cpus']} CPUs."]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get(ENV_VAR), help=f"WANDS folder (or ${ENV_VAR})")
    parser.add_argument("--max-queries", type=int, default=None, help="seeded sample of queries (default: all)")
    parser.add_argument("--max-products", type=int, default=10_000,
                        help="catalogue size: labelled products of the queries plus others (0: all)")
    parser.add_argument("--repeats", type=int, default=1, help="passes over the queries for latency/energy")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for search_external.{json,md}")
    args = parser.parse_args(argv)
    if args.data is None:
        print(f"No external data: pass --data DIR or set {ENV_VAR}=DIR (WANDS, https://github.com/wayfair/WANDS).",
              file=sys.stderr)
        return 2
    try:
        results = run(Path(args.data), max_queries=args.max_queries, max_products=args.max_products,
                      repeats=args.repeats)
    except DataMissing as exc:
        print(str(exc), file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "search_external.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = markdown(results)
    (args.out / "search_external.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
