"""New items through content: products nobody has interacted with yet get a
relevance from text similarity (the search index's MiniLM vectors) to the
shopper's history, until interactions arrive and a retrain learns them.

The cold item's content score (weighted mean cosine to the history, in [0, 1])
is placed on the user's own warm-score scale: ``min + (max - min) x cosine``, so a
close text match competes with the model's items without outranking a clear hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from greencart.errors import InvalidParameter


@dataclass(frozen=True)
class ContentVectors:
    """Unit-norm text vectors aligned to a model's items; rows of zeros where unknown."""

    vectors: np.ndarray  # (n_items, dim) float32
    cold: np.ndarray  # bool (n_items,): no interactions in training

    def __post_init__(self) -> None:
        if self.vectors.shape[0] != self.cold.shape[0]:
            raise InvalidParameter(
                f"Expected one vector per item, got {self.vectors.shape[0]} vectors for {self.cold.shape[0]} items"
            )

    @classmethod
    def from_index(cls, index: Any, item_ids: Sequence[str], train: sp.csr_matrix) -> ContentVectors:
        """From a :class:`greencart.catalog.search.SearchIndex` (its English side)."""
        pos = {p: i for i, p in enumerate(index.ids)}
        dim = index.en.vectors.shape[1]
        vectors = np.zeros((len(item_ids), dim), dtype=np.float32)
        for j, pid in enumerate(item_ids):
            i = pos.get(pid)
            if i is not None:
                vectors[j] = index.en.vectors[i]
        cold = np.bincount(train.indices, minlength=len(item_ids)) == 0
        return cls(vectors, cold)

    def cosine(self, row: sp.csr_matrix) -> np.ndarray:
        """Weighted mean cosine of every item to the history in ``row`` (1 x items), clipped to [0, 1]."""
        row = sp.csr_matrix(row)
        if row.nnz == 0:
            return np.zeros(self.vectors.shape[0])
        profile = (row.data[:, None] * self.vectors[row.indices]).sum(axis=0) / max(row.data.sum(), 1e-9)
        return np.clip(self.vectors @ profile, 0.0, 1.0).astype(np.float64)

    def fill_cold(self, relevance: np.ndarray, row: sp.csr_matrix) -> np.ndarray:
        """``relevance`` with the cold items' scores replaced by their content score."""
        if not self.cold.any() or sp.csr_matrix(row).nnz == 0:
            return relevance
        warm = np.isfinite(relevance) & ~self.cold
        if not warm.any():
            return relevance
        lo, hi = relevance[warm].min(), relevance[warm].max()
        out = relevance.copy()
        cold = self.cold & np.isfinite(relevance)
        out[cold] = lo + (hi - lo) * self.cosine(row)[cold]
        return out

    def closest(self, row: sp.csr_matrix, item: int, n: int = 2) -> list[tuple[int, float]]:
        """The history items (index, cosine) whose text is closest to ``item``'s."""
        row = sp.csr_matrix(row)
        if row.nnz == 0:
            return []
        cos = self.vectors[row.indices] @ self.vectors[item]
        order = np.argsort(-cos, kind="stable")[:n]
        return [(int(row.indices[j]), float(cos[j])) for j in order if cos[j] > 0]
