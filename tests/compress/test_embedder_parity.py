"""parity(): agreement measures between two embedders (numpy fakes, no model needed)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from greencart.compress.embedder import Parity, parity
from greencart.compress.embedder.calibration import spread
from greencart.errors import InvalidParameter

TEXTS = [f"product {i}" for i in range(30)]


class Table:
    """An Embedder that looks texts up in a fixed matrix."""

    def __init__(self, name: str, rows: np.ndarray) -> None:
        self.name, self.dim = name, rows.shape[1]
        self._rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def embed(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        return self._rows[[TEXTS.index(t) for t in texts]].astype(np.float32)


@pytest.fixture()
def base() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(len(TEXTS), 16))


def test_identical_embedders_agree_fully(base: np.ndarray) -> None:
    p = parity(Table("a", base), Table("b", base.copy()), TEXTS, k=5)
    assert isinstance(p, Parity) and (p.reference, p.candidate, p.n_texts, p.k) == ("a", "b", 30, 5)
    assert (
        p.max_abs_diff == 0.0
        and p.mean_cosine == pytest.approx(1.0)
        and p.min_cosine == pytest.approx(1.0)
    )
    assert (
        p.topk_agreement == 1.0
        and p.spearman == pytest.approx(1.0)
        and p.kendall == pytest.approx(1.0)
    )
    assert set(p.to_dict()) >= {
        "max_abs_diff",
        "mean_cosine",
        "topk_agreement",
        "spearman",
        "kendall",
    }


def test_small_noise_scores_between_random_and_identical(base: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    noisy = parity(
        Table("a", base), Table("n", base + 0.05 * rng.normal(size=base.shape)), TEXTS, k=5
    )
    unrelated = parity(Table("a", base), Table("r", rng.normal(size=base.shape)), TEXTS, k=5)
    assert 0.99 < noisy.mean_cosine < 1.0 and noisy.max_abs_diff > 0
    assert noisy.topk_agreement > 0.7 > unrelated.topk_agreement
    assert noisy.spearman > 0.95 and abs(unrelated.spearman) < 0.3
    assert noisy.kendall > 0.8 and abs(unrelated.kendall) < 0.3


def test_topk_counts_shared_neighbours_only(base: np.ndarray) -> None:
    # The same geometry rotated: every similarity is unchanged, only coordinates move.
    q, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(16, 16)))
    p = parity(Table("a", base), Table("rot", base @ q), TEXTS, k=3)
    assert p.topk_agreement == 1.0 and p.spearman == pytest.approx(1.0)
    assert p.mean_cosine < 0.9 and p.max_abs_diff > 0.1


def test_bad_arguments_are_named(base: np.ndarray) -> None:
    with pytest.raises(InvalidParameter, match="at least k \\+ 1 = 11 texts"):
        parity(Table("a", base), Table("b", base), TEXTS[:10], k=10)
    with pytest.raises(InvalidParameter, match="k >= 1"):
        parity(Table("a", base), Table("b", base), TEXTS, k=0)
    with pytest.raises(InvalidParameter, match="'narrow'"):
        parity(Table("a", base), Table("narrow", base[:, :8]), TEXTS, k=3)


def test_spread_keeps_at_most_n_evenly_in_order() -> None:
    items = [f"t{i}" for i in range(100)]
    picked = spread(items, 5)
    assert picked == ["t0", "t24", "t49", "t74", "t99"]
    assert spread(items[:3], 5) == items[:3]
