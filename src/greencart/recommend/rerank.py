"""Eco-aware re-ranking, the one convention of greencart: score = alpha x relevance + (1 - alpha) x greenness.

``alpha`` is the weight on relevance (1 = relevance only, 0 = greenest first). The
recommendations endpoint takes it as is; the chat's shopper-facing ``eco`` (the weight
on greenness) is converted once, by :func:`alpha_from_eco`. Recommendations, chat and
greener swaps all go through this module:

- relevance: the model's scores (or, for search results, their rank) over the candidate
  pool, min-max scaled to [0, 1];
- greenness in [0, 1], 1 = lowest footprint *within the same category* of the reference
  set (the catalogue: :class:`GreenScale`), on a log scale, since footprints within a
  category span orders of magnitude; then shrunk towards the neutral 0.5 where its band
  is wider than usual in that category (factor ``median width / width``): a footprint
  known only roughly (a category default among spend estimates) can neither earn nor
  lose much. **Unknown footprint: 0.5, neutral, never green**; it is never offered as a
  greener swap nor counted as a saving (:func:`known_footprint`).

Hard filters are applied before ranking, so no alpha can break them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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


def alpha_from_eco(eco_weight: float) -> float:
    """The shopper's ``eco`` (weight on greenness, 1 = lowest footprint first) as ``alpha``."""
    check_range("eco_weight", eco_weight, 0.0, 1.0)
    return 1.0 - float(eco_weight)


def known_footprint(value: Any) -> float | None:
    """A footprint in kg CO2e when it is known (a finite number >= 0), else None: an unknown
    footprint is unknown, never 0 (which would pass it off as the greenest)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        kg = float(value)
    except (TypeError, ValueError):
        return None
    return kg if np.isfinite(kg) and kg >= 0 else None


def _log_kg(kg: np.ndarray) -> np.ndarray:
    return np.log(np.where(np.isfinite(kg), np.maximum(kg, 1e-6), 1.0))


def _width(kg: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Relative band width, >= 0; inf where unknown (so it earns nothing)."""
    w = (high - low) / np.maximum(kg, 1e-9)
    return np.nan_to_num(np.maximum(w, 0.0), nan=np.inf)


