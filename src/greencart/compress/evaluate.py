"""Measure a model variant on the task it serves.

- Embedders: search nDCG@10 on the English queries of a labelled query set
  (``benchmarks/queries/*.jsonl`` format, :mod:`compress.datasets`), with a :class:`SearchIndex` built over the catalogue with the variant as
  the English embedder (passed to ``SearchIndex.build``; the global ``get_embedder``
  cache is untouched); p50/p99 ms to embed one query on one thread; J per 1,000
  query embeddings from an energy work unit (``GreenMeter`` over ``EnergyMonitor``).
- Recommenders: NDCG@10 and Recall@20 on an evaluation split (seen items excluded,
  full ranking, as in ``recommend.evaluate``); p50/p99 ms per ``recommend(user, 10)``;
  J per 1,000 recommendation lists.

:func:`compare` adds the deltas and the compression ratio against a baseline.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from greencart.compress.artifact import Artifact, Evaluation
from greencart.errors import InvalidParameter

LATENCY_USERS = 500


# -- search --------------------------------------------------------------------------------------


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


class _Named:
    """An embedder under a name unique to one evaluation (so no index reuses its vectors)."""

    def __init__(self, inner: Any, name: str) -> None:
        self.inner, self.name, self.dim = inner, name, int(inner.dim)

    def embed(self, texts: Any, *, is_query: bool = False) -> Any:
        return self.inner.embed(texts, is_query=is_query)


class UnusedSide:
    """Stands in for the Chinese embedder: English queries never reach the Chinese side, so
    embedding the catalogue with multilingual-e5 (about 10x MiniLM's cost) would change nothing."""

    name, dim = "unused-zh", 1

    def embed(self, texts: Any, *, is_query: bool = False) -> np.ndarray:
        return np.ones((len(texts), 1), dtype=np.float32)


@dataclass
class SearchTask:
    """A catalogue and its labelled queries. English queries only: the variants replace the
    English embedder (the Chinese side is not what they change; see :class:`UnusedSide`)."""

    dataset: str
    products: list[Any]
    queries: list[dict[str, Any]]
    zh_embedder: Any = field(default_factory=UnusedSide)
    reference: Any = None  # the first index built: its Chinese vectors are reused
    builds: int = 0

    def __post_init__(self) -> None:
        self.queries = [q for q in self.queries if q.get("lang", "en") == "en"]
        if not self.products or not self.queries:
            raise InvalidParameter(f"Expected products and English labelled queries for {self.dataset!r}, got "
                                   f"{len(self.products)} products and {len(self.queries)} queries")

    def index_with(self, embedder: Any) -> Any:
        from greencart.catalog.search import SearchIndex

        self.builds += 1
        named = _Named(embedder, f"{embedder.name}#eval{self.builds}")
        index = SearchIndex.build(self.products, previous=self.reference, embedder_en=named,
                                  embedder_zh=self.reference.zh.get_embedder() if self.reference else self.zh_embedder)
        if self.reference is None:
            self.reference = index
        return index

    def quality(self, index: Any) -> dict[str, float]:
        from greencart.catalog.search import FusionConfig

        out = {}
        for key, fusion in (("ndcg@10", None), ("ndcg@10_semantic", FusionConfig("semantic"))):
            scores = [ndcg_at_10([h.product_id for h in index.search(q["query"], k=10, fusion=fusion)],
                                 q["relevant"]) for q in self.queries]
            out[key] = float(np.mean(scores))
        return out


def _meter(meter: Any) -> tuple[Any, bool]:
    if meter is not None:
        return meter, False
    from greencart.recommend.green import GreenMeter

    return GreenMeter(), True


def _percentiles(times_ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(times_ms, 50)), float(np.percentile(times_ms, 99))


@dataclass(frozen=True)
class Described:
    """What the report needs of a model that is not (yet) an artifact."""

    name: str
    method: str = "original"
    size_bytes: int = 0
    params: int = 0
    params_nonzero: int = 0


def _describe(artifact: Artifact | None, described: Described | None, fallback: str) -> Described:
    if artifact is not None:
        return Described(artifact.name, artifact.method, artifact.size_bytes(), artifact.params, artifact.params_nonzero)
    return described or Described(fallback)


def evaluate_embedder(model: Artifact | Any, task: SearchTask, *, meter: Any = None, repeats: int = 3,
                      threads: int = 1, described: Described | None = None) -> Evaluation:
    """nDCG@10 (default fusion, and semantic only), p50/p99 ms per query, J per 1,000 queries."""
    from greencart.compress.loaders import load_embedder

    if repeats < 1:
        raise InvalidParameter(f"Expected repeats >= 1, got {repeats}")
    artifact = model if isinstance(model, Artifact) else None
    embedder = load_embedder(artifact, threads=threads) if artifact is not None else model
    info = _describe(artifact, described, getattr(embedder, "name", "embedder"))
    quality = task.quality(task.index_with(embedder))
    texts = [q["query"] for q in task.queries]
    for t in texts:  # warm: one untimed pass (sessions, allocator, caches)
        embedder.embed([t], is_query=True)
    meter, owned = _meter(meter)
    times: list[float] = []
    costs: list[Any] = []
    try:
        with meter.measure("compress.embed", costs, variant=info.name):
            for _ in range(repeats):
                for t in texts:
                    t0 = time.perf_counter()
                    embedder.embed([t], is_query=True)
                    times.append((time.perf_counter() - t0) * 1000.0)
    finally:
        if owned:
            meter.close()
    p50, p99 = _percentiles(times)
    return Evaluation(info.name, "embedder", info.method, task.dataset, info.size_bytes, info.params,
                      info.params_nonzero, quality, p50, p99, costs[0].per_1k(len(times)), costs[0].method,
                      notes=[(f"{len(task.queries)} English queries, {len(task.products)} products, "
                              f"{threads} thread(s), {repeats} passes")])


# -- recommendation ------------------------------------------------------------------------------


@dataclass
class RecommendTask:
    """An evaluation split (``recommend.split``) of a data set."""

    dataset: str
    split: Any  # recommend.split.Split
    latency_users: int = LATENCY_USERS
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.split.test_users) == 0:
            raise InvalidParameter(f"The {self.split.protocol} split of {self.dataset!r} has no test users")


