"""The per-chunk functions batch jobs hand to a :class:`~greencart.scale.Runner`.

They are top-level (picklable) and rebuild heavy objects once per worker
process from small specs (an embedder name, reference rows), so the same code
runs in-process and on any Ray node.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_ESTIMATORS: dict[str, Any] = {}  # per worker process: spec token -> FootprintEstimator


def embed_chunk(embedder_name: str, texts: Sequence[str]) -> np.ndarray:
    """Passage vectors of ``texts`` with the embedder ``embedder_name`` (loaded once per process)."""
    from greencart.catalog.embed import load_embedder_named

    return np.asarray(load_embedder_named(embedder_name).embed(list(texts)), dtype=np.float32)


def score_chunk(job: tuple[Any, int, float], users: np.ndarray) -> list[list[str]]:
    """Top-``k`` eco-re-ranked item ids for each user index in ``users`` (seen items excluded)."""
    from greencart.recommend.rerank import eco_rerank_batch

    engine, k, alpha = job
    data = engine.model._require()
    scores = np.array(engine.model.score_users(users), dtype=np.float64)
    r, c = data.matrix[users].nonzero()
    scores[r, c] = -np.inf
    tops = eco_rerank_batch(scores, engine.green, alpha, k, pool=engine.pool)
    return [[data.item_ids[i] for i in top if i >= 0] for top in tops]


@dataclass(frozen=True)
class EstimatorSpec:
    """What a worker needs to rebuild the driver's FootprintEstimator (no model objects)."""

    reference_items: tuple[Any, ...]
    spend_factors: Mapping[str, tuple[float, str]]
    config: Any
    price_years: Mapping[str, int]
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


def estimate_chunk(spec: EstimatorSpec, products: Sequence[Any]) -> list[Any]:
    """Footprints of ``products`` (input order) by the estimator ``spec`` describes."""
    from greencart.footprint.estimate import FootprintEstimator

    estimator = _ESTIMATORS.get(spec.token)
    if estimator is None:
        _ESTIMATORS.clear()  # one job at a time per worker process
        estimator = _ESTIMATORS[spec.token] = FootprintEstimator(
            spec.reference_items, spend_factors=spec.spend_factors, config=spec.config)
    return estimator.estimate_many(products, price_years=spec.price_years)
