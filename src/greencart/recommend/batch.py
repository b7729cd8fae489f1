"""Batch scoring for every known shopper, written as JSON lines, each batch metered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from greencart.recommend.base import BATCH_USERS
from greencart.recommend.engine import MAX_K, RecommendEngine
from greencart.recommend.green import Cost, GreenMeter
from greencart.recommend.protocol import check_k
from greencart.recommend.rerank import eco_rerank_batch


def _batches(n: int, progress: bool) -> Any:
    starts = range(0, n, BATCH_USERS)
    if not progress:
        return starts
    from tqdm import tqdm

    return tqdm(starts, desc="Recommending for every shopper", unit="batch")


def score_all(engine: RecommendEngine, path: Path, k: int, alpha: float, meter: GreenMeter, *,
              progress: bool = False, runner: Any = None) -> dict[str, Any]:
    """Write ``{"user_id", "items": [...]}`` per shopper to ``path`` (temp file, then rename).
    With a ``runner`` (greencart.scale: local or Ray) the batches run on it, metered as one unit."""
    k = check_k(k, MAX_K)
    data = engine.model._require()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    costs: list[Cost] = []
    if runner is not None:
        return _score_all_on(runner, engine, path, tmp, k, alpha, meter, costs)
    with open(tmp, "w", encoding="utf-8") as fh:
        for start in _batches(data.n_users, progress):
            users = np.arange(start, min(start + BATCH_USERS, data.n_users))
            with meter.measure("recommend.batch", costs, users=len(users)):
                scores = np.array(engine.model.score_users(users), dtype=np.float64)
                r, c = data.matrix[users].nonzero()
                scores[r, c] = -np.inf
                tops = eco_rerank_batch(scores, engine.green, alpha, k, pool=engine.pool)
            for u, top in zip(users, tops):
                items = [data.item_ids[i] for i in top if i >= 0]
                fh.write(json.dumps({"user_id": data.user_ids[u], "items": items}) + "\n")
    tmp.replace(path)
    return _summary(path, data.n_users, k, alpha, costs)


def _score_all_on(runner: Any, engine: RecommendEngine, path: Path, tmp: Path, k: int, alpha: float,
                  meter: GreenMeter, costs: list[Cost]) -> dict[str, Any]:
    from greencart.scale.jobs import score_chunk

    data = engine.model._require()
    chunks = [np.arange(s, min(s + BATCH_USERS, data.n_users)) for s in range(0, data.n_users, BATCH_USERS)]
    with meter.measure("recommend.batch", costs, users=data.n_users, runner=runner.name):
        results = runner.map(score_chunk, chunks, shared=(engine, k, alpha))
    with open(tmp, "w", encoding="utf-8") as fh:
        for users, items in zip(chunks, results):
            fh.writelines(json.dumps({"user_id": data.user_ids[u], "items": top}) + "\n"
                          for u, top in zip(users, items))
    tmp.replace(path)
    out = _summary(path, data.n_users, k, alpha, costs)
    out["runner"] = runner.name
    return out


def _summary(path: Path, n_users: int, k: int, alpha: float, costs: list[Cost]) -> dict[str, Any]:
    energy_j = sum(c.energy_j for c in costs)
    return {
        "path": str(path), "users": n_users, "k": k, "alpha": alpha,
        "duration_s": round(sum(c.duration_s for c in costs), 4), "energy_j": energy_j,
        "energy_j_per_1k_recs": energy_j * 1000.0 / max(n_users, 1),
        "energy_method": costs[0].method if costs else "none",
    }