def _score_split(model: Any, split: Any, meter: Any) -> tuple[dict[str, float], list[Any], int]:
    from greencart.recommend import metrics as M

    users, seen = split.test_users, split.train.matrix
    parts: dict[str, list[np.ndarray]] = {}
    costs: list[Any] = []
    for start in range(0, len(users), 1024):
        batch = users[start : start + 1024]
        with meter.measure("compress.recommend", costs, users=len(batch)):
            scores = np.array(model.score_users(batch), dtype=np.float64)
            r, c = seen[batch].nonzero()
            scores[r, c] = -np.inf
            top = M.top_items(scores, 20)
        for name, vals in M.ranking_metrics(top, split.test[batch], (10, 20)).items():
            parts.setdefault(name, []).append(vals)
    summary = {k: float(np.nanmean(np.concatenate(v))) for k, v in parts.items()}
    return summary, costs, len(users)


def evaluate_recommender(model: Artifact | Any, data: RecommendTask, protocol: str = "temporal", *,
                         meter: Any = None, described: Described | None = None) -> Evaluation:
    """NDCG@10 and Recall@20 on ``data``'s split, p50/p99 ms per user, J per 1,000 lists."""
    from greencart.compress.loaders import load_recommender
    from greencart.recommend.evaluate import latency_ms

    if data.split.protocol != protocol:
        raise InvalidParameter(f"Expected a {protocol!r} split, got {data.split.protocol!r}")
    artifact = model if isinstance(model, Artifact) else None
    rec = load_recommender(artifact, data.split.train) if artifact is not None else model
    info = _describe(artifact, described, getattr(rec, "name", "recommender"))
    meter, owned = _meter(meter)
    try:
        summary, costs, n = _score_split(rec, data.split, meter)
    finally:
        if owned:
            meter.close()
    ids = [data.split.train.user_ids[u] for u in data.split.test_users]
    lat = latency_ms(rec, ids, data.latency_users)
    energy = sum(c.energy_j for c in costs) * 1000.0 / max(n, 1)
    return Evaluation(info.name, "recommender", info.method, data.dataset, info.size_bytes, info.params,
                      info.params_nonzero, {"ndcg@10": summary["ndcg_at_10"], "recall@20": summary["recall_at_20"]},
                      lat["latency_ms_p50"], lat["latency_ms_p99"], energy, costs[0].method,
                      notes=[f"{protocol} split: {n} test users, {data.split.train.n_items} items", *data.notes])


# -- against a baseline --------------------------------------------------------------------------


def _relative(value: float, base: float) -> float:
    return (value - base) / base if base else float("nan")


def compare(ev: Evaluation, baseline: Evaluation) -> Evaluation:
    """``ev`` with ``compression_ratio`` (baseline size / its size) and relative deltas
    (quality keys, ``latency_p50_ms``, ``latency_p99_ms``, ``energy_j_per_1k``) vs ``baseline``."""
    if ev.kind != baseline.kind or ev.dataset != baseline.dataset:
        raise InvalidParameter(f"Expected a baseline of the same kind and data set as {ev.variant!r} "
                               f"({ev.kind}, {ev.dataset}), got {baseline.kind}, {baseline.dataset}")
    deltas = {k: _relative(v, baseline.quality[k]) for k, v in ev.quality.items() if k in baseline.quality}
    for key in ("latency_p50_ms", "latency_p99_ms", "energy_j_per_1k"):
        deltas[key] = _relative(getattr(ev, key), getattr(baseline, key))
    ratio = baseline.size_bytes / ev.size_bytes if ev.size_bytes and baseline.size_bytes else float("nan")
    return replace(ev, baseline=baseline.variant, compression_ratio=ratio, deltas=deltas)
