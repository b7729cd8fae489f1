"""ItemKNN: cosine similarity between item columns, the top neighbours kept per item.

score(u, i) = sum over j in history(u) of w_uj x sim(j, i).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from greencart.errors import check_range
from greencart.recommend.base import BaseRecommender
from greencart.recommend.persist import csr_from_arrays, csr_to_arrays


@dataclass(frozen=True)
class ItemKNNParams:
    neighbours: int = 100
    shrink: float = 10.0  # shrinks similarities resting on few co-occurrences

    def __post_init__(self) -> None:
        check_range("neighbours", self.neighbours, 1, 100_000)
        check_range("shrink", self.shrink, 0.0, 1e6)


def _keep_top(sim: sp.csr_matrix, n: int) -> sp.csr_matrix:
    sim = sim.tocsr()
    rows, cols, vals = [], [], []
    for i in range(sim.shape[0]):
        start, end = sim.indptr[i], sim.indptr[i + 1]
        if end == start:
            continue
        d, c = sim.data[start:end], sim.indices[start:end]
        if len(d) > n:
            keep = np.argpartition(-d, n - 1)[:n]
            d, c = d[keep], c[keep]
        rows.append(np.full(len(d), i))
        cols.append(c)
        vals.append(d)
    if not rows:
        return sp.csr_matrix(sim.shape, dtype=np.float32)
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=sim.shape)


class ItemKNN(BaseRecommender):
    name = "itemknn"
    params_type = ItemKNNParams

    def _fit(self, X: sp.csr_matrix) -> None:
        Xc = X.tocsc().astype(np.float64)
        co = (Xc.T @ Xc).tocsr()
        norms = np.sqrt(co.diagonal())
        co.setdiag(0)
        co.eliminate_zeros()
        coo = co.tocoo()
        binary = (Xc > 0).astype(np.float64)
        support = (binary.T @ binary).tocsr()[coo.row, coo.col].A1 if coo.nnz else np.zeros(0)
        denom = norms[coo.row] * norms[coo.col] + 1e-12
        vals = coo.data / denom * (support / (support + self.params.shrink))
        sim = sp.csr_matrix((vals, (coo.row, coo.col)), shape=co.shape)
        # column j of S (as used in X @ S) holds item j's neighbours: keep top per target item
        self.sim = _keep_top(sim.T.tocsr(), self.params.neighbours).T.tocsr().astype(np.float32)

    def _update(self, X: sp.csr_matrix, old_users: int, old_items: int) -> None:
        self._fit(X)  # one sparse product: cheap enough to redo on every update

    def _score(self, rows: sp.csr_matrix, users: np.ndarray | None) -> np.ndarray:
        return np.asarray((rows @ self.sim).todense())

    def _similar(self, item: int) -> np.ndarray:
        return np.asarray(self.sim[item].todense()).ravel()

    def _contributions(self, row: sp.csr_matrix, item: int) -> np.ndarray:
        col = np.asarray(self.sim[:, [item]].todense()).ravel()
        return row.data * col[row.indices]

    def _arrays(self) -> dict[str, np.ndarray]:
        return csr_to_arrays("sim", self.sim)

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        self.sim = csr_from_arrays("sim", arrays)
