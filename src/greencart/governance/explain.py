"""Explanations that are checked.

- :func:`explain_recommendation`: which history items made a recommendation, from
  the model's own decomposition of its score (item-item weights for ItemKNN/EASE,
  the ALS closed form ``c_uj y_i^T A_u^-1 y_j`` for factor models).
- :func:`deletion_test`: faithfulness. For each sampled shopper, the top
  recommendation is re-scored without its top-k contributing history items and
  without k random ones (several draws); the explanation is faithful for that
  case when the top-k removal lowers the score more. The rate over cases is the
  figure to quote (0.5 = no better than chance).
- :func:`explain_footprint`: why a product's figure is what it is (method, factor,
  class confidence, band), in plain words from the stored estimate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from greencart.errors import InvalidParameter, check_range

METHOD_BY_MODEL = {"itemknn": "item-item similarity x history weight (exact decomposition)",
                   "ease": "EASE item-item weight x history weight (exact decomposition)",
                   "als": "ALS closed form c_uj * y_i^T A_u^-1 y_j (exact for the folded-in user)",
                   "bpr": "factor dot products (approximate for BPR)"}


@dataclass(frozen=True)
class Attribution:
    item_id: str
    contribution: float  # model score units
    share: float  # of the sum of positive contributions


@dataclass(frozen=True)
class RecommendationExplanation:
    user_id: str
    item_id: str
    score: float
    method: str
    attributions: tuple[Attribution, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "attributions": [asdict(a) for a in self.attributions]}


def _row(model: Any, user_id: str) -> sp.csr_matrix:
    data = model._require()
    return sp.csr_matrix(data.matrix[[data.user_index(user_id)]], dtype=np.float32)


def explain_recommendation(model: Any, user_id: str, item_id: str, n: int = 5) -> RecommendationExplanation:
    """The ``n`` history items that added most to ``item_id``'s score for ``user_id``."""
    check_range("n", n, 1, 1000)
    data = model._require()
    row, item = _row(model, user_id), data.item_index(item_id)
    contrib = np.asarray(model._contributions(row, item), dtype=np.float64) if row.nnz else np.zeros(0)
    positive = float(contrib[contrib > 0].sum()) or 1.0
    order = np.argsort(-contrib, kind="stable")[:n]
    attributions = tuple(Attribution(data.item_ids[row.indices[j]], float(contrib[j]), float(contrib[j] / positive))
                         for j in order if contrib[j] > 0)
    score = float(model.score_history(row)[0, item])
    return RecommendationExplanation(user_id, item_id, score, METHOD_BY_MODEL.get(model.name, "contributions"),
                                     attributions)


@dataclass(frozen=True)
class DeletionTestConfig:
    k: int = 2
    random_draws: int = 10
    max_cases: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        check_range("k", self.k, 1, 100)
        check_range("random_draws", self.random_draws, 1, 1000)
        check_range("max_cases", self.max_cases, 1, 1_000_000)


@dataclass(frozen=True)
class DeletionTestResult:
    model: str
    k: int
    cases: int
    faithful_rate: float  # share of cases where top-k removal lowered the score more than random removal
    mean_drop_top_k: float
    mean_drop_random_k: float
    method: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _without(row: sp.csr_matrix, positions: np.ndarray) -> sp.csr_matrix:
    out = row.copy()
    out.data[positions] = 0.0
    out.eliminate_zeros()
    return out


def _case(model: Any, row: sp.csr_matrix, k: int, draws: int, rng: np.random.Generator) -> tuple[float, float]:
    """(drop after removing the top-k contributors, mean drop after removing k random items)
    for the user's top recommendation (seen items excluded)."""
    scores = np.asarray(model.score_history(row), dtype=np.float64)[0]
    scores[row.indices] = -np.inf
    item = int(np.argmax(scores))
    base = scores[item]
    contrib = np.asarray(model._contributions(row, item), dtype=np.float64)
    top = np.argsort(-contrib, kind="stable")[:k]
    rows = [_without(row, top)] + [_without(row, rng.choice(row.nnz, size=k, replace=False)) for _ in range(draws)]
    after = np.asarray(model.score_history(sp.vstack(rows).tocsr()), dtype=np.float64)[:, item]
    return float(base - after[0]), float(np.mean(base - after[1:]))


