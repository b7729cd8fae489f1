"""The ``Recommender`` protocol every model implements, and its small value types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp

from greencart.errors import InvalidParameter
from greencart.recommend.data import Interactions

MAX_K = 1000


def check_k(k: object, high: int = MAX_K) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not (1 <= int(k) <= high):
        raise InvalidParameter(f"Expected k to be an integer in [1, {high}], got {k!r}")
    return int(k)


@dataclass(frozen=True)
class ScoredItem:
    """One recommended product and its relevance score (model units; higher is better)."""

    item_id: str
    score: float


@dataclass(frozen=True)
class Contribution:
    """A history item and how much it added to a recommendation's score."""

    item_id: str
    weight: float


@runtime_checkable
class Recommender(Protocol):
    """What every recommender does. Ids are the store's user and product ids.

    - ``fit(data)`` learns from a users x items matrix; ``update(data)`` takes a
      newer matrix over the same ids plus new ones, without a full retrain;
    - ``recommend``/``recommend_many`` rank the whole catalogue for known users,
      seen items excluded; ``recommend_from_items`` folds in a new user from a
      few session items; ``allowed`` is a boolean mask of hard filters;
    - ``similar_items``; ``explain`` names the history items behind a score;
    - ``save``/``load``: a folder with ``model.json`` and ``arrays.npz``, no pickle.
    """

    name: str
    data: Interactions | None

    def fit(self, data: Interactions) -> Recommender: ...

    def update(self, data: Interactions) -> Recommender: ...

    def score_users(self, users: np.ndarray) -> np.ndarray:
        """Scores (len(users), n_items) for known users by row index; seen items not masked."""
        ...

    def score_history(self, rows: sp.csr_matrix) -> np.ndarray:
        """Scores for arbitrary history rows (1..n x n_items): the fold-in path."""
        ...

    def recommend(
        self, user_id: str, k: int = 10, *, exclude_seen: bool = True, allowed: np.ndarray | None = None
    ) -> list[ScoredItem]: ...

    def recommend_many(
        self, user_ids: Sequence[str], k: int = 10, *, exclude_seen: bool = True, progress: bool = False
    ) -> dict[str, list[ScoredItem]]: ...

    def recommend_from_items(
        self, item_ids: Sequence[str], k: int = 10, *, allowed: np.ndarray | None = None
    ) -> list[ScoredItem]: ...

    def similar_items(self, item_id: str, k: int = 10) -> list[ScoredItem]: ...

    def explain(self, user_id: str, item_id: str, n: int = 3) -> list[Contribution]: ...

    def save(self, directory: Path) -> None: ...
