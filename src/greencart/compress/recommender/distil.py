"""Knowledge distillation of a large recommender into a small factor student (numpy, Adam).

Per user and step, a candidate set C = up to ``max_positives`` of the user's
training positives + the teacher's ``teacher_top`` best unseen items + random
negatives. Student score s_ui = p_u . q_i. The loss per user is

    alpha x T^2 x KL(softmax(z_t / T) || softmax(s / T))  +  (1 - alpha) x CE(positives)

where z_t are the teacher's scores over C standardised per user (z-scores, so
T means the same for EASE and ALS scales) and CE is the softmax cross-entropy
of the student over C with the target spread evenly over the positives.
Gradients: T (p_s - p_t) for the KD term, softmax(s) - y for CE; L2 weight
decay; Adam. With ``alpha == 0`` the teacher is never consulted (its top-K
slots become random negatives), so the result is exactly the student trained
without a teacher, the baseline distillation must beat.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from greencart.compress.artifact import Artifact
from greencart.compress.recommender.codecs import DenseRows
from greencart.compress.recommender.factors import item_mass
from greencart.compress.recommender.store import FACTORS, Variant, write_variant
from greencart.errors import InvalidParameter, check_range
from greencart.recommend.data import Interactions

MASKED = -1e9


@dataclass(frozen=True)
class DistilParams:
    dim: int = 16
    temperature: float = 4.0  # T 4, alpha 0.9: demo EASE -> d16 student at -0.4 % NDCG@10 (T 2, alpha 0.5: -46 %)
    alpha: float = 0.9
    epochs: int = 30
    learning_rate: float = 0.05  # with batch_users 64: the best KD student on the demo temporal split
    weight_decay: float = 1e-4
    batch_users: int = 64
    teacher_top: int = 200  # demo: 50 -> 200 took the ALS-teacher student from -24 % to -10 % NDCG@10
    negatives: int = 50
    max_positives: int = 50
    init_scale: float = 0.1
    seed: int = 0

    def __post_init__(self) -> None:
        for label in ("dim", "epochs", "batch_users", "teacher_top", "negatives", "max_positives", "seed"):
            value = getattr(self, label)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise InvalidParameter(f"Expected {label} to be an integer, got {value!r}")
        check_range("dim", self.dim, 1, 1024)
        check_range("temperature", self.temperature, 1e-3, 100.0)
        check_range("alpha", self.alpha, 0.0, 1.0)
        check_range("epochs", self.epochs, 1, 10_000)
        check_range("learning_rate", self.learning_rate, 1e-6, 10.0)
        check_range("weight_decay", self.weight_decay, 0.0, 10.0)
        check_range("batch_users", self.batch_users, 1, 1 << 20)
        check_range("teacher_top", self.teacher_top, 1, 10_000)
        check_range("negatives", self.negatives, 1, 10_000)
        check_range("max_positives", self.max_positives, 1, 10_000)
        check_range("init_scale", self.init_scale, 1e-6, 10.0)


class _Adam:
    def __init__(self, shape: tuple[int, ...], lr: float) -> None:
        self.m, self.v, self.t, self.lr = np.zeros(shape, np.float32), np.zeros(shape, np.float32), 0, lr

    def step(self, w: np.ndarray, g: np.ndarray) -> None:
        self.t += 1
        self.m = 0.9 * self.m + 0.1 * g
        self.v = 0.999 * self.v + 0.001 * g * g
        m_hat, v_hat = self.m / (1 - 0.9**self.t), self.v / (1 - 0.999**self.t)
        w -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _check_teacher(teacher: Any, data: Interactions, alpha: float) -> None:
    if alpha == 0.0:
        return
    if teacher is None or not hasattr(teacher, "score_users"):
        raise InvalidParameter(f"Expected a fitted teacher recommender (with score_users) for alpha > 0, got {teacher!r}")
    tdata = getattr(teacher, "data", None)
    if tdata is not None and (tdata.user_ids != data.user_ids or tdata.item_ids != data.item_ids):
        raise InvalidParameter("Expected the teacher to be fitted on the same Interactions (same user and item ids) "
                               "as the student's training data")


def _teacher_top(teacher: Any, data: Interactions, k: int, batch: int) -> np.ndarray:
    """(n_users, k) the teacher's best unseen items per user."""
    k = min(k, data.n_items)
    out = np.empty((data.n_users, k), dtype=np.int64)
    for s in range(0, data.n_users, batch):
        users = np.arange(s, min(s + batch, data.n_users))
        scores = np.array(teacher.score_users(users), dtype=np.float64)
        r, c = data.matrix[users].nonzero()
        scores[r, c] = -np.inf
        out[users] = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    return out


