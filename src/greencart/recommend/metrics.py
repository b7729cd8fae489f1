"""Ranking metrics over the full catalogue, per user (seen items already excluded).

Inputs are a batch of full score matrices (users x items) where seen items are
-inf, and the held-out items as a 0/1 CSR of the same shape. Definitions:

- Recall@k = hits in top-k / |relevant|; NDCG@k with binary gains and the ideal
  DCG over min(|relevant|, k) items; HR@k = 1 if any hit in top-k;
- MRR = 1 / rank of the first relevant item in the full ranking;
- AUC per user = share of (relevant, non-relevant unseen) pairs ranked correctly
  (ties count half), averaged over users;
- catalogue coverage@k = distinct items recommended / catalogue size;
- popularity percentile@k = mean percentile (0 least, 1 most popular in training)
  of recommended items: the popularity bias.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.stats import rankdata

from greencart.errors import InvalidParameter


def top_items(scores: np.ndarray, k: int) -> np.ndarray:
    """(n, k) item indices, best first; -1 where fewer than k items are finite."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    top = np.take_along_axis(part, order, axis=1)
    finite = np.isfinite(np.take_along_axis(scores, top, axis=1))
    return np.where(finite, top, -1)


def hits_matrix(top: np.ndarray, truth: sp.csr_matrix) -> np.ndarray:
    """(n, k) booleans: is the item at each rank relevant?"""
    rows = np.repeat(np.arange(top.shape[0]), top.shape[1]).reshape(top.shape)
    safe = np.where(top >= 0, top, 0)
    hit = np.asarray(truth[rows.ravel(), safe.ravel()]).reshape(top.shape) > 0
    return hit & (top >= 0)


def ranking_metrics(top: np.ndarray, truth: sp.csr_matrix, ks: Sequence[int] = (10, 20)) -> dict[str, np.ndarray]:
    """Per-user Recall@k, NDCG@k for each k, and HR@min(ks)... from top lists of length >= max(ks)."""
    if top.shape[1] < max(ks):
        raise InvalidParameter(f"Expected top lists of at least {max(ks)} items, got {top.shape[1]}")
    n_rel = np.diff(truth.indptr).astype(np.float64)
    hits = hits_matrix(top, truth)
    discounts = 1.0 / np.log2(np.arange(2, top.shape[1] + 2))
    out: dict[str, np.ndarray] = {}
    for k in ks:
        h = hits[:, :k]
        out[f"recall_at_{k}"] = h.sum(axis=1) / np.maximum(n_rel, 1)
        dcg = (h * discounts[:k]).sum(axis=1)
        ideal = np.cumsum(discounts[:k])[np.clip(np.minimum(n_rel, k).astype(int) - 1, 0, k - 1)]
        out[f"ndcg_at_{k}"] = np.where(n_rel > 0, dcg / ideal, 0.0)
        out[f"hr_at_{k}"] = h.any(axis=1).astype(np.float64)
    return out


def mrr_and_auc(scores: np.ndarray, truth: sp.csr_matrix) -> dict[str, np.ndarray]:
    """Per-user MRR over the full ranking and AUC (seen items, at -inf, are left out of both)."""
    n = scores.shape[0]
    mrr, auc = np.zeros(n), np.full(n, np.nan)
    ranks = rankdata(np.where(np.isfinite(scores), scores, -np.inf), axis=1, method="average")
    for u in range(n):
        rel = truth.indices[truth.indptr[u] : truth.indptr[u + 1]]
        if rel.size == 0:
            continue
        row = scores[u]
        finite = np.isfinite(row)
        rel = rel[finite[rel]]
        if rel.size == 0:
            continue
        best = row[rel].max()
        mrr[u] = 1.0 / (1.0 + np.count_nonzero(row[finite] > best))
        n_cand = int(finite.sum())
        n_neg = n_cand - rel.size
        if n_neg > 0:
            n_excluded = row.size - n_cand  # -inf items take the lowest ranks
            r = ranks[u, rel] - n_excluded
            auc[u] = (r.sum() - rel.size * (rel.size + 1) / 2) / (rel.size * n_neg)
    return {"mrr": mrr, "auc": auc}


def coverage(tops: np.ndarray, n_items: int) -> float:
    items = np.unique(tops[tops >= 0])
    return float(items.size / max(n_items, 1))


def popularity_percentile(tops: np.ndarray, train: sp.csr_matrix) -> float:
    """Mean training-popularity percentile of the recommended items (0..1)."""
    counts = np.bincount(train.indices, minlength=train.shape[1])
    pct = (rankdata(counts, method="average") - 1) / max(counts.size - 1, 1)
    valid = tops >= 0
    return float(pct[tops[valid]].mean()) if valid.any() else float("nan")


def mean_footprint(tops: np.ndarray, kg: np.ndarray) -> float:
    """Mean over users of the mean kg CO2e of their list (unknown footprints skipped)."""
    vals = np.where(tops >= 0, kg[np.where(tops >= 0, tops, 0)], np.nan)
    per_user = np.nanmean(np.where(np.isfinite(vals), vals, np.nan), axis=1) if vals.size else np.array([])
    per_user = per_user[np.isfinite(per_user)]
    return float(per_user.mean()) if per_user.size else float("nan")
