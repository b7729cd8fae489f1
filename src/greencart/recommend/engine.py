"""A fitted model plus the item table: filtered, eco-re-ranked, explained top-k,
and greener swaps. No database here: :mod:`greencart.recommend.service` builds it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from greencart.errors import InvalidParameter, check_range
from greencart.recommend.base import BaseRecommender
from greencart.recommend.content import ContentVectors
from greencart.recommend.explain import reason
from greencart.recommend.itemtable import ItemTable
from greencart.recommend.protocol import Contribution, check_k
from greencart.recommend.rerank import DEFAULT_ALPHA, DEFAULT_POOL, eco_rerank, greenness

MAX_K = 100


@dataclass(frozen=True)
class Recommendation:
    id: str
    title: str
    price: float
    currency: str
    category: str
    score: float
    relevance: float
    greenness: float
    footprint_kg_co2e: float | None
    footprint_low: float | None
    footprint_high: float | None
    footprint_method: str
    reason: str
    because: list[str] = field(default_factory=list)
    moved_by_footprint: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Swap:
    id: str
    title: str
    price: float
    footprint_kg_co2e: float
    footprint_low: float
    footprint_high: float
    footprint_method: str
    saving_kg_co2e: float
    saving_low_kg_co2e: float  # low of original minus high of swap: > 0 means a sure saving
    saving_high_kg_co2e: float
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _num(x: float) -> float | None:
    return round(float(x), 4) if np.isfinite(x) else None


class RecommendEngine:
    def __init__(self, model: BaseRecommender, table: ItemTable, *, default_alpha: float = DEFAULT_ALPHA,
                 pool: int = DEFAULT_POOL, content: ContentVectors | None = None) -> None:
        check_range("default_alpha", default_alpha, 0.0, 1.0)
        data = model._require()
        if tuple(table.item_ids) != tuple(data.item_ids):
            raise InvalidParameter("Expected the item table to follow the model's item order")
        self.model, self.table = model, table
        self.default_alpha, self.pool = default_alpha, pool
        self.content = content
        self.green = greenness(table)
        self.popularity = np.log1p(np.bincount(data.matrix.indices, minlength=data.n_items)).astype(np.float64)

    def history(self, user_id: str | None, items: Sequence[str] | None) -> sp.csr_matrix:
        data = self.model._require()
        if user_id is not None and data.has_user(user_id):
            return data.matrix[[data.user_index(user_id)]]
        return self.model.history_row(items or [])

    def relevance(self, user_id: str | None, row: sp.csr_matrix) -> np.ndarray:
        data = self.model._require()
        if user_id is not None and data.has_user(user_id):
            scores = self.model.score_users(np.array([data.user_index(user_id)]))[0]
        elif row.nnz:
            scores = self.model.score_history(row)[0]
        else:  # a new shopper with no history: popularity
            scores = self.popularity.copy()
        scores = np.asarray(scores, dtype=np.float64)
        if self.content is not None and row.nnz:
            scores = self.content.fill_cold(scores, row)  # never-bought products, by their text
        return scores

    def recommend(self, user_id: str | None, k: int = 10, *, alpha: float | None = None,
                  category: str | None = None, max_price: float | None = None,
                  session_items: Sequence[str] | None = None) -> list[Recommendation]:
        """Top-k for a known user, or from ``session_items`` (fold-in), or by popularity."""
        k = check_k(k, MAX_K)
        alpha = self.default_alpha if alpha is None else alpha
        check_range("alpha", alpha, 0.0, 1.0)
        if max_price is not None:
            check_range("max_price", max_price, 0.0, 1e12)
        row = self.history(user_id, session_items)
        rel = self.relevance(user_id, row)
        rel[row.indices] = -np.inf  # seen items excluded
        allowed = self.table.allowed(category=category, max_price=max_price)
        if allowed is not None:
            rel[~allowed] = -np.inf
        ranked = eco_rerank(rel, self.green, alpha, k, pool=self.pool)
        weights = {self.table.item_ids[j]: float(w) for j, w in zip(row.indices, row.data)}
        out = []
        for pos, r in enumerate(ranked):
            contrib = self._contributions(row, r.item)
            moved = alpha < 1.0 and pos < r.relevance_rank  # only greenness can promote an item
            out.append(self._card(r, reason(contrib, self.table, weights, r.item, moved),
                                  [c.item_id for c in contrib], moved))
        return out

    def _contributions(self, row: sp.csr_matrix, item: int) -> list[Contribution]:
        """The history behind ``item``: the model's shares, or for a never-bought product the
        history items closest in text (the content path that put it there)."""
        if not row.nnz:
            return []
        if self.content is not None and self.content.cold[item]:
            ids = self.table.item_ids
            return [Contribution(ids[j], w) for j, w in self.content.closest(row, item)]
        return self.model.explain_history(row, item, 2)

    def _card(self, r: Any, text: str, because: list[str], moved: bool) -> Recommendation:
        t, i = self.table, r.item
        return Recommendation(
            id=t.item_ids[i], title=t.titles[i], price=float(t.price[i]), currency=t.currency[i],
            category=str(t.categories[i]), score=round(r.score, 6), relevance=round(r.relevance, 6),
            greenness=round(r.greenness, 4), footprint_kg_co2e=_num(t.footprint_kg_co2e[i]),
            footprint_low=_num(t.footprint_low_kg_co2e[i]),
            footprint_high=_num(t.footprint_high_kg_co2e[i]), footprint_method=t.footprint_method[i],
            reason=text, because=because, moved_by_footprint=moved,
        )

    def greener(self, product_id: str, k: int = 5, *, max_price: float | None = None) -> list[Swap]:
        """Same-need alternatives with a lower footprint, most similar and biggest saving first."""
        k = check_k(k, MAX_K)
        t = self.table
        i = t.index(product_id)
        kg = t.footprint_kg_co2e
        if not np.isfinite(kg[i]):
            return []
        same = t.need == t.need[i]
        if same.sum() < 2:
            same = t.categories == t.categories[i]
        mask = same & np.isfinite(kg) & (kg < kg[i])
        mask[i] = False
        if max_price is not None:
            mask &= np.nan_to_num(t.price, nan=np.inf) <= max_price
        cand = np.flatnonzero(mask)
        if cand.size == 0:
            return []
        sim = np.asarray(self.model._similar(i), dtype=np.float64)[cand]
        sim_s = (sim - sim.min()) / (sim.max() - sim.min()) if sim.max() > sim.min() else np.ones_like(sim)
        saving = kg[i] - kg[cand]
        order = np.argsort(-(0.5 * sim_s + 0.5 * saving / kg[i]), kind="stable")[:k]
        return [self._swap(i, int(cand[j]), float(sim[j])) for j in order]

    def _swap(self, i: int, c: int, sim: float) -> Swap:
        t = self.table
        return Swap(
            id=t.item_ids[c], title=t.titles[c], price=float(t.price[c]),
            footprint_kg_co2e=round(float(t.footprint_kg_co2e[c]), 4),
            footprint_low=round(float(t.footprint_low_kg_co2e[c]), 4),
            footprint_high=round(float(t.footprint_high_kg_co2e[c]), 4),
            footprint_method=t.footprint_method[c],
            saving_kg_co2e=round(float(t.footprint_kg_co2e[i] - t.footprint_kg_co2e[c]), 4),
            saving_low_kg_co2e=round(float(t.footprint_low_kg_co2e[i] - t.footprint_high_kg_co2e[c]), 4),
            saving_high_kg_co2e=round(float(t.footprint_high_kg_co2e[i] - t.footprint_low_kg_co2e[c]), 4),
            similarity=round(sim, 6),
        )
