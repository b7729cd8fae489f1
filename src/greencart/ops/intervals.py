"""Prediction intervals by pooled, scaled split conformal prediction.

Per-series conformal intervals need about 20 calibration errors per horizon step for a 95 % interval; a year of
weekly history gives 2 or 3. So errors are scaled by each series' in-sample MASE scale (mean |y_t - y_{t-m}|),
pooled across series per horizon step, and the finite-sample conformal quantile
q = the ceil((n + 1) level) / n empirical quantile of |error| / scale is taken; the interval is
mean -/+ q x scale, clipped at 0 (demand is never negative). Calibration windows always end before the
window they calibrate, so no future error leaks into an interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

METHOD = "split conformal, errors scaled by the series' MASE scale and pooled across series per horizon step"


def series_scale(history: "pd.DataFrame", season: int) -> "pd.Series":
    """Per unique_id: mean |y_t - y_{t-season}|, falling back to mean |y| and then 1 where that is 0."""
    hist = history.sort_values(["unique_id", "ds"])
    diff = (hist["y"] - hist.groupby("unique_id")["y"].shift(season)).abs()
    scale = diff.groupby(hist["unique_id"]).mean()
    level = hist["y"].abs().groupby(hist["unique_id"]).mean()
    scale = scale.where(scale > 0, level)
    return scale.where(scale > 0, 1.0).fillna(1.0)


def with_steps(frame: "pd.DataFrame", by: Sequence[str] = ("unique_id", "cutoff")) -> "pd.DataFrame":
    """Adds ``step`` (1..h), the position of each row's ds within its forecast."""
    out = frame.sort_values([*by, "ds"]).copy()
    out["step"] = out.groupby(list(by)).cumcount() + 1
    return out


MIN_POOL = 20  # fewer errors than this per step: pool the steps too (a 95 % quantile needs >= 19)


def quantiles(scores: "pd.DataFrame", levels: Sequence[int]) -> dict[tuple[int, int], float]:
    """{(step, level): conformal quantile of ``scores.score`` within each step}; where a step has fewer than
    MIN_POOL errors, all steps are pooled (wider early, narrower late, but calibrated on average)."""
    groups = [(int(step), part["score"]) for step, part in scores.groupby("step")]
    if groups and min(len(part) for _, part in groups) < MIN_POOL:
        pooled = _conformal(scores["score"], levels)
        return {(step, lv): pooled[lv] for step, _ in groups for lv in levels}
    out: dict[tuple[int, int], float] = {}
    for step, part in groups:
        q = _conformal(part, levels)
        out.update({(step, lv): q[lv] for lv in levels})
    return out


def _conformal(values: "pd.Series", levels: Sequence[int]) -> dict[int, float]:
    """The finite-sample conformal quantile: the ceil((n + 1) level)-th smallest of n finite values."""
    import numpy as np

    arr = np.sort(values.to_numpy(dtype=float))
    arr = arr[np.isfinite(arr)]
    n = len(arr)
    return {lv: float(arr[min(n, math.ceil((n + 1) * lv / 100.0)) - 1]) if n else float("nan") for lv in levels}


def apply(frame: "pd.DataFrame", mean_col: str, scale: "pd.Series", q: dict[tuple[int, int], float],
          levels: Sequence[int], prefix: str = "") -> "pd.DataFrame":
    """Adds ``{prefix}lo_{lv}`` / ``{prefix}hi_{lv}`` columns to ``frame`` (which has unique_id and step)."""
    s = frame["unique_id"].map(scale).fillna(1.0)
    for lv in levels:
        width = frame["step"].map(lambda st, lv=lv: q.get((int(st), lv), float("nan"))) * s
        frame[f"{prefix}lo_{lv}"] = (frame[mean_col] - width).clip(lower=0.0)
        frame[f"{prefix}hi_{lv}"] = frame[mean_col] + width
    return frame
