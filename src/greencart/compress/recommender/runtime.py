"""Serve a compressed recommender artifact through the ``Recommender`` protocol.

Scores are computed on the stored form (float16 blocks upcast, int8 with its
scales, PQ through per-user look-up tables, top-k sparse B), so resident memory
is the compact form plus the history matrix. Pruned items score ``-inf``: they
are never recommended, and asking for their neighbours is a NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from greencart.compress.artifact import Artifact
from greencart.compress.recommender.store import FACTORS, Variant, read_variant, write_variant
from greencart.errors import InvalidParameter, NotFound
from greencart.recommend.base import BaseRecommender
from greencart.recommend.data import Interactions

NOT_TRAINED = "Compressed models are not trained: re-compress from a fitted model (export_factors, then quantise/prune/distil)"


@dataclass(frozen=True)
class RuntimeParams:
    artifact: str = ""  # the artifact's name


class FactorRecommender(BaseRecommender):
    name = "compressed"
    params_type = RuntimeParams

    def __init__(self, variant: Variant, data: Interactions, artifact: Artifact) -> None:
        super().__init__(RuntimeParams(artifact.name))
        if data.item_ids != variant.item_ids:
            raise InvalidParameter(f"Expected the interactions' item ids to match artifact {artifact.name!r} "
                                   f"({len(variant.item_ids)} items), got {data.n_items} items in another order "
                                   "(load with the training Interactions the model was exported from)")
        if data.user_ids != variant.user_ids:
            raise InvalidParameter(f"Expected the interactions' user ids to match artifact {artifact.name!r} "
                                   f"({len(variant.user_ids)} users), got {data.n_users} users")
        self.variant, self.artifact, self.data = variant, artifact, data
        self._kept = variant.kept_items
        self._position = np.full(data.n_items, -1, dtype=np.int64)
        self._position[self._kept] = np.arange(self._kept.size)
        self._yty: np.ndarray | None = None
        self._norms: np.ndarray | None = None

    @classmethod
    def load(cls, artifact: Artifact | Path, data: Interactions) -> FactorRecommender:
        art = artifact if isinstance(artifact, Artifact) else Artifact.load(Path(artifact))
        return cls(read_variant(art), data, art)

    # -- not trainable ---------------------------------------------------------
    def fit(self, data: Interactions) -> FactorRecommender:
        raise InvalidParameter(NOT_TRAINED)

    def update(self, data: Interactions) -> FactorRecommender:
        raise InvalidParameter(NOT_TRAINED)

    # -- scoring -------------------------------------------------------------
    def _scatter(self, kept_scores: np.ndarray) -> np.ndarray:
        if self.variant.item_index is None:
            return kept_scores
        out = np.full((kept_scores.shape[0], len(self.variant.item_ids)), -np.inf, dtype=np.float32)
        out[:, self._kept] = kept_scores
        return out

    def _kept_history(self, rows: sp.csr_matrix) -> sp.csr_matrix:
        rows = sp.csr_matrix(rows, dtype=np.float32)
        if self.variant.format != FACTORS and self.variant.settings.get("binary", True):
            rows = (rows > 0).astype(np.float32)
        return rows if self.variant.item_index is None else rows[:, self._kept].tocsr()

    def _score(self, rows: sp.csr_matrix, users: np.ndarray | None) -> np.ndarray:
        v = self.variant
        if v.format == FACTORS:
            assert v.users is not None and v.items is not None
            U = v.users.rows(users) if users is not None else self._fold(self._kept_history(rows))
            return self._scatter(v.items.scores(U))
        assert v.B is not None
        return self._scatter(v.B.scores(self._kept_history(rows)))

    def _fold(self, rows: sp.csr_matrix) -> np.ndarray:
        """New users' factors from history rows over the kept items (see factors.fold_settings)."""
        assert self.variant.items is not None
        fold: dict[str, Any] = self.variant.settings.get("fold", {"kind": "least-squares", "alpha": 1.0, "reg": 0.1})
        d = self.variant.items.shape[1]
        out = np.zeros((rows.shape[0], d), dtype=np.float32)
        for u in range(rows.shape[0]):
            idx = rows.indices[rows.indptr[u] : rows.indptr[u + 1]]
            r = rows.data[rows.indptr[u] : rows.indptr[u + 1]].astype(np.float64)
            if idx.size == 0:
                continue
            Yu = self.variant.items.rows(idx).astype(np.float64)
            if fold["kind"] == "centroid-bias":
                c = (r @ Yu[:, :-1]) / max(r.sum(), 1e-9)
                c *= float(fold["typical_user_norm"]) / max(float(np.linalg.norm(c)), 1e-12)
                out[u] = np.append(c, 1.0)
            else:
                out[u] = self._solve(Yu, r, float(fold["alpha"]), float(fold["reg"]))[0]
        return out

    def _solve(self, Yu: np.ndarray, r: np.ndarray, alpha: float, reg: float) -> tuple[np.ndarray, np.ndarray]:
        """ALS closed form x = (Y^T Y + Y_u^T diag(alpha r) Y_u + reg I)^-1 Y_u^T (1 + alpha r); also A^-1."""
        if self._yty is None:
            assert self.variant.items is not None
            n, d = self.variant.items.shape
            yty = np.zeros((d, d))
            for s in range(0, n, 4096):
                blk = self.variant.items.rows(np.arange(s, min(s + 4096, n))).astype(np.float64)
                yty += blk.T @ blk
            self._yty = yty
        A = self._yty + (Yu.T * (alpha * r)) @ Yu + reg * np.eye(Yu.shape[1])
        A_inv = np.linalg.inv(A)
        return A_inv @ (Yu.T @ (1.0 + alpha * r)), A_inv

    def _kept_position(self, item: int) -> int:
        pos = int(self._position[item])
        if pos < 0:
            raise NotFound(f"Product {self.variant.item_ids[item]!r} was pruned from compressed model "
                           f"{self.artifact.name!r}: it has no neighbours here (use the uncompressed model)")
        return pos

    def _similar(self, item: int) -> np.ndarray:
        pos = self._kept_position(item)
        v = self.variant
        if v.format != FACTORS:
            assert v.B is not None
            return self._scatter(v.B.row(pos)[None, :])[0]
        assert v.items is not None
        if self._norms is None:
            n = v.items.shape[0]
            self._norms = np.concatenate([np.linalg.norm(v.items.rows(np.arange(s, min(s + 4096, n))), axis=1)
                                          for s in range(0, n, 4096)]) + 1e-12
        sims = v.items.scores(v.items.rows(np.array([pos])))[0] / (self._norms * self._norms[pos])
        return self._scatter(sims[None, :])[0]

    def _contributions(self, row: sp.csr_matrix, item: int) -> np.ndarray:
        row = sp.csr_matrix(row)
        pos = self._position[row.indices]
        known = pos >= 0
        out = np.zeros(row.nnz, dtype=np.float64)
        target = self._kept_position(item)
        v = self.variant
        if v.format != FACTORS:
            assert v.B is not None
            w = (row.data > 0).astype(np.float64) if v.settings.get("binary", True) else row.data
            out[known] = w[known] * v.B.entries(pos[known], target)
            return out
        assert v.items is not None
        fold = v.settings.get("fold", {})
        if fold.get("kind") != "least-squares" or not known.any():
            return row.data * np.where(known, self._similar(item)[row.indices], 0.0)
        alpha, reg = float(fold["alpha"]), float(fold["reg"])
        Yj = v.items.rows(pos[known]).astype(np.float64)
        _, A_inv = self._solve(Yj, row.data[known].astype(np.float64), alpha, reg)
        yi = v.items.rows(np.array([target]))[0].astype(np.float64)
        out[known] = (1.0 + alpha * row.data[known]) * (Yj @ (A_inv @ yi))
        return out

    # -- persistence -----------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write this variant as an artifact (manifest.json, arrays.npz, ids.json) at ``directory``."""
        a = self.artifact
        write_variant(self.variant, Path(directory), name=a.name, method=a.method, source=a.source,
                      settings=dict(a.settings))


def load_recommender(artifact: Artifact | Path, data: Interactions) -> FactorRecommender:
    """A compressed artifact (format ``factors`` or ``item-item``) as a Recommender over ``data``."""
    return FactorRecommender.load(artifact, data)
