"""ALS and BPR matrix factorisation, trained with ``implicit`` (CPU), served with numpy.

``implicit`` is imported only in ``fit``; a saved model scores without it.
Set ``OPENBLAS_NUM_THREADS=1`` before numpy loads (the CLI and the benchmark do):
implicit warns and slows down otherwise.

New and changed users are folded in with the ALS closed form
x_u = (Y^T Y + Y^T (C_u - I) Y + reg I)^-1 Y^T C_u p_u, C_u = 1 + alpha r_u (Hu et al.
2008), which also gives exact explanations: the score of item i splits into
c_uj y_i^T A_u^-1 y_j over the history items j. New items are folded in the
same way against the user factors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from greencart.errors import ModelUnavailable, check_range
from greencart.recommend.base import BaseRecommender


def _implicit_cpu():  # type: ignore[no-untyped-def]
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        from implicit.cpu import als, bpr
    except ImportError:
        raise ModelUnavailable("ALS and BPR need the package implicit: `pip install implicit`") from None
    return als, bpr


def fold_in(Y: np.ndarray, rows: sp.csr_matrix, alpha: float, reg: float) -> tuple[np.ndarray, list[np.ndarray]]:
    """Least-squares factors for each row of ``rows`` against fixed factors ``Y``;
    also each row's inverse ``A_u^-1`` (for explanations)."""
    Y = Y.astype(np.float64)
    YtY = Y.T @ Y
    eye = reg * np.eye(Y.shape[1])
    out = np.zeros((rows.shape[0], Y.shape[1]), dtype=np.float64)
    inverses = []
    rows = sp.csr_matrix(rows)
    for u in range(rows.shape[0]):
        idx = rows.indices[rows.indptr[u] : rows.indptr[u + 1]]
        r = rows.data[rows.indptr[u] : rows.indptr[u + 1]].astype(np.float64)
        Yu = Y[idx]
        A = YtY + (Yu.T * (alpha * r)) @ Yu + eye
        A_inv = np.linalg.inv(A)
        out[u] = A_inv @ (Yu.T @ (1.0 + alpha * r))
        inverses.append(A_inv)
    return out.astype(np.float32), inverses


class _Factorised(BaseRecommender):
    """Shared serving for factor models: score = user_factors @ item_factors.T."""

    fold_alpha: float = 1.0
    fold_reg: float = 0.1

    def _fold(self, rows: sp.csr_matrix) -> np.ndarray:
        return fold_in(self.item_factors, rows, self.fold_alpha, self.fold_reg)[0]

    def _score(self, rows: sp.csr_matrix, users: np.ndarray | None) -> np.ndarray:
        U = self.user_factors[users] if users is not None else self._fold(rows)
        return U @ self.item_factors.T

    def _similar(self, item: int) -> np.ndarray:
        Y = self.item_factors
        norms = np.linalg.norm(Y, axis=1) + 1e-12
        return (Y @ Y[item]) / (norms * norms[item])

    def _contributions(self, row: sp.csr_matrix, item: int) -> np.ndarray:
        _, (A_inv,) = fold_in(self.item_factors, row, self.fold_alpha, self.fold_reg)
        Yj = self.item_factors[row.indices].astype(np.float64)
        yi = self.item_factors[item].astype(np.float64)
        return (1.0 + self.fold_alpha * row.data) * (Yj @ (A_inv @ yi))

    def _update(self, X: sp.csr_matrix, old_users: int, old_items: int) -> None:
        """Fold in new items (against the users who have them), then re-solve every user
        whose row changed, plus the new users. No full retrain."""
        n_users, n_items = X.shape
        if n_items > old_items:
            new_cols = X[:old_users, old_items:].T.tocsr()
            Ynew, _ = fold_in(self.user_factors[:old_users], new_cols, self.fold_alpha, max(self.fold_reg, 1.0))
            self.item_factors = np.vstack([self.item_factors, Ynew]).astype(np.float32)
        old = self._fitted_rows
        changed = [u for u in range(min(old_users, old.shape[0]))
                   if (X[u] != _pad(old[u], n_items)).nnz]
        targets = np.array(changed + list(range(old_users, n_users)), dtype=np.int64)
        if n_users > self.user_factors.shape[0]:
            pad = np.zeros((n_users - self.user_factors.shape[0], self.user_factors.shape[1]), np.float32)
            self.user_factors = np.vstack([self.user_factors, pad])
        if len(targets):
            self.user_factors[targets] = self._fold(X[targets])
        self._fitted_rows = X

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"user_factors": self.user_factors, "item_factors": self.item_factors}

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        self.user_factors = arrays["user_factors"]
        self.item_factors = arrays["item_factors"]
        self._fitted_rows = self._require().matrix