def _candidates(X: sp.csr_matrix, users: np.ndarray, top: np.ndarray | None, p: DistilParams,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(candidates (B, C), valid mask, target distribution over positives)."""
    n_items, P = X.shape[1], p.max_positives
    pos = np.zeros((users.size, P), dtype=np.int64)
    valid = np.zeros((users.size, P), dtype=bool)
    for row, u in enumerate(users):
        items = X.indices[X.indptr[u] : X.indptr[u + 1]]
        if items.size > P:
            items = rng.choice(items, size=P, replace=False)
        pos[row, : items.size], valid[row, : items.size] = items, True
    n_random = p.negatives + (0 if top is not None else p.teacher_top)
    parts = [pos] + ([top[users]] if top is not None else []) + [rng.integers(0, n_items, (users.size, n_random))]
    cand = np.hstack(parts)
    mask = np.hstack([valid, np.ones((users.size, cand.shape[1] - P), dtype=bool)])
    target = np.zeros(cand.shape, dtype=np.float32)
    target[:, :P] = valid / np.maximum(valid.sum(axis=1, keepdims=True), 1)
    return cand, mask, target


def _grad_scores(s: np.ndarray, mask: np.ndarray, target: np.ndarray, t: np.ndarray | None,
                 p: DistilParams) -> tuple[np.ndarray, float]:
    """dLoss/ds per candidate (mean over users) and the loss."""
    s = np.where(mask, s, MASKED)
    ps = _softmax(s)
    loss = -float((target * np.log(ps + 1e-12)).sum(axis=1).mean())
    g = (1.0 - p.alpha) * (ps - target)
    if t is not None and p.alpha > 0:
        T = p.temperature
        n = mask.sum(axis=1, keepdims=True)
        mean = np.where(mask, t, 0).sum(axis=1, keepdims=True) / n
        std = np.sqrt(np.where(mask, (t - mean) ** 2, 0).sum(axis=1, keepdims=True) / n) + 1e-9
        pt = _softmax(np.where(mask, (t - mean) / std / T, MASKED))
        pst = _softmax(s / T)
        kl = (pt * (np.log(pt + 1e-12) - np.log(pst + 1e-12))).sum(axis=1).mean()
        loss = p.alpha * T * T * float(kl) + (1.0 - p.alpha) * loss
        g = g + p.alpha * T * (pst - pt)
    return (np.where(mask, g, 0.0) / s.shape[0]).astype(np.float32), loss


def train_student(teacher: Any, data: Interactions, p: DistilParams) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """(user factors, item factors, mean loss per epoch)."""
    _check_teacher(teacher, data, p.alpha)
    rng = np.random.default_rng(p.seed)
    X = (data.matrix > 0).astype(np.float32).tocsr()
    Pu = (rng.standard_normal((data.n_users, p.dim)) * p.init_scale).astype(np.float32)
    Qi = (rng.standard_normal((data.n_items, p.dim)) * p.init_scale).astype(np.float32)
    opt_u, opt_i = _Adam(Pu.shape, p.learning_rate), _Adam(Qi.shape, p.learning_rate)
    top = _teacher_top(teacher, data, p.teacher_top, p.batch_users) if p.alpha > 0 else None
    active = np.flatnonzero(np.diff(X.indptr) > 0)
    losses = []
    for _ in range(p.epochs):
        order, epoch_loss = rng.permutation(active), []
        for s in range(0, order.size, p.batch_users):
            users = order[s : s + p.batch_users]
            cand, mask, target = _candidates(X, users, top, p, rng)
            t = None
            if top is not None:
                t = np.take_along_axis(np.asarray(teacher.score_users(users), dtype=np.float64), cand, axis=1)
            Qc = Qi[cand]
            g, loss = _grad_scores(np.einsum("bd,bcd->bc", Pu[users], Qc), mask, target, t, p)
            epoch_loss.append(loss)
            gP = np.zeros_like(Pu)
            gP[users] = np.einsum("bc,bcd->bd", g, Qc) + p.weight_decay * Pu[users]
            G = sp.csr_matrix((g.ravel(), cand.ravel(), np.arange(0, g.size + 1, g.shape[1])),
                              shape=(users.size, data.n_items))
            gQ = np.asarray(G.T @ Pu[users]) + p.weight_decay * Qi
            opt_u.step(Pu, gP)
            opt_i.step(Qi, gQ.astype(np.float32))
        losses.append(float(np.mean(epoch_loss)))
    return Pu, Qi, losses


def distil(teacher: Any, data: Interactions, out_dir: Path, *, dim: int = 16, temperature: float = 4.0,
           alpha: float = 0.9, epochs: int = 30, seed: int = 0, name: str | None = None, meter: Any = None,
           **options: Any) -> Artifact:
    """Distil ``teacher`` (fitted on ``data``) into a ``dim``-factor student artifact at ``out_dir``.
    ``options`` are further :class:`DistilParams` fields (learning_rate, teacher_top, negatives, ...)."""
    try:
        p = DistilParams(dim=dim, temperature=temperature, alpha=alpha, epochs=epochs, seed=seed, **options)
    except TypeError as exc:
        raise InvalidParameter(f"Bad distillation options: {exc} (expected fields of DistilParams)") from None
    from greencart.recommend.green import Cost, GreenMeter

    own = meter is None
    meter = GreenMeter() if own else meter
    costs: list[Cost] = []
    t0 = time.perf_counter()
    try:
        with meter.measure("compress.distil", costs, dim=dim, alpha=alpha):
            Pu, Qi, losses = train_student(teacher, data, p)
    finally:
        if own:
            meter.close()
    teacher_name = getattr(teacher, "name", type(teacher).__name__) if alpha > 0 else "none"
    settings = {**asdict(p), "source_model": "distilled-student", "teacher": str(teacher_name), "encoding": "float32",
                "fold": {"kind": "least-squares", "alpha": 1.0, "reg": 0.1},
                "training_s": time.perf_counter() - t0, "training_energy_j": costs[0].energy_j if costs else None,
                "energy_method": costs[0].method if costs else None, "loss_per_epoch": losses}
    v = Variant(FACTORS, data.user_ids, data.item_ids, item_mass(data.matrix), users=DenseRows(Pu),
                items=DenseRows(Qi), settings=settings)
    label = f"distil-d{dim}-a{alpha:g}-T{temperature:g}"
    return write_variant(v, out_dir, name=name or label, method="distil-kd", source=str(teacher_name))
