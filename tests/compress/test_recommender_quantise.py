"""Quantised factor and item-item codecs: error bounds, ranking agreement, round trips, bad arguments."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from greencart.compress.artifact import Artifact
from greencart.compress.recommender import export_factors, load_recommender, quantise_factors
from greencart.compress.recommender.codecs import DenseRows, Int8Rows, PQRows
from greencart.compress.recommender.itemitem import DenseItemItem, Int8Columns, TopKColumns
from greencart.errors import InvalidParameter
from greencart.recommend.data import Interactions


class LowRank:
    """A fitted-looking factor model on random low-rank data (what export_factors reads)."""

    name = "als"
    fold_alpha, fold_reg = 1.0, 0.1

    def __init__(self, n_users: int = 120, n_items: int = 300, d: int = 32, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.user_factors = rng.standard_normal((n_users, d)).astype(np.float32)
        self.item_factors = (rng.standard_normal((n_items, 4)) @ rng.standard_normal((4, d))
                             + 0.3 * rng.standard_normal((n_items, d))).astype(np.float32)
        X = sp.random(n_users, n_items, density=0.03, random_state=seed, format="csr", dtype=np.float32)
        X.data[:] = 1.0
        self.data = Interactions(X, tuple(f"u{i}" for i in range(n_users)), tuple(f"i{j}" for j in range(n_items)))


def test_float16_error_is_within_half_precision():
    M = np.random.default_rng(1).standard_normal((50, 16)).astype(np.float32)
    err = np.abs(DenseRows(M.astype(np.float16)).rows(np.arange(50)) - M)
    assert err.max() <= np.abs(M).max() * 2.0**-11 + 1e-7


def test_int8_per_row_error_is_at_most_half_a_step():
    M = np.random.default_rng(2).standard_normal((60, 24)).astype(np.float32) * np.arange(1, 61)[:, None]
    q = Int8Rows.encode(M)
    err = np.abs(q.rows(np.arange(60)) - M).max(axis=1)
    assert np.all(err <= q.scale / 2 + 1e-6)
    assert np.allclose(q.scale, np.abs(M).max(axis=1) / 127)


def test_int8_handles_an_all_zero_row():
    q = Int8Rows.encode(np.zeros((2, 4), dtype=np.float32))
    assert np.all(q.rows(np.arange(2)) == 0)


def test_pq_error_decreases_with_more_subspaces():
    Y = LowRank(n_items=600).item_factors
    errs = [np.linalg.norm(PQRows.encode(Y, m, 6).rows(np.arange(600)) - Y) for m in (1, 4, 16)]
    assert errs[0] > errs[1] > errs[2]


def test_pq_scores_by_lookup_tables_equal_decoded_matmul():
    Y = LowRank().item_factors
    pq = PQRows.encode(Y, 8, 5)
    U = np.random.default_rng(3).standard_normal((7, 32)).astype(np.float32)
    assert np.allclose(pq.scores(U), U @ pq.rows(np.arange(Y.shape[0])).T, atol=1e-3)


def _overlap(a: np.ndarray, b: np.ndarray, k: int = 10) -> float:
    ta, tb = np.argsort(-a, axis=1)[:, :k], np.argsort(-b, axis=1)[:, :k]
    return float(np.mean([len(set(x) & set(y)) / k for x, y in zip(ta, tb)]))


@pytest.mark.parametrize(("scheme", "least"), [("float16", 0.98), ("int8", 0.9), ("pq", 0.6)])
def test_quantised_scores_keep_the_ranking(tmp_path, scheme, least):
    model = LowRank()
    art = quantise_factors(export_factors(model, tmp_path / "orig", name="orig"), tmp_path / scheme, scheme=scheme)
    rec = load_recommender(art, model.data)
    users = np.arange(model.data.n_users)
    exact = model.user_factors @ model.item_factors.T
    assert _overlap(rec.score_users(users), exact) >= least


def test_quantised_artifacts_are_smaller_and_say_how(tmp_path):
    orig = export_factors(LowRank(n_items=1500), tmp_path / "orig", name="orig")
    sizes = {s: quantise_factors(orig, tmp_path / s, scheme=s, pq_bits=6).size_bytes() for s in ("float16", "int8", "pq")}
    assert sizes["pq"] < sizes["int8"] < sizes["float16"] < orig.size_bytes()
    again = Artifact.load(tmp_path / "pq")
    assert (again.method, again.format, again.source) == ("pq", "factors", "orig")
    assert again.settings["pq_subspaces"] == 8 and again.settings["user_encoding"] == "float16"


def test_item_item_codecs_score_like_dense():
    rng = np.random.default_rng(4)
    B = rng.standard_normal((80, 80)).astype(np.float32)
    X = sp.random(30, 80, density=0.1, random_state=4, format="csr", dtype=np.float32)
    exact = X @ B
    assert np.allclose(DenseItemItem(B.astype(np.float16)).scores(X), exact, atol=0.05)
    q = Int8Columns.encode(B)
    assert np.all(np.abs(q.codes * q.scale - B) <= q.scale / 2 + 1e-6)
    assert np.allclose(q.scores(X), exact, atol=0.2)
    full = TopKColumns.encode(B, 80)
    assert np.allclose(full.scores(X), exact, atol=1e-4)
    top5 = TopKColumns.encode(B, 5)
    assert top5.matrix.nnz == 5 * 80
    kept = np.abs(top5.matrix.toarray()) > 0
    assert np.all(np.abs(B)[kept].min() >= np.sort(np.abs(B), axis=0)[-5].min() - 1e-6)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"scheme": "int4"}, "Expected scheme in"),
    ({"scheme": "pq", "pq_subspaces": 5}, "pq_subspaces to divide the factor dimension 32"),
    ({"scheme": "pq", "pq_bits": 0}, r"pq_bits to be an integer in \[1, 16\]"),
])
def test_bad_quantisation_arguments(tmp_path, kwargs, message):
    orig = export_factors(LowRank(), tmp_path / "orig", name="orig")
    with pytest.raises(InvalidParameter, match=message):
        quantise_factors(orig, tmp_path / "bad", **kwargs)
    assert not (tmp_path / "bad").exists()


def test_quantising_twice_is_refused(tmp_path):
    orig = export_factors(LowRank(), tmp_path / "orig", name="orig")
    q = quantise_factors(orig, tmp_path / "q", scheme="int8")
    with pytest.raises(InvalidParameter, match="Expected a float source to quantise"):
        quantise_factors(q, tmp_path / "qq", scheme="pq")
