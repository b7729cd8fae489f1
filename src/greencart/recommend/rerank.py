"""Eco-aware re-ranking: score = alpha x relevance + (1 - alpha) x greenness.

- relevance: the model's scores over the candidate pool, min-max scaled to [0, 1];
- greenness in [0, 1], 1 = lowest footprint *within the same category* (log scale,
  since footprints within a category span orders of magnitude), then shrunk
  towards the neutral 0.5 where its band is wider than usual in that category
  (factor ``median width / width``): a footprint known only roughly (a category
  default among spend estimates) can neither earn nor lose much. Unknown: 0.5.

Hard filters are applied before ranking, so no alpha can break them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greencart.errors import check_range
from greencart.recommend.itemtable import ItemTable

DEFAULT_ALPHA = 0.7
DEFAULT_POOL = 100


@dataclass(frozen=True)
class RerankParams:
    alpha: float = DEFAULT_ALPHA
    pool: int = DEFAULT_POOL  # how many top-relevance candidates re-ranking may reorder

    def __post_init__(self) -> None:
        check_range("alpha", self.alpha, 0.0, 1.0)
        check_range("pool", self.pool, 1, 100_000)


def relative_band_width(table: ItemTable) -> np.ndarray:
    """(high - low) / central, per item; nan where the footprint is unknown."""
    kg = table.footprint_kg_co2e
    return (table.footprint_high_kg_co2e - table.footprint_low_kg_co2e) / np.maximum(kg, 1e-9)


def greenness(table: ItemTable) -> np.ndarray:
    """Per item in [0, 1]: 1 = greenest of its category (log kg CO2e, min-max within the
    category), shrunk towards 0.5 where its band is wider than is usual in its category:
    by ``median width / width`` (1 at or below the median)."""
    kg = table.footprint_kg_co2e
    known = np.isfinite(kg)
    logkg = np.log(np.where(known, np.maximum(kg, 1e-6), 1.0))
    width = np.nan_to_num(np.maximum(relative_band_width(table), 0.0), nan=np.inf)
    raw, discount = np.full(len(table), 0.5), np.zeros(len(table))
    for cat in np.unique(table.categories):
        m = (table.categories == cat) & known
        if m.sum() < 2:
            continue
        lo, hi = logkg[m].min(), logkg[m].max()
        raw[m] = 0.5 if hi - lo < 1e-12 else (hi - logkg[m]) / (hi - lo)
        usual = np.median(width[m])
        discount[m] = np.clip(usual / np.maximum(width[m], 1e-12), 0.0, 1.0) if np.isfinite(usual) else 0.0
    return 0.5 + (raw - 0.5) * discount


@dataclass(frozen=True)
class Ranked:
    """One re-ranked item: its combined score, both parts, and its rank by relevance alone."""

    item: int
    score: float
    relevance: float
    greenness: float
    relevance_rank: int


def scale(x: np.ndarray) -> np.ndarray:
    finite = np.isfinite(x)
    if not finite.any():
        return np.zeros_like(x, dtype=np.float64)
    lo, hi = x[finite].min(), x[finite].max()
    out = np.where(finite, (x - lo) / (hi - lo) if hi > lo else 1.0, -np.inf)
    return out.astype(np.float64)


def eco_rerank(relevance: np.ndarray, green: np.ndarray, alpha: float, k: int, *,
               pool: int = DEFAULT_POOL) -> list[Ranked]:
    """Top-k of one user's ``relevance`` (over all items; -inf = excluded or filtered)
    after mixing in ``green``. Only the ``pool`` most relevant allowed items compete."""
    check_range("alpha", alpha, 0.0, 1.0)
    allowed = np.flatnonzero(np.isfinite(relevance))
    if allowed.size == 0:
        return []
    n_pool = min(max(pool, k), allowed.size)
    cand = allowed[np.argsort(-relevance[allowed], kind="stable")[:n_pool]]
    rel = scale(relevance[cand])
    combined = alpha * rel + (1.0 - alpha) * green[cand]
    order = np.argsort(-combined, kind="stable")[:k]
    return [Ranked(int(cand[j]), float(combined[j]), float(rel[j]), float(green[cand[j]]), int(j)) for j in order]


def eco_rerank_batch(scores: np.ndarray, green: np.ndarray, alpha: float, k: int, *,
                     pool: int = DEFAULT_POOL) -> np.ndarray:
    """Vectorised :func:`eco_rerank` for many users: (n, k) item indices (-1 = none)."""
    n_pool = min(max(pool, k), scores.shape[1])
    part = np.argpartition(-scores, n_pool - 1, axis=1)[:, :n_pool]
    rel = np.take_along_axis(scores, part, axis=1)
    finite = np.isfinite(rel)
    lo = np.where(finite, rel, np.inf).min(axis=1, keepdims=True)
    hi = np.where(finite, rel, -np.inf).max(axis=1, keepdims=True)
    span = np.where(hi > lo, hi - lo, 1.0)
    rel_s = np.where(finite, (rel - lo) / span, 0.0)
    combined = np.where(finite, alpha * rel_s + (1 - alpha) * green[part], -np.inf)
    order = np.argsort(-combined, axis=1, kind="stable")[:, :k]
    out = np.take_along_axis(part, order, axis=1)
    return np.where(np.isfinite(np.take_along_axis(combined, order, axis=1)), out, -1)
