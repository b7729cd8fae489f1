"""Fusing lexical (BM25) and semantic (cosine) scores into one ranking.

Two methods, chosen by nDCG@10 on the labelled query sets
(``benchmarks/search.py``):

- ``rrf``: reciprocal-rank fusion, sum of ``1 / (rrf_k + rank)`` over both
  lists (Cormack, Clarke and Buettcher, SIGIR 2009, k = 60). Only documents
  with a positive BM25 score enter the lexical list.
- ``weighted``: ``alpha * bm25 / max(bm25) + (1 - alpha) * minmax(cosine)``
  over the candidates.

``lexical`` and ``semantic`` rank by one side only (for evaluation). Scores
are computed over the filtered candidates only, so filters never change how
the survivors compare.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greencart.errors import InvalidParameter

FUSION_METHODS = ("rrf", "weighted", "lexical", "semantic")


@dataclass(frozen=True)
class FusionConfig:
    method: str = "weighted"
    alpha: float = 0.5  # weight of the lexical side in ``weighted``
    rrf_k: int = 60

    def __post_init__(self) -> None:
        if self.method not in FUSION_METHODS:
            raise InvalidParameter(f"Expected fusion method in {FUSION_METHODS}, got {self.method!r}")
        if not (0.0 <= self.alpha <= 1.0):
            raise InvalidParameter(f"Expected alpha in [0, 1], got {self.alpha}")
        if self.rrf_k < 1:
            raise InvalidParameter(f"Expected rrf_k >= 1, got {self.rrf_k}")


def _ranks(scores: np.ndarray) -> np.ndarray:
    """0-based rank of each entry, highest score first, ties by position."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(len(scores))
    return ranks


def _minmax(x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return x
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-12:
        return np.ones_like(x)
    return (x - lo) / (hi - lo)


def fuse(lexical: np.ndarray, semantic: np.ndarray, config: FusionConfig) -> np.ndarray:
    """Fused scores for aligned candidate arrays (higher is better)."""
    lexical = lexical.astype(np.float64, copy=False)
    semantic = semantic.astype(np.float64, copy=False)
    if config.method == "lexical":
        return lexical
    if config.method == "semantic":
        return semantic
    if config.method == "rrf":
        sem = 1.0 / (config.rrf_k + 1 + _ranks(semantic))
        lex = np.where(lexical > 0, 1.0 / (config.rrf_k + 1 + _ranks(lexical)), 0.0)
        return lex + sem
    top = float(lexical.max()) if len(lexical) else 0.0
    lex_n = lexical / top if top > 0 else np.zeros_like(lexical)
    return config.alpha * lex_n + (1.0 - config.alpha) * _minmax(semantic)


def top_k(fused: np.ndarray, semantic: np.ndarray, k: int) -> np.ndarray:
    """Positions of the best ``k`` entries: fused score, then cosine, then position."""
    n = len(fused)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n > 4 * k + 64:  # shortlist by score (with every tie at the cut) before the exact sort
        cut = np.partition(fused, n - k)[n - k]
        pool = np.flatnonzero(fused >= cut)
    else:
        pool = np.arange(n)
    order = np.lexsort((pool, -semantic[pool], -fused[pool]))
    return pool[order[:k]]
