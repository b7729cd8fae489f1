"""Rolling-origin CV: no split sees its future; metrics against hand-computed values; selection honest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greencart.errors import InvalidParameter
from greencart.ops.forecast_eval import EvalSpec, cross_validate, evaluate, score, select_model


def _series(n=40, seed=0):
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2023-01-02", periods=n, freq="W-MON")
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": ds, "y": rng.poisson(5 + 3 * k, n).astype(float)})
                      for k, u in enumerate(["a", "b", "c"])], ignore_index=True)


SPEC = EvalSpec(freq="W", horizon=4, windows=3, models=("seasonal_naive", "adida", "auto_ets"))


def test_cv_splits_never_leak_the_future():
    df = _series()
    cv, _, _ = cross_validate(df, SPEC)
    assert (cv["ds"] > cv["cutoff"]).all()
    assert ((cv["ds"] - cv["cutoff"]) <= pd.Timedelta(weeks=4)).all()
    cutoffs = sorted(cv["cutoff"].unique())
    assert len(cutoffs) == SPEC.windows + SPEC.calibration
    # Poison everything after the first window's test period: that window's forecasts must not move.
    first_end = cutoffs[0] + pd.Timedelta(weeks=4)
    poisoned = df.copy()
    poisoned.loc[poisoned["ds"] > first_end, "y"] = 1e6
    cv2, _, _ = cross_validate(poisoned, SPEC)
    a = cv.loc[cv["cutoff"] == cutoffs[0]].sort_values(["unique_id", "ds"])
    b = cv2.loc[cv2["cutoff"] == cutoffs[0]].sort_values(["unique_id", "ds"])
    for model in SPEC.models:
        np.testing.assert_allclose(a[model].to_numpy(), b[model].to_numpy())


def test_metrics_match_hand_computation():
    # One series 1..12 weekly; cutoff after 10; a "model" that forecasts 10 for both steps.
    ds = pd.date_range("2024-01-01", periods=12, freq="W-MON")
    df = pd.DataFrame({"unique_id": "a", "ds": ds, "y": np.arange(1.0, 13.0)})
    rows = []
    for c in (6, 8, 10):  # cutoffs: windows 1 and 2 calibrate, window 3 is scored
        for h in (1, 2):
            t = c + h - 1
            rows.append({"unique_id": "a", "ds": ds[t], "cutoff": ds[c - 1], "y": float(t + 1),
                         "seasonal_naive": float(c), "naive": 10.0})
    cv = pd.DataFrame(rows)
    spec = EvalSpec(freq="W", horizon=2, windows=1, models=("seasonal_naive", "naive"), calibration=2)
    s = score(cv, df, spec, season=1)
    m = next(r for r in s.rows if r["model"] == "naive")
    # last window: y = 11, 12; errors 1, 2; MASE scale = mean |diff| = 1; RMSSE scale = 1
    assert m["mase"] == pytest.approx(1.5)
    assert m["rmsse"] == pytest.approx(np.sqrt((1 + 4) / 2))
    assert m["wrmsse"] == pytest.approx(np.sqrt(2.5))  # one series: weight 1
    assert m["smape"] == pytest.approx(np.mean([200 * 1 / 21, 200 * 2 / 22]))
    sn = next(r for r in s.rows if r["model"] == "seasonal_naive")
    assert sn["mase"] == pytest.approx(1.5)  # forecasts 10 too


def test_coverage_and_selection_use_only_the_past():
    df = _series(n=48)
    s = evaluate(df, SPEC)
    for r in s.rows:
        assert 0.0 <= r["coverage_80"] <= r["coverage_95"] <= 1.0
    sel = s.selected
    assert sel["scored_on"] not in sel["selected_on"] and sel["scored_on"] > max(sel["selected_on"])


def test_selection_picks_on_earlier_windows():
    pw = [{"model": "seasonal_naive", "cutoff": "1", "mase": 1.0, "wrmsse": 1.0},
          {"model": "x", "cutoff": "1", "mase": 0.5, "wrmsse": 0.5},
          {"model": "seasonal_naive", "cutoff": "2", "mase": 1.0, "wrmsse": 1.0},
          {"model": "x", "cutoff": "2", "mase": 2.0, "wrmsse": 2.0}]
    s = select_model(pw)
    assert s["model"] == "x" and s["mase_improvement_vs_baseline"] == pytest.approx(-1.0)  # judged honestly


def test_bad_eval_specs():
    with pytest.raises(InvalidParameter, match="seasonal_naive"):
        EvalSpec(models=("adida",))
    with pytest.raises(InvalidParameter, match="windows"):
        EvalSpec(windows=0)
    with pytest.raises(InvalidParameter, match="periods of history"):
        evaluate(_series(n=20), SPEC)
