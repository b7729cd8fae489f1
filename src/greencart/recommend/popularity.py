"""Popularity: the same ranking for everyone, by how many shoppers bought each item."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from greencart.recommend.base import BaseRecommender


@dataclass(frozen=True)
class PopularityParams:
    pass


class Popularity(BaseRecommender):
    name = "popularity"
    params_type = PopularityParams

    def _fit(self, X: sp.csr_matrix) -> None:
        counts = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float64)
        self.item_scores = np.log1p(counts).astype(np.float32)

    def _score(self, rows: sp.csr_matrix, users: np.ndarray | None) -> np.ndarray:
        return np.broadcast_to(self.item_scores, (rows.shape[0], self.item_scores.size))

    def _similar(self, item: int) -> np.ndarray:
        return self.item_scores

    def _contributions(self, row: sp.csr_matrix, item: int) -> np.ndarray:
        return np.zeros(row.nnz)  # popularity owes nothing to the shopper's history

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"item_scores": self.item_scores}

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        self.item_scores = arrays["item_scores"]