@dataclass(frozen=True)
class GreenScale:
    """Per category of a reference set (the catalogue's footprints): the range of log
    kg CO2e and the usual (median) relative band width. A category with fewer than two
    known footprints has no scale: its items are neutral (0.5)."""

    lo: dict[str, float] = field(default_factory=dict)
    hi: dict[str, float] = field(default_factory=dict)
    usual_width: dict[str, float] = field(default_factory=dict)

    @classmethod
    def fit(cls, kg: np.ndarray, low: np.ndarray, high: np.ndarray, categories: np.ndarray) -> GreenScale:
        kg, cats = np.asarray(kg, dtype=np.float64), np.asarray(categories, dtype=str)
        known = np.isfinite(kg)
        logkg, width = _log_kg(kg), _width(kg, np.asarray(low, np.float64), np.asarray(high, np.float64))
        lo, hi, usual = {}, {}, {}
        for cat in np.unique(cats):
            m = (cats == cat) & known
            if m.sum() < 2:
                continue
            lo[str(cat)], hi[str(cat)] = float(logkg[m].min()), float(logkg[m].max())
            usual[str(cat)] = float(np.median(width[m]))
        return cls(lo, hi, usual)

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[str, float, float, float]]) -> GreenScale:
        """From ``(category, kg, low, high)`` rows (``store.recommend_repo.category_footprints``)."""
        cats, kg, low, high = zip(*rows) if rows else ((), (), (), ())
        return cls.fit(np.array(kg, np.float64), np.array(low, np.float64), np.array(high, np.float64),
                       np.array(cats, dtype=str))

    def covering(self, cards: Sequence[dict[str, Any]]) -> GreenScale:
        """This scale, with the categories it lacks (no stored footprints yet: estimated on the
        fly) scaled over ``cards`` themselves."""
        rows = _card_rows(cards)
        missing = {r[0] for r in rows} - set(self.lo)
        if not missing:
            return self
        extra = GreenScale.from_rows([r for r in rows if r[0] in missing])
        return GreenScale({**self.lo, **extra.lo}, {**self.hi, **extra.hi}, {**self.usual_width, **extra.usual_width})

    def greenness(self, kg: np.ndarray, low: np.ndarray, high: np.ndarray, categories: np.ndarray) -> np.ndarray:
        """Per item in [0, 1]: 1 = greenest of its category, shrunk towards 0.5 by band width."""
        kg, cats = np.asarray(kg, dtype=np.float64), np.asarray(categories, dtype=str)
        logkg, width = _log_kg(kg), _width(kg, np.asarray(low, np.float64), np.asarray(high, np.float64))
        raw, discount = np.full(len(kg), 0.5), np.zeros(len(kg))
        known = np.isfinite(kg)
        for cat in np.unique(cats):
            key = str(cat)
            m = (cats == cat) & known
            if key not in self.lo or not m.any():
                continue
            lo, hi = self.lo[key], self.hi[key]
            raw[m] = 0.5 if hi - lo < 1e-12 else np.clip((hi - logkg[m]) / (hi - lo), 0.0, 1.0)
            usual = self.usual_width[key]
            if np.isfinite(usual):  # 1 at or below the usual width (a declared figure's zero band too)
                discount[m] = np.where(width[m] <= usual, 1.0, usual / np.maximum(width[m], 1e-12))
        return 0.5 + (raw - 0.5) * discount

    def of_cards(self, cards: Sequence[dict[str, Any]]) -> np.ndarray:
        """Greenness of product cards (``footprint_kg_co2e``, ``footprint_low``/``_high``, ``category``)."""
        nan = float("nan")

        def col(key: str) -> np.ndarray:
            return np.array([v if (v := known_footprint(c.get(key))) is not None else nan for c in cards])

        kg = col("footprint_kg_co2e")
        return self.greenness(kg, col("footprint_low"), col("footprint_high"),
                              np.array([str(c.get("category") or "") for c in cards], dtype=str))


def _card_rows(cards: Sequence[dict[str, Any]]) -> list[tuple[str, float, float, float]]:
    """``(category, kg, low, high)`` of the cards whose footprint and band are known."""
    rows = []
    for c in cards:
        kg, lo, hi = (known_footprint(c.get(k)) for k in ("footprint_kg_co2e", "footprint_low", "footprint_high"))
        if kg is not None and lo is not None and hi is not None:
            rows.append((str(c.get("category") or ""), kg, lo, hi))
    return rows


def greenness(table: ItemTable, scale: GreenScale | None = None) -> np.ndarray:
    """Per item in [0, 1] (see :class:`GreenScale`), against ``scale`` or the table itself."""
    arrays = (table.footprint_kg_co2e, table.footprint_low_kg_co2e, table.footprint_high_kg_co2e, table.categories)
    return (scale or GreenScale.fit(*arrays)).greenness(*arrays)


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


def eco_order(cards: Sequence[dict[str, Any]], alpha: float, scale: GreenScale | None = None) -> list[int]:
    """The eco order of product cards already in relevance order (search or recommender
    order: relevance from rank), as indices into ``cards``; greenness against ``scale``
    (the catalogue's), or the cards themselves when there is none."""
    check_range("alpha", alpha, 0.0, 1.0)
    n = len(cards)
    if n < 2 or alpha >= 1.0:
        return list(range(n))
    scale = (scale or GreenScale()).covering(cards)
    relevance = np.arange(n, 0, -1, dtype=np.float64)
    return [r.item for r in eco_rerank(relevance, scale.of_cards(cards), alpha, n, pool=n)]


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
