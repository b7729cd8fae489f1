"""Measure a recommender variant with the project's evaluation protocol -> an Evaluation.

Full ranking over the catalogue, seen items excluded, the split's test users
(recommend.evaluate's metered scoring batches); NDCG@10 and Recall@20; p50/p99
of one ``recommend(user, k=10)`` call; J per 1,000 recommendation lists from
the energy work units. Deltas and the compression ratio are against
``baseline`` (measured in the same run); the notes give NDCG@10's standard
error, which on small test sets is far wider than a 1 % delta.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from greencart.compress.artifact import Artifact, Evaluation
from greencart.recommend import metrics as M
from greencart.recommend.evaluate import _score_batches, latency_ms
from greencart.recommend.green import Cost, GreenMeter
from greencart.recommend.split import Split


def quality(model: Any, split: Split, meter: GreenMeter) -> tuple[dict[str, float], list[Cost]]:
    users = split.test_users
    costs: list[Cost] = []
    parts: dict[str, list[np.ndarray]] = {}
    for batch, _scores, top in _score_batches(model, split, users, meter, costs):
        for key, vals in M.ranking_metrics(top, split.test[batch], (10, 20)).items():
            parts.setdefault(key, []).append(vals)
    ndcg = np.concatenate(parts["ndcg_at_10"])
    q = {"ndcg@10": float(ndcg.mean()), "recall@20": float(np.concatenate(parts["recall_at_20"]).mean()),
         "ndcg@10_se": float(ndcg.std(ddof=1) / np.sqrt(ndcg.size)) if ndcg.size > 1 else float("nan")}
    return q, costs


def evaluate_variant(model: Any, artifact: Artifact, split: Split, *, dataset: str, meter: GreenMeter,
                     baseline: Evaluation | None = None, latency_users: int = 300) -> Evaluation:
    """Quality, latency, energy and size of ``model`` (loaded from ``artifact``) on ``split``."""
    q, costs = quality(model, split, meter)
    se = q.pop("ndcg@10_se")
    ids = [split.train.user_ids[u] for u in split.test_users]
    lat = latency_ms(model, ids, latency_users)
    energy = sum(c.energy_j for c in costs) * 1000.0 / max(len(ids), 1)
    ev = Evaluation(variant=artifact.name, kind="recommender", method=artifact.method, dataset=dataset,
                    size_bytes=artifact.size_bytes(), params=artifact.params, params_nonzero=artifact.params_nonzero,
                    quality=q, latency_p50_ms=lat["latency_ms_p50"], latency_p99_ms=lat["latency_ms_p99"],
                    energy_j_per_1k=energy, energy_method=costs[0].method if costs else "none",
                    notes=[f"ndcg@10 standard error {se:.4f} over {len(ids)} test users"])
    if baseline is not None:
        ev.baseline = baseline.variant
        ev.compression_ratio = baseline.size_bytes / max(ev.size_bytes, 1)
        for key, base in {**baseline.quality, "latency_p50_ms": baseline.latency_p50_ms,
                          "energy_j_per_1k": baseline.energy_j_per_1k}.items():
            now = q.get(key, getattr(ev, key, None))
            if base and now is not None:
                ev.deltas[key] = float(now / base - 1.0)
    return ev
