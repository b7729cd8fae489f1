"""Offline evaluation: every model on the same split, full ranking, seen excluded.

For each model and seed: fit (in an energy work unit), score every test user in
batches (each batch a work unit), then Recall/NDCG@10/20, HR@10, MRR, AUC,
coverage, popularity bias, mean kg CO2e of the top-10 and the NDCG-vs-CO2e curve
over alpha (eco re-ranking of the same scores). Across seeds: mean and standard
deviation; between models: a paired Wilcoxon test on per-user NDCG@10 against the
best model. Seeds change model initialisation (ALS, BPR); Popularity, ItemKNN and
EASE are deterministic, so their deviation is 0 by construction.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from greencart.errors import InvalidParameter
from greencart.recommend import metrics as M
from greencart.recommend.base import BaseRecommender
from greencart.recommend.factory import MODEL_NAMES, make_recommender
from greencart.recommend.green import Cost, GreenMeter
from greencart.recommend.itemtable import ItemTable
from greencart.recommend.rerank import eco_rerank_batch, greenness
from greencart.recommend.split import PROTOCOLS, Split

BATCH = 1024
ALPHAS = tuple(round(a, 2) for a in np.linspace(1.0, 0.0, 11))
SEEDED = ("als", "bpr")


@dataclass(frozen=True)
class EvalConfig:
    models: tuple[str, ...] = MODEL_NAMES
    seeds: tuple[int, ...] = (0, 1, 2)
    ks: tuple[int, ...] = (10, 20)
    alphas: tuple[float, ...] = ALPHAS
    latency_users: int = 500
    params: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.models:
            if m not in MODEL_NAMES:
                raise InvalidParameter(f"Expected models in {MODEL_NAMES}, got {m!r}")
        if not self.models or not self.seeds:
            raise InvalidParameter("Expected at least one model and one seed")
        if 10 not in self.ks:
            raise InvalidParameter(f"Expected ks to include 10, got {self.ks}")
        for a in self.alphas:
            if not 0.0 <= a <= 1.0:
                raise InvalidParameter(f"Expected alpha in [0, 1], got {a}")


@dataclass
class RunResult:
    """One model, one seed."""

    per_user: dict[str, np.ndarray]
    summary: dict[str, float]
    curve: list[dict[str, float]]


def _make(name: str, seed: int, config: EvalConfig) -> BaseRecommender:
    params = dict(config.params.get(name, {}))
    if name in SEEDED:
        params["seed"] = seed
    return make_recommender(name, **params)


def _score_batches(model: BaseRecommender, split: Split, users: np.ndarray, meter: GreenMeter,
                   costs: list[Cost]) -> Any:
    """Yield (batch users, scores with seen items at -inf), each batch metered."""
    seen = split.train.matrix
    for start in range(0, len(users), BATCH):
        batch = users[start : start + BATCH]
        with meter.measure("recommend.score", costs, model=model.name, users=len(batch)):
            scores = np.array(model.score_users(batch), dtype=np.float64)
            r, c = seen[batch].nonzero()
            scores[r, c] = -np.inf
            top = M.top_items(scores, 20)
        yield batch, scores, top


def run_once(model: BaseRecommender, split: Split, config: EvalConfig, meter: GreenMeter,
             table: ItemTable | None) -> RunResult:
    fit_costs: list[Cost] = []
    with meter.measure("recommend.fit", fit_costs, model=model.name):
        model.fit(split.train)
    users = split.test_users
    kmax = max(max(config.ks), 10)
    green = greenness(table) if table is not None else None
    kg = table.footprint_kg_co2e if table is not None else None
    score_costs: list[Cost] = []
    parts: dict[str, list[np.ndarray]] = {}
    tops, curve_tops = [], {a: [] for a in config.alphas}
    for batch, scores, top in _score_batches(model, split, users, meter, score_costs):
        truth = split.test[batch]
        if kmax > top.shape[1]:
            top = M.top_items(scores, kmax)
        for name, vals in {**M.ranking_metrics(top, truth, config.ks), **M.mrr_and_auc(scores, truth)}.items():
            parts.setdefault(name, []).append(vals)
        tops.append(top[:, :10])
        if green is not None:
            for a in config.alphas:
                eco = eco_rerank_batch(scores, green, a, 10)
                curve_tops[a].append((eco, truth))
    per_user = {k: np.concatenate(v) for k, v in parts.items()}
    top10 = np.vstack(tops) if tops else np.zeros((0, 10), dtype=np.int64)
    summary = {k: float(np.nanmean(v)) if v.size else float("nan") for k, v in per_user.items()}
    summary.update(
        users_evaluated=float(len(users)),
        coverage_at_10=M.coverage(top10, split.train.n_items),
        popularity_percentile_at_10=M.popularity_percentile(top10, split.train.matrix),
        train_s=fit_costs[0].duration_s,
        energy_j_per_training=fit_costs[0].energy_j,
        energy_j_per_1k_recs=sum(c.energy_j for c in score_costs) * 1000.0 / max(len(users), 1),
    )
    curve = []
    if kg is not None:
        summary["co2e_kg_at_10"] = M.mean_footprint(top10, kg)
        for a, chunks in curve_tops.items():
            nd = np.concatenate([M.ranking_metrics(e, t, (10,))["ndcg_at_10"] for e, t in chunks]) if chunks else np.zeros(0)
            eco_top = np.vstack([e for e, _ in chunks]) if chunks else np.zeros((0, 10), dtype=np.int64)
            curve.append({"alpha": a, "ndcg_at_10": float(nd.mean()) if nd.size else float("nan"),
                          "co2e_kg_at_10": M.mean_footprint(eco_top, kg)})
    return RunResult(per_user, summary, curve)


def latency_ms(model: BaseRecommender, user_ids: Sequence[str], n: int) -> dict[str, float]:
    """p50/p99 of one ``recommend(user, k=10)`` call (scoring + top-k with seen excluded)."""
    times = []
    for u in list(user_ids)[:n]:
        t0 = time.perf_counter()
        model.recommend(u, 10)
        times.append((time.perf_counter() - t0) * 1000.0)
    if not times:
        return {"latency_ms_p50": float("nan"), "latency_ms_p99": float("nan")}
    return {"latency_ms_p50": float(np.percentile(times, 50)), "latency_ms_p99": float(np.percentile(times, 99))}


def _aggregate(name: str, runs: list[RunResult]) -> dict[str, Any]:
    keys = runs[0].summary.keys()
    row: dict[str, Any] = {"model": name, "seeds": len(runs)}
    for k in keys:
        vals = np.array([r.summary[k] for r in runs], dtype=np.float64)
        row[k] = float(np.nanmean(vals))
        if k in ("ndcg_at_10", "recall_at_10", "recall_at_20", "ndcg_at_20", "hr_at_10", "mrr", "auc"):
            row[f"{k}_std"] = float(np.nanstd(vals))
    return row


def paired_tests(per_user: dict[str, np.ndarray], metric_rows: list[dict[str, Any]]) -> None:
    """Add ``p_value_vs_best`` (Wilcoxon signed-rank on per-user NDCG@10) to each row."""
    from scipy.stats import wilcoxon

    best = max(metric_rows, key=lambda r: r["ndcg_at_10"])["model"]
    for row in metric_rows:
        row["best_model"] = best
        if row["model"] == best:
            row["p_value_vs_best"] = 1.0
            continue
        diff = per_user[best] - per_user[row["model"]]
        row["p_value_vs_best"] = float(wilcoxon(diff).pvalue) if np.any(diff != 0) else 1.0


def evaluate_models(split: Split, config: EvalConfig = EvalConfig(), *, table: ItemTable | None = None,
                    meter: GreenMeter | None = None, progress: bool = False) -> dict[str, Any]:
    """Rows per model (means over seeds), the alpha curve per model, and the split's size."""
    if split.protocol not in PROTOCOLS:
        raise InvalidParameter(f"Expected protocol in {PROTOCOLS}, got {split.protocol!r}")
    if len(split.test_users) == 0:
        raise InvalidParameter("The split has no test users with training history: nothing to evaluate")
    meter = meter or GreenMeter()
    rows, curves, per_user = [], [], {}
    for name in config.models:
        runs = []
        for seed in config.seeds if name in SEEDED else config.seeds[:1]:
            if progress:
                print(f"  {split.protocol}: {name} seed {seed}", flush=True)
            model = _make(name, seed, config)
            runs.append(run_once(model, split, config, meter, table))
            if len(runs) == 1:
                test_ids = [split.train.user_ids[u] for u in split.test_users]
                lat = latency_ms(model, test_ids, config.latency_users)
        row = _aggregate(name, runs)
        row.update(lat, protocol=split.protocol)
        rows.append(row)
        per_user[name] = np.mean([r.per_user["ndcg_at_10"] for r in runs], axis=0)
        for point in _mean_curve(runs):
            curves.append({"model": name, "protocol": split.protocol, **point})
    paired_tests(per_user, rows)
    return {"rows": rows, "curve": curves, "split": split_summary(split)}


def _mean_curve(runs: list[RunResult]) -> list[dict[str, float]]:
    if not runs[0].curve:
        return []
    out = []
    for i, point in enumerate(runs[0].curve):
        out.append({"alpha": point["alpha"],
                    "ndcg_at_10": float(np.mean([r.curve[i]["ndcg_at_10"] for r in runs])),
                    "co2e_kg_at_10": float(np.mean([r.curve[i]["co2e_kg_at_10"] for r in runs]))})
    return out


def split_summary(split: Split) -> dict[str, Any]:
    return {"protocol": split.protocol, "train_users": split.train.n_users, "items": split.train.n_items,
            "train_interactions": int(split.train.matrix.nnz), "test_users": len(split.test_users),
            "test_items": int(split.test.nnz)}


def config_dict(config: EvalConfig) -> dict[str, Any]:
    return asdict(config)