def deletion_test(model: Any, config: DeletionTestConfig | None = None) -> DeletionTestResult:
    """Faithfulness of the model's attributions over sampled shoppers with more than k+1 items."""
    cfg = config or DeletionTestConfig()
    data = model._require()
    sizes = np.diff(data.matrix.tocsr().indptr)
    eligible = np.flatnonzero(sizes > cfg.k + 1)
    if len(eligible) == 0:
        raise InvalidParameter(f"Expected shoppers with more than {cfg.k + 1} history items for a deletion test, "
                               f"got none")
    rng = np.random.default_rng(cfg.seed)
    users = rng.choice(eligible, size=min(cfg.max_cases, len(eligible)), replace=False)
    tops, rands = [], []
    for u in users:
        row = sp.csr_matrix(data.matrix[[int(u)]], dtype=np.float32)
        top, rand = _case(model, row, cfg.k, cfg.random_draws, rng)
        tops.append(top)
        rands.append(rand)
    tops_a, rands_a = np.array(tops), np.array(rands)
    return DeletionTestResult(model.name, cfg.k, len(users), float(np.mean(tops_a > rands_a + 1e-9)),
                              float(tops_a.mean()), float(rands_a.mean()),
                              METHOD_BY_MODEL.get(model.name, "contributions"))


# -- footprints -------------------------------------------------------------------------------------

_METHOD_WORDS = {
    "declared": "the merchant declared this figure for the product",
    "reference": "it is taken from the most similar product with a published, company-reported footprint "
                 "(the Carbon Catalogue), scaled by weight",
    "spend": "it is estimated from the price: the price in 2021 US dollars times an emission factor per "
             "dollar for the product's industry (a spend-based estimate)",
    "category-default": "nothing better was known, so it is a typical figure for the product's category",
}


def explain_footprint(footprint: Any, title: str = "this product") -> dict[str, Any]:
    """Plain words for a stored :class:`~greencart.footprint.models.Footprint`: what the number
    is, how it was obtained, the factor and class, how sure the class is, and the band."""
    from greencart.footprint.factors import commodity_by_code

    method = footprint.method
    if method not in _METHOD_WORDS:
        raise InvalidParameter(f"Expected a footprint method in {tuple(_METHOD_WORDS)}, got {method!r}")
    parts = [(f"{title}: about {footprint.kg_co2e:.3g} kg CO2e per unit sold. Why this figure: "
             f"{_METHOD_WORDS[method]}.")]
    factor = None
    commodity = commodity_by_code().get(footprint.commodity_code or "")
    if commodity is not None and method in ("spend", "category-default"):
        factor = commodity.kg_co2e_per_usd_2021
        parts.append(f"Industry class: NAICS {commodity.code} ({commodity.title}), factor {factor:g} kg CO2e "
                     f"per 2021 USD (US EPA Supply Chain GHG Emission Factors).")
    if method != "declared":
        sure = "very sure" if footprint.confidence >= 0.9 else "fairly sure" if footprint.confidence >= 0.6 \
            else "unsure"
        parts.append(f"How sure we are of the class or match: {footprint.confidence:.2f} ({sure}); "
                     f"lower confidence widens the band.")
    ratio = footprint.high_kg_co2e / footprint.low_kg_co2e if footprint.low_kg_co2e > 0 else float("inf")
    parts.append(f"The true figure most likely (about 8 times in 10) lies between {footprint.low_kg_co2e:.3g} and "
                 f"{footprint.high_kg_co2e:.3g} kg CO2e (a {ratio:.3g}x spread).")
    return {"text": " ".join(parts), "method": method, "kg_co2e": footprint.kg_co2e,
            "low_kg_co2e": footprint.low_kg_co2e, "high_kg_co2e": footprint.high_kg_co2e,
            "confidence": footprint.confidence, "commodity_code": footprint.commodity_code,
            "factor_kg_co2e_per_usd_2021": factor, "source": footprint.source}
