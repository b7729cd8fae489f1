"""Distillation on a planted task: a true low-rank preference model (the teacher) and
only a few observed interactions per user. The student distilled from the teacher must
rank the true preferences clearly better than the same student trained without it."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from greencart.compress.recommender import distil, load_recommender
from greencart.compress.recommender.store import read_variant
from greencart.errors import InvalidParameter
from greencart.recommend.data import Interactions

N_USERS, N_ITEMS, RANK, OBSERVED = 300, 120, 3, 3


class Oracle:
    """The true preference model: scores = U V^T."""

    name = "oracle"

    def __init__(self, data: Interactions, prefs: np.ndarray) -> None:
        self.data, self.prefs = data, prefs

    def score_users(self, users: np.ndarray) -> np.ndarray:
        return self.prefs[users]


@pytest.fixture(scope="module")
def planted() -> tuple[Interactions, np.ndarray]:
    rng = np.random.default_rng(7)
    prefs = rng.standard_normal((N_USERS, RANK)) @ rng.standard_normal((RANK, N_ITEMS))
    rows, cols = [], []
    for u in range(N_USERS):
        p = np.exp(2.0 * prefs[u]); p /= p.sum()
        rows += [u] * OBSERVED
        cols += rng.choice(N_ITEMS, size=OBSERVED, replace=False, p=p).tolist()
    X = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(N_USERS, N_ITEMS))
    data = Interactions(X, tuple(f"u{i}" for i in range(N_USERS)), tuple(f"i{j}" for j in range(N_ITEMS)))
    return data, prefs


def true_ndcg(scores: np.ndarray, prefs: np.ndarray, seen: sp.csr_matrix, k: int = 10) -> float:
    """NDCG@k of the ranking against the true top-k unseen items of each user."""
    seen_mask = seen.toarray() > 0
    s, t = np.where(seen_mask, -np.inf, scores), np.where(seen_mask, -np.inf, prefs)
    top, truth = np.argsort(-s, axis=1)[:, :k], np.argsort(-t, axis=1)[:, :k]
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    gains = np.array([[item in set(tr) for item in tp] for tp, tr in zip(top, truth)])
    return float((gains * disc).sum(axis=1).mean() / disc.sum())


def student_ndcg(art, data, prefs) -> float:
    rec = load_recommender(art, data)
    return true_ndcg(rec.score_users(np.arange(N_USERS)), prefs, data.matrix)


OPTS = {"dim": 3, "epochs": 40, "batch_users": 32, "teacher_top": 20, "negatives": 20, "learning_rate": 0.05}


def test_distillation_beats_the_same_student_without_the_teacher(tmp_path, planted):
    data, prefs = planted
    teacher = Oracle(data, prefs)
    with_teacher = distil(teacher, data, tmp_path / "kd", alpha=0.9, temperature=2.0, **OPTS)
    without = distil(teacher, data, tmp_path / "gt", alpha=0.0, **OPTS)
    kd, gt = student_ndcg(with_teacher, data, prefs), student_ndcg(without, data, prefs)
    assert kd > gt + 0.25, (kd, gt)  # measured: 0.93 vs 0.48 (seed 0)
    s = with_teacher.settings
    assert (s["temperature"], s["alpha"], s["dim"], s["epochs"]) == (2.0, 0.9, 3, 40)
    assert s["training_energy_j"] >= 0 and s["energy_method"] and len(s["loss_per_epoch"]) == 40
    assert with_teacher.method == "distil-kd" and with_teacher.params == 3 * (N_USERS + N_ITEMS)


def test_alpha_zero_never_consults_the_teacher(tmp_path, planted):
    data, prefs = planted
    opts = {**OPTS, "epochs": 3}
    a = distil(Oracle(data, prefs), data, tmp_path / "a", alpha=0.0, **opts)
    b = distil(Oracle(data, -prefs), data, tmp_path / "b", alpha=0.0, **opts)
    c = distil(None, data, tmp_path / "c", alpha=0.0, **opts)
    va, vb, vc = (read_variant(x) for x in (a, b, c))
    assert np.array_equal(va.users.values, vb.users.values) and np.array_equal(va.items.values, vc.items.values)
    d = distil(Oracle(data, prefs), data, tmp_path / "d", alpha=0.5, **opts)
    assert not np.array_equal(read_variant(d).items.values, va.items.values)


def test_same_seed_same_student(tmp_path, planted):
    data, prefs = planted
    opts = {**OPTS, "epochs": 2}
    a = distil(Oracle(data, prefs), data, tmp_path / "a", seed=3, **opts)
    b = distil(Oracle(data, prefs), data, tmp_path / "b", seed=3, **opts)
    assert np.array_equal(read_variant(a).users.values, read_variant(b).users.values)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"alpha": 1.5}, r"Expected alpha in \[0.0, 1.0\], got 1.5"),
    ({"temperature": 0}, "Expected temperature in"),
    ({"dim": 0}, "Expected dim in"),
    ({"dim": 2.5}, "Expected dim to be an integer"),
    ({"nonsense": 1}, "Bad distillation options"),
])
def test_bad_distillation_arguments(tmp_path, planted, kwargs, message):
    data, prefs = planted
    with pytest.raises(InvalidParameter, match=message):
        distil(Oracle(data, prefs), data, tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


def test_a_teacher_is_required_when_alpha_is_positive(tmp_path, planted):
    data, _ = planted
    with pytest.raises(InvalidParameter, match="Expected a fitted teacher"):
        distil(None, data, tmp_path / "x", alpha=0.5, epochs=1)


def test_teacher_on_other_ids_is_rejected(tmp_path, planted):
    data, prefs = planted
    other = Interactions(data.matrix, data.user_ids, tuple(reversed(data.item_ids)))
    with pytest.raises(InvalidParameter, match="same Interactions"):
        distil(Oracle(other, prefs), data, tmp_path / "x", epochs=1)