def _pad(row: sp.csr_matrix, n_items: int) -> sp.csr_matrix:
    if row.shape[1] == n_items:
        return row
    return sp.csr_matrix((row.data, row.indices, row.indptr), shape=(1, n_items))


@dataclass(frozen=True)
class ALSParams:
    # chosen on the benchmark's temporal splits (demo 0.076 -> 0.115 NDCG@10, Online Retail 0.023 -> 0.025)
    factors: int = 32
    regularization: float = 10.0
    alpha: float = 2.0
    iterations: int = 15
    seed: int = 0
    num_threads: int = 1

    def __post_init__(self) -> None:
        check_range("factors", self.factors, 1, 2048)
        check_range("regularization", self.regularization, 0.0, 1e6)
        check_range("alpha", self.alpha, 0.0, 1e6)
        check_range("iterations", self.iterations, 1, 1000)
        check_range("num_threads", self.num_threads, 0, 1024)


class ALS(_Factorised):
    name = "als"
    params_type = ALSParams

    @property
    def fold_alpha(self) -> float:  # type: ignore[override]
        return self.params.alpha

    @property
    def fold_reg(self) -> float:  # type: ignore[override]
        return max(self.params.regularization, 1e-3)

    def _fit(self, X: sp.csr_matrix) -> None:
        als, _ = _implicit_cpu()
        p = self.params
        model = als.AlternatingLeastSquares(
            factors=p.factors, regularization=p.regularization, alpha=p.alpha, iterations=p.iterations,
            random_state=p.seed, num_threads=p.num_threads,
        )
        model.fit(X, show_progress=False)
        self.user_factors = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float32)
        self._fitted_rows = X


@dataclass(frozen=True)
class BPRParams:
    factors: int = 32  # with learning_rate 0.01: demo 0.053 -> 0.117 NDCG@10 (temporal split)
    learning_rate: float = 0.01
    regularization: float = 0.01
    iterations: int = 100
    seed: int = 0
    num_threads: int = 1

    def __post_init__(self) -> None:
        check_range("factors", self.factors, 1, 2048)
        check_range("learning_rate", self.learning_rate, 1e-6, 10.0)
        check_range("regularization", self.regularization, 0.0, 1e6)
        check_range("iterations", self.iterations, 1, 10_000)
        check_range("num_threads", self.num_threads, 0, 1024)


class BPR(_Factorised):
    """Bayesian Personalised Ranking. implicit appends a bias column to the item
    factors (and a 1 to the user factors), kept as is: the dot product includes it."""

    name = "bpr"
    params_type = BPRParams

    def _fit(self, X: sp.csr_matrix) -> None:
        _, bpr = _implicit_cpu()
        p = self.params
        model = bpr.BayesianPersonalizedRanking(
            factors=p.factors, learning_rate=p.learning_rate, regularization=p.regularization,
            iterations=p.iterations, random_state=p.seed, num_threads=p.num_threads,
        )
        model.fit((X > 0).astype(np.float32), show_progress=False)
        self.user_factors = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float32)
        self._fitted_rows = X

    def _fold(self, rows: sp.csr_matrix) -> np.ndarray:
        """New users: the mean of their items' factors, scaled to the typical user's norm,
        plus the bias slot (least squares against BPR factors ranks poorly: they are not
        fitted to reconstruct 0/1 targets)."""
        rows = sp.csr_matrix(rows)
        Y = self.item_factors[:, :-1]
        counts = np.maximum(np.asarray(rows.sum(axis=1)).ravel(), 1e-9)[:, None]
        centroid = np.asarray(rows @ Y) / counts
        typical = float(np.linalg.norm(self.user_factors[:, :-1], axis=1).mean())
        norms = np.maximum(np.linalg.norm(centroid, axis=1, keepdims=True), 1e-12)
        return np.hstack([centroid * typical / norms, np.ones((rows.shape[0], 1))]).astype(np.float32)

    def _contributions(self, row: sp.csr_matrix, item: int) -> np.ndarray:
        return row.data * self._similar(item)[row.indices]
