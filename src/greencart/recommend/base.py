"""What every model shares: top-k with seen items excluded, batching, fold-in,
explanations, incremental updates and persistence. Subclasses implement the
``_fit``/``_score``/``_similar``/``_arrays`` hooks on index space."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from greencart.errors import InvalidParameter, ModelUnavailable
from greencart.recommend.data import Interactions
from greencart.recommend.persist import csr_from_arrays, csr_to_arrays, read_model, write_model
from greencart.recommend.protocol import Contribution, ScoredItem, check_k

BATCH_USERS = 1024


def top_k(scores: np.ndarray, k: int, *, exclude: sp.csr_matrix | None = None,
          allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top-k of ``scores`` (n, items) -> (indices, scores), best first.
    Excluded and disallowed items get -inf and are dropped from the output rows."""
    scores = np.array(scores, dtype=np.float64, copy=True)
    if exclude is not None and exclude.nnz:
        r, c = exclude.nonzero()
        scores[r, c] = -np.inf
    if allowed is not None:
        scores[:, ~allowed] = -np.inf
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-part_scores, axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(part_scores, order, axis=1)


class BaseRecommender:
    name: ClassVar[str] = "base"
    params_type: ClassVar[type]

    def __init__(self, params: Any = None, **kwargs: Any) -> None:
        if params is None:
            params = self.params_type(**kwargs)
        elif kwargs:
            raise InvalidParameter("Pass either a params object or keyword arguments, not both")
        self.params = params
        self.data: Interactions | None = None

    # -- hooks ---------------------------------------------------------------
    def _fit(self, X: sp.csr_matrix) -> None:
        raise NotImplementedError

    def _score(self, rows: sp.csr_matrix, users: np.ndarray | None) -> np.ndarray:
        """Scores (len(rows), n_items); ``users`` are known row indices or None (fold-in)."""
        raise NotImplementedError

    def _similar(self, item: int) -> np.ndarray:
        raise NotImplementedError

    def _contributions(self, row: sp.csr_matrix, item: int) -> np.ndarray:
        """Per history item (``row.indices``) its share of the score of ``item``."""
        return row.data * self._similar(item)[row.indices]

    def _update(self, X: sp.csr_matrix, old_users: int, old_items: int) -> None:
        self._fit(X)

    def _arrays(self) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def _restore(self, arrays: dict[str, np.ndarray]) -> None:
        raise NotImplementedError

    # -- training --------------------------------------------------------------
    def fit(self, data: Interactions) -> BaseRecommender:
        if data.n_items == 0:
            raise InvalidParameter("Expected at least one item to fit a recommender, got none")
        self.data = data
        self._fit(data.matrix.tocsr().astype(np.float32))
        return self

    def update(self, data: Interactions) -> BaseRecommender:
        """Take a newer matrix whose ids extend the fitted ones (new users and items appended)."""
        old = self._require()
        if data.user_ids[: old.n_users] != old.user_ids or data.item_ids[: old.n_items] != old.item_ids:
            raise InvalidParameter(
                "Expected the update's user and item ids to start with the fitted ones "
                "(build it with build_interactions(log, user_ids=model.data.user_ids, item_ids=model.data.item_ids))"
            )
        self.data = data
        self._update(data.matrix.tocsr().astype(np.float32), old.n_users, old.n_items)
        return self

    def _require(self) -> Interactions:
        if self.data is None:
            raise ModelUnavailable(f"The {self.name} recommender is not fitted: call fit() or load() first")
        return self.data

    # -- scoring -------------------------------------------------------------
    def score_users(self, users: np.ndarray) -> np.ndarray:
        data = self._require()
        users = np.asarray(users, dtype=np.int64)
        return self._score(data.matrix[users], users)

    def score_history(self, rows: sp.csr_matrix) -> np.ndarray:
        self._require()
        return self._score(sp.csr_matrix(rows, dtype=np.float32), None)

    def _items(self, idx: np.ndarray, scores: np.ndarray) -> list[ScoredItem]:
        ids = self._require().item_ids
        return [ScoredItem(ids[i], float(s)) for i, s in zip(idx, scores) if np.isfinite(s)]

    def recommend(self, user_id: str, k: int = 10, *, exclude_seen: bool = True,
                  allowed: np.ndarray | None = None) -> list[ScoredItem]:
        k = check_k(k)
        data = self._require()
        u = data.user_index(user_id)
        scores = self.score_users(np.array([u]))
        idx, sc = top_k(scores, k, exclude=data.matrix[[u]] if exclude_seen else None, allowed=allowed)
        return self._items(idx[0], sc[0])

    def recommend_many(self, user_ids: Sequence[str], k: int = 10, *, exclude_seen: bool = True,
                       progress: bool = False) -> dict[str, list[ScoredItem]]:
        """Top-k for many known users, scored in batches (with a progress bar if asked)."""
        k = check_k(k)
        data = self._require()
        users = np.array([data.user_index(u) for u in user_ids], dtype=np.int64)
        out: dict[str, list[ScoredItem]] = {}
        for start in _batches(len(users), progress):
            batch = users[start : start + BATCH_USERS]
            idx, sc = top_k(self.score_users(batch), k, exclude=data.matrix[batch] if exclude_seen else None)
            for row, u in enumerate(batch):
                out[data.user_ids[u]] = self._items(idx[row], sc[row])
        return out

    def history_row(self, item_ids: Sequence[str], weights: Sequence[float] | None = None) -> sp.csr_matrix:
        data = self._require()
        idx = data.item_indices(item_ids)
        w = np.ones(len(idx), dtype=np.float32) if weights is None else np.asarray(weights, np.float32)[: len(idx)]
        return sp.csr_matrix((w, (np.zeros(len(idx), dtype=np.int64), idx)), shape=(1, data.n_items))

    def recommend_from_items(self, item_ids: Sequence[str], k: int = 10, *,
                             allowed: np.ndarray | None = None) -> list[ScoredItem]:
        """A new user's top-k from a few session items (fold-in), those items excluded."""
        k = check_k(k)
        row = self.history_row(item_ids)
        if row.nnz == 0:
            raise InvalidParameter(f"Expected at least one known product among {list(item_ids)[:5]!r}")
        idx, sc = top_k(self.score_history(row), k, exclude=row, allowed=allowed)
        return self._items(idx[0], sc[0])

    def similar_items(self, item_id: str, k: int = 10) -> list[ScoredItem]:
        k = check_k(k)
        data = self._require()
        i = data.item_index(item_id)
        scores = self._similar(i).astype(np.float64)[None, :]
        scores[0, i] = -np.inf
        idx, sc = top_k(scores, k)
        return self._items(idx[0], sc[0])

    def explain(self, user_id: str, item_id: str, n: int = 3) -> list[Contribution]:
        """The user's history items that added most to ``item_id``'s score (positive shares only)."""
        n = check_k(n)
        data = self._require()
        row = data.matrix[[data.user_index(user_id)]]
        return self.explain_history(row, data.item_index(item_id), n)

    def explain_history(self, row: sp.csr_matrix, item: int, n: int = 3) -> list[Contribution]:
        data = self._require()
        row = sp.csr_matrix(row)
        if row.nnz == 0:
            return []
        contrib = np.asarray(self._contributions(row, item), dtype=np.float64)
        order = np.argsort(-contrib, kind="stable")[:n]
        return [Contribution(data.item_ids[row.indices[j]], float(contrib[j])) for j in order if contrib[j] > 0]

    # -- persistence -----------------------------------------------------------
    def save(self, directory: Path) -> None:
        data = self._require()
        arrays = {
            "user_ids": np.array(data.user_ids, dtype=str),
            "item_ids": np.array(data.item_ids, dtype=str),
            **csr_to_arrays("user_items", data.matrix),
            **self._arrays(),
        }
        write_model(Path(directory), {"model": self.name, "params": asdict(self.params),
                                      "n_users": data.n_users, "n_items": data.n_items}, arrays)

    @classmethod
    def from_saved(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> BaseRecommender:
        model = cls(cls.params_type(**meta["params"]))
        model.data = Interactions(
            csr_from_arrays("user_items", arrays).astype(np.float32),
            tuple(arrays["user_ids"].tolist()),
            tuple(arrays["item_ids"].tolist()),
        )
        model._restore(arrays)
        return model


def _batches(n: int, progress: bool) -> Any:
    starts = range(0, n, BATCH_USERS)
    if not progress:
        return starts
    from tqdm import tqdm

    return tqdm(starts, desc="Scoring users", unit="batch")


def load_recommender(directory: Path) -> BaseRecommender:
    """A saved model of any kind (see :mod:`greencart.recommend.factory`)."""
    from greencart.recommend.factory import model_class

    meta, arrays = read_model(Path(directory))
    return model_class(meta["model"]).from_saved(meta, arrays)
