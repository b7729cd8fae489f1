"""Metrics against hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from greencart.errors import InvalidParameter
from greencart.recommend import metrics as M


def truth(rows, n_items):
    r = [u for u, items in enumerate(rows) for _ in items]
    c = [i for items in rows for i in items]
    return sp.csr_matrix((np.ones(len(c)), (r, c)), shape=(len(rows), n_items))


def test_recall_ndcg_hr_by_hand():
    # user 0: relevant {1, 3}; list [1, 0, 3, 2, ...]: hits at ranks 1 and 3
    top = np.array([[1, 0, 3, 2, 4, 5, 6, 7, 8, 9]])
    t = truth([[1, 3]], 10)
    m = M.ranking_metrics(top, t, ks=(2, 10))
    assert m["recall_at_2"][0] == pytest.approx(0.5)
    assert m["recall_at_10"][0] == pytest.approx(1.0)
    ideal = 1 + 1 / math.log2(3)
    assert m["ndcg_at_2"][0] == pytest.approx(1 / ideal)
    assert m["ndcg_at_10"][0] == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert m["hr_at_2"][0] == 1.0


def test_no_hit_and_padding():
    top = np.array([[0, 1, -1, -1]])
    m = M.ranking_metrics(top, truth([[3]], 4), ks=(4,))
    assert m["recall_at_4"][0] == 0 and m["ndcg_at_4"][0] == 0 and m["hr_at_4"][0] == 0


def test_lists_shorter_than_k_are_rejected():
    with pytest.raises(InvalidParameter, match="at least 20"):
        M.ranking_metrics(np.zeros((1, 10), dtype=int), truth([[1]], 10), ks=(10, 20))


def test_mrr_and_auc_full_ranking_with_seen_excluded():
    # items 0..4; item 4 seen (-inf); relevant {2}; order 0 > 2 > 1 > 3
    scores = np.array([[0.9, 0.3, 0.5, 0.1, -np.inf]])
    out = M.mrr_and_auc(scores, truth([[2]], 5))
    assert out["mrr"][0] == pytest.approx(0.5)
    # negatives among unseen: 0, 1, 3; relevant beats 1 and 3 -> 2/3
    assert out["auc"][0] == pytest.approx(2 / 3)


def test_auc_ties_count_half():
    scores = np.array([[1.0, 1.0, 0.0]])
    assert M.mrr_and_auc(scores, truth([[0]], 3))["auc"][0] == pytest.approx(0.75)


def test_coverage_popularity_and_footprint():
    tops = np.array([[0, 1], [0, 2]])
    assert M.coverage(tops, 10) == pytest.approx(0.3)
    train = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 0, 0, 0], [1, 0, 1, 0]], dtype=float))
    # popularity counts 3, 1, 1, 0 -> percentiles 1, 0.5, 0.5, 0
    assert M.popularity_percentile(np.array([[0, 3]]), train) == pytest.approx(0.5)
    kg = np.array([1.0, 3.0, np.nan, 5.0])
    assert M.mean_footprint(np.array([[0, 1], [2, 3]]), kg) == pytest.approx((2.0 + 5.0) / 2)


def test_top_items_marks_missing():
    scores = np.array([[0.1, -np.inf, 0.5]])
    assert M.top_items(scores, 3).tolist() == [[2, 0, -1]]
