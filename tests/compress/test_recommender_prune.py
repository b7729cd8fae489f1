"""Pruning: dims (SVD re-rotation or norm energy), items by interaction mass, top-k of EASE's B."""

from __future__ import annotations

import numpy as np
import pytest

from greencart.compress.recommender import (
    export_factors,
    load_recommender,
    prune_factors,
    quantise_factors,
)
from greencart.compress.recommender.prune import norm_keep, svd_rotate
from greencart.errors import InvalidParameter, NotFound
from greencart.recommend.factory import make_recommender

from .test_recommender_quantise import LowRank


def test_svd_rotation_is_exact_at_full_rank_and_best_at_lower_rank():
    m = LowRank(d=16)
    S = m.user_factors @ m.item_factors.T
    U, Y = svd_rotate(m.user_factors, m.item_factors, 16)
    assert np.allclose(U @ Y.T, S, atol=1e-3)
    U4, Y4 = svd_rotate(m.user_factors, m.item_factors, 4)
    s = np.linalg.svd(S, compute_uv=False)
    assert np.isclose(np.linalg.norm(S - U4 @ Y4.T), np.sqrt((s[4:] ** 2).sum()), rtol=1e-3)
    keep = norm_keep(m.user_factors, m.item_factors, 4)
    assert np.linalg.norm(S - m.user_factors[:, keep] @ m.item_factors[:, keep].T) > np.linalg.norm(S - U4 @ Y4.T)


@pytest.mark.parametrize("dim_method", ["svd", "norm"])
def test_keep_dims_keeps_the_requested_dimensions(tmp_path, dim_method):
    m = LowRank()
    art = prune_factors(export_factors(m, tmp_path / "o", name="o"), tmp_path / "p", keep_dims=8, dim_method=dim_method)
    rec = load_recommender(art, m.data)
    assert rec.variant.users.shape == (m.data.n_users, 8) and rec.variant.items.shape == (m.data.n_items, 8)
    assert art.params == 8 * (m.data.n_users + m.data.n_items)
    assert art.settings["dims_kept"] == 8 and art.settings["dim_method"] == dim_method


def test_pruned_items_are_never_recommended_and_coverage_loss_is_reported(tmp_path):
    m = LowRank()
    art = prune_factors(export_factors(m, tmp_path / "o", name="o"), tmp_path / "p", keep_items_fraction=0.25)
    mass = np.asarray(m.data.matrix.sum(axis=0)).ravel()
    kept = set(np.argsort(-mass, kind="stable")[:75].tolist())
    assert art.settings["items_kept"] == 75 and art.settings["coverage_loss"] == pytest.approx(0.75)
    assert 0.25 < art.settings["interaction_mass_kept"] <= 1.0
    rec = load_recommender(art, m.data)
    lists = rec.recommend_many(list(m.data.user_ids), k=50)
    recommended = {m.data.item_index(r.item_id) for recs in lists.values() for r in recs}
    assert recommended and recommended <= kept
    pruned = next(i for i in range(m.data.n_items) if i not in kept)
    assert not np.isfinite(rec.score_users(np.array([0]))[0, pruned])
    with pytest.raises(NotFound, match="was pruned from compressed model"):
        rec.similar_items(m.data.item_ids[pruned])


def test_pruning_then_quantising_keeps_the_item_mask(tmp_path):
    m = LowRank()
    p = prune_factors(export_factors(m, tmp_path / "o", name="o"), tmp_path / "p", keep_items_fraction=0.5, keep_dims=8)
    q = quantise_factors(p, tmp_path / "q", scheme="int8")
    assert q.settings["items_kept"] == 150 and q.settings["dims_kept"] == 8
    rec = load_recommender(q, m.data)
    assert np.isinf(rec.score_users(np.array([1]))).sum() == 150


def test_ease_top_k_per_column_and_item_pruning(tmp_path):
    from tests.recommend.conftest import ITEMS_A, ITEMS_B, planted_interactions

    from greencart.recommend.data import EventLog, build_interactions

    data = build_interactions(EventLog.from_interactions(planted_interactions()), item_ids=ITEMS_A + ITEMS_B)
    ease = make_recommender("ease").fit(data)
    orig = export_factors(ease, tmp_path / "e", name="ease")
    top = prune_factors(orig, tmp_path / "t", keep_per_column=9)
    assert (top.params, top.params_nonzero) == (400, 9 * 20)
    rec = load_recommender(top, data)
    assert {r.item_id for r in rec.recommend("A3", k=3)} <= set(ITEMS_A)
    half = prune_factors(orig, tmp_path / "h", keep_items_fraction=0.5)
    served = load_recommender(half, data).recommend_many(list(data.user_ids), k=3)
    kept = {data.item_ids[i] for i in load_recommender(half, data).variant.kept_items}
    assert all({r.item_id for r in recs} <= kept for recs in served.values())


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "Expected at least one of keep_dims"),
    ({"keep_dims": 0}, r"keep_dims to be an integer in \[1, 32\]"),
    ({"keep_dims": 33}, r"keep_dims to be an integer in \[1, 32\]"),
    ({"keep_items_fraction": 0.0}, r"keep_items_fraction in \(0, 1\]"),
    ({"keep_items_fraction": 1.5}, r"keep_items_fraction in \(0, 1\]"),
    ({"keep_dims": 4, "dim_method": "pca"}, "Expected dim_method in"),
    ({"keep_per_column": 5}, "keep_per_column only for an item-item"),
])
def test_bad_pruning_arguments(tmp_path, kwargs, message):
    orig = export_factors(LowRank(), tmp_path / "o", name="o")
    with pytest.raises(InvalidParameter, match=message):
        prune_factors(orig, tmp_path / "bad", **kwargs)
    assert not (tmp_path / "bad").exists()
