"""Evaluating forecasts the way the field does: rolling-origin cross-validation (StatsForecast), MASE as the
main metric, a revenue-weighted RMSSE (WRMSSE, M5-style) across series, sMAPE as a secondary metric, and the
empirical coverage of the prediction intervals.

- MASE of a series in a window: mean |error| over the horizon / the in-sample mean |y_t - y_{t-m}| of the
  history up to the window's cutoff (m = the season used; season 1 where the history is too short).
  Series whose scale is 0 (constant history) are left out of MASE and counted.
- RMSSE: sqrt(mean squared error / in-sample mean (y_t - y_{t-1})^2) as in M5; WRMSSE weights each series by
  its revenue in the last ``horizon`` periods before the cutoff (M5 used the last 28 days).
- The model picked for the merchant is chosen on the earlier windows only and scored on the last window,
  so the selection never sees the window it is judged on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from greencart.errors import InvalidParameter
from greencart.ops.intervals import METHOD as INTERVAL_METHOD
from greencart.ops.intervals import quantiles, series_scale, with_steps
from greencart.ops.forecast import (
    BASELINE,
    DEFAULT_EVAL_MODELS,
    LEVELS_PCT,
    MAX_HORIZON,
    MODELS,
    check_history,
    season_length,
    split_zero_series,
    statsforecast,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class EvalSpec:
    freq: str = "W"
    horizon: int = 4
    windows: int = 3
    step: int | None = None  # periods between cutoffs; default = horizon (non-overlapping test windows)
    models: tuple[str, ...] = DEFAULT_EVAL_MODELS
    levels: tuple[int, ...] = LEVELS_PCT
    calibration: int = 2  # CV windows before the evaluated ones, used only to calibrate intervals
    n_jobs: int = 1

    def __post_init__(self) -> None:
        if not (1 <= self.calibration <= 10):
            raise InvalidParameter(f"Expected calibration in [1, 10] windows, got {self.calibration}")
        if self.freq not in MAX_HORIZON or not (1 <= self.horizon <= MAX_HORIZON[self.freq]):
            raise InvalidParameter(f"Expected freq in {tuple(MAX_HORIZON)} and a horizon within its maximum, "
                                   f"got {self.freq!r}, {self.horizon}")
        if not (1 <= self.windows <= 20):
            raise InvalidParameter(f"Expected windows in [1, 20], got {self.windows}")
        if self.step is not None and not (1 <= self.step <= 10 * self.horizon):
            raise InvalidParameter(f"Expected step in [1, {10 * self.horizon}], got {self.step}")
        if [m for m in self.models if m not in MODELS] or BASELINE not in self.models:
            raise InvalidParameter(f"Expected models from {MODELS} including {BASELINE!r}, got {list(self.models)}")

    @property
    def step_size(self) -> int:
        return self.step or self.horizon


def cutoffs(ds: "pd.DatetimeIndex", horizon: int, windows: int, step: int) -> list[Any]:
    """The rolling origins: the last period of training data of each window, oldest first."""
    n = len(ds)
    out = [ds[n - horizon - step * (windows - 1 - k) - 1] for k in range(windows)]
    if n - horizon - step * (windows - 1) - 1 < 1:
        raise InvalidParameter(f"Expected more than {horizon + step * (windows - 1) + 1} periods for "
                               f"{windows} windows of horizon {horizon}, got {n}")
    return out


def cross_validate(df: "pd.DataFrame", spec: EvalSpec) -> tuple["pd.DataFrame", int, list[str]]:
    """Rolling-origin CV of every model on the series that ever sold; returns (cv frame, season, labels)."""
    n_periods = int(df.groupby("unique_id").size().min())
    check_history(n_periods, spec.horizon, windows=spec.windows, calibration=spec.calibration)
    holdout = spec.horizon + spec.step_size * (spec.windows + spec.calibration - 1)
    season, label = season_length(spec.freq, n_periods, holdout)
    live, zero_ids = split_zero_series(df)
    labels = [label] if label else []
    if zero_ids:
        labels.append(f"{len(zero_ids)} all-zero series left out of the evaluation")
    if live.empty:
        raise InvalidParameter("Expected at least one series with non-zero demand, got only all-zero series")
    sf = statsforecast(spec.models, spec.freq, season, spec.n_jobs)
    cv = sf.cross_validation(df=live, h=spec.horizon, n_windows=spec.windows + spec.calibration,
                             step_size=spec.step_size)
    cv = cv.reset_index() if "unique_id" not in cv.columns else cv
    return cv, season, labels


def _scales(df: "pd.DataFrame", cv_cutoffs: list[Any], season: int, horizon: int,
            revenue: "pd.DataFrame | None") -> "pd.DataFrame":
    """Per (unique_id, cutoff): the MASE and RMSSE scales and the revenue weight, from history <= cutoff."""
    import pandas as pd

    parts = []
    for cutoff in cv_cutoffs:
        hist = df.loc[df["ds"] <= cutoff].sort_values(["unique_id", "ds"])
        g = hist.groupby("unique_id")["y"]
        mase_scale = (hist["y"] - g.shift(season)).abs().groupby(hist["unique_id"]).mean()
        rmsse_scale = ((hist["y"] - g.shift(1)) ** 2).groupby(hist["unique_id"]).mean()
        part = pd.DataFrame({"mase_scale": mase_scale, "rmsse_scale": rmsse_scale})
        part["interval_scale"] = series_scale(hist, season).reindex(part.index).fillna(1.0)
        if revenue is not None:
            recent = revenue.loc[(revenue["ds"] <= cutoff) & (revenue["ds"] > cutoff - horizon * _period(df))]
            part["revenue"] = recent.groupby("unique_id")["revenue"].sum().reindex(part.index).fillna(0.0)
        else:
            part["revenue"] = 1.0
        part["cutoff"] = cutoff
        parts.append(part.reset_index())
    return pd.concat(parts, ignore_index=True)


def _period(df: "pd.DataFrame") -> Any:
    ds = sorted(df["ds"].unique()[:2])
    return ds[1] - ds[0]


@dataclass
class Scores:
    rows: list[dict[str, Any]]  # one per model: mase, wrmsse, smape, coverage_80, coverage_95, ...
    per_window: list[dict[str, Any]]
    selected: dict[str, Any]
    info: dict[str, Any] = field(default_factory=dict)


def score(cv: "pd.DataFrame", df: "pd.DataFrame", spec: EvalSpec, season: int,
          revenue: "pd.DataFrame | None" = None) -> Scores:
    """MASE, WRMSSE, sMAPE and interval coverage of every model in ``cv`` (see the module docstring)."""
    import numpy as np

    all_cutoffs = sorted(cv["cutoff"].unique())
    if len(all_cutoffs) <= spec.calibration:
        raise InvalidParameter(f"Expected more than {spec.calibration} CV windows, got {len(all_cutoffs)}")
    scales = _scales(df, all_cutoffs, season, spec.horizon, revenue)
    merged = with_steps(cv).merge(scales, on=["unique_id", "cutoff"], how="left")
    per_window, rows = [], []
    for model in spec.models:
        merged = _intervals(merged, model, all_cutoffs, spec)
    merged = merged.loc[merged["cutoff"].isin(all_cutoffs[spec.calibration:])].copy()
    for model in spec.models:
        err = merged[model] - merged["y"]
        denom = merged["y"].abs() + merged[model].abs()
        merged["_ae"], merged["_se"] = err.abs(), err**2
        merged["_smape"] = np.where(denom > 0, 200 * err.abs() / denom.where(denom > 0, 1), 0.0)
        for lv in spec.levels:
            lo, hi = merged.get(f"{model}-lo-{lv}"), merged.get(f"{model}-hi-{lv}")
            merged[f"_cov{lv}"] = ((merged["y"] >= lo) & (merged["y"] <= hi)) if lo is not None else np.nan
        sw = merged.groupby(["unique_id", "cutoff"]).agg(
            mae=("_ae", "mean"), mse=("_se", "mean"), smape=("_smape", "mean"),
            mase_scale=("mase_scale", "first"), rmsse_scale=("rmsse_scale", "first"), revenue=("revenue", "first"))
        sw["mase"] = sw["mae"] / sw["mase_scale"].where(sw["mase_scale"] > 0)
        sw["rmsse"] = np.sqrt(sw["mse"] / sw["rmsse_scale"].where(sw["rmsse_scale"] > 0))
        for cutoff, w in sw.groupby(level="cutoff"):
            ok = w["rmsse"].notna()
            weights = w.loc[ok, "revenue"]
            weights = weights / weights.sum() if weights.sum() > 0 else ok[ok] / ok.sum()
            per_window.append({"model": model, "cutoff": str(cutoff), "mase": _mean(w["mase"]),
                               "wrmsse": float((weights * w.loc[ok, "rmsse"]).sum()), "smape": _mean(w["smape"])})
        row = {"model": model, "mase": _mean(sw["mase"]), "rmsse": _mean(sw["rmsse"]),
               "wrmsse": _mean([p["wrmsse"] for p in per_window if p["model"] == model]),
               "smape": _mean(sw["smape"]), "series_windows": int(len(sw)),
               "series_windows_without_scale": int(sw["mase"].isna().sum())}
        for lv in spec.levels:
            row[f"coverage_{lv}"] = _mean(merged[f"_cov{lv}"].astype(float))
        rows.append(row)
    return Scores(rows, per_window, select_model(per_window), {"season": season})


def _intervals(merged: "pd.DataFrame", model: str, all_cutoffs: list[Any], spec: EvalSpec) -> "pd.DataFrame":
    """Pooled scaled conformal intervals for each evaluated window from the windows just before it."""
    import numpy as np

    merged["_score"] = (merged["y"] - merged[model]).abs() / merged["interval_scale"]
    for lv in spec.levels:
        merged[f"{model}-lo-{lv}"] = np.nan
        merged[f"{model}-hi-{lv}"] = np.nan
    for k in range(spec.calibration, len(all_cutoffs)):
        calib = merged.loc[merged["cutoff"].isin(all_cutoffs[k - spec.calibration : k]), ["step", "_score"]]
        q = quantiles(calib.rename(columns={"_score": "score"}), spec.levels)
        at = merged["cutoff"] == all_cutoffs[k]
        width_scale = merged.loc[at, "interval_scale"]
        for lv in spec.levels:
            width = merged.loc[at, "step"].map(lambda st, lv=lv: q[(int(st), lv)]) * width_scale
            merged.loc[at, f"{model}-lo-{lv}"] = (merged.loc[at, model] - width).clip(lower=0.0)
            merged.loc[at, f"{model}-hi-{lv}"] = merged.loc[at, model] + width
    return merged


def _mean(values: Any) -> float | None:
    import numpy as np

    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    return round(float(arr.mean()), 6) if arr.size else None


def select_model(per_window: list[dict[str, Any]]) -> dict[str, Any]:
    """Pick the model with the lowest mean MASE on all windows but the last; score it on the last window
    against the seasonal-naive baseline there (the selection never sees the window it is judged on)."""
    cutoffs_ = sorted({p["cutoff"] for p in per_window})
    if len(cutoffs_) < 2:
        return {"model": None, "note": "one evaluated window: no model selection (it would see its own test)"}
    earlier, last = cutoffs_[:-1], cutoffs_[-1]
    by_model: dict[str, list[float]] = {}
    for p in per_window:
        if p["cutoff"] in earlier and p["mase"] is not None:
            by_model.setdefault(p["model"], []).append(p["mase"])
    chosen = min(by_model, key=lambda m: sum(by_model[m]) / len(by_model[m]))
    final = {p["model"]: p for p in per_window if p["cutoff"] == last}
    base, pick = final[BASELINE], final[chosen]
    gain = None if not base["mase"] or pick["mase"] is None else 1 - pick["mase"] / base["mase"]
    return {"model": chosen, "selected_on": earlier, "scored_on": last, "mase": pick["mase"],
            "wrmsse": pick["wrmsse"], "baseline_mase": base["mase"], "baseline_wrmsse": base["wrmsse"],
            "mase_improvement_vs_baseline": None if gain is None else round(gain, 6)}


def evaluate(df: "pd.DataFrame", spec: EvalSpec, revenue: "pd.DataFrame | None" = None) -> Scores:
    """Cross-validate and score; ``revenue`` (unique_id, ds, revenue) weights the WRMSSE."""
    cv, season, labels = cross_validate(df, spec)
    scores = score(cv, df, spec, season, revenue)
    scores.info.update(labels=labels, series=int(cv["unique_id"].nunique()), windows=spec.windows,
                       horizon=spec.horizon, step=spec.step_size, calibration_windows=spec.calibration,
                       intervals=INTERVAL_METHOD)
    return scores
