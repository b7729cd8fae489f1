"""Demand series from the store, forecasts (planted seasonality recovered), labelled fallbacks, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greencart.errors import InvalidParameter, NotFound
from greencart.ops.demand import DemandSpec, build_series, lines_frame, load_demand
from greencart.ops.forecast import ForecastSpec, forecast, season_length

from tests.ops.conftest import DAY_SHAPE


def _lines(rows):
    return lines_frame([(pd.Timestamp(t), pid, "c", "UK", q, 2.0, q < 0, "t") for t, pid, q in rows])


def test_returns_net_or_gross_and_clipping():
    rows = [("2024-01-01 10:00", "a", 5), ("2024-01-02 10:00", "a", -2), ("2024-01-03 10:00", "a", -4),
            ("2024-01-03 09:00", "b", 1)]
    net = build_series(_lines(rows), DemandSpec(level="product", freq="D", returns="net"))
    gross = build_series(_lines(rows), DemandSpec(level="product", freq="D", returns="gross"))
    a_net = net.series.loc[net.series.unique_id == "a", "y"].tolist()
    assert a_net == [5.0, 0.0, 0.0]  # -2 and -4 clipped at 0, counted
    assert net.summary["clipped_periods"] == 2 and net.summary["return_units"] == 6
    assert gross.series.loc[gross.series.unique_id == "a", "y"].tolist() == [5.0, 0.0, 0.0]
    assert gross.summary["clipped_periods"] == 0
    assert net.revenue["revenue"].sum() == pytest.approx(12.0)  # sales only: (5 + 1) x 2.0


def test_partial_weeks_are_dropped_and_said(planted_db):
    d = load_demand(planted_db, DemandSpec(level="total", freq="W"))
    assert d.summary["partial_periods_dropped"] == []  # 60 whole weeks from a Monday
    lines = _lines([("2024-01-03 10:00", "a", 1), ("2024-01-10 10:00", "a", 1), ("2024-01-17 10:00", "a", 1),
                    ("2024-01-24 10:00", "a", 1)])
    w = build_series(lines, DemandSpec(level="product", freq="W"))
    assert len(w.summary["partial_periods_dropped"]) == 2 and w.summary["periods"] == 2


def test_levels_aggregate_the_same_units(planted_db):
    totals = {lv: load_demand(planted_db, DemandSpec(level=lv, freq="W")).series["y"].sum()
              for lv in ("total", "category", "product")}
    assert totals["total"] == pytest.approx(totals["category"]) == pytest.approx(totals["product"])


def test_planted_weekly_pattern_is_recovered(planted_db):
    d = load_demand(planted_db, DemandSpec(level="category", freq="D"))
    r = forecast(d.series, ForecastSpec(freq="D", horizon=14, models=("auto_ets",)))
    assert r.season == 7 and r.labels == []
    kitchen = r.frame.loc[r.frame.unique_id == "kitchen"].reset_index(drop=True)
    shape = kitchen["mean"].to_numpy()[:7]
    weekday = kitchen["ds"].dt.weekday.to_numpy()[:7]
    planted = DAY_SHAPE[weekday]
    assert np.corrcoef(shape, planted)[0, 1] > 0.95  # Friday peak, Sunday trough recovered
    assert kitchen.loc[kitchen.ds.dt.weekday == 4, "mean"].min() > 2.5 * kitchen.loc[kitchen.ds.dt.weekday == 6, "mean"].max()
    assert (kitchen["lo_80"] <= kitchen["mean"]).all() and (kitchen["mean"] <= kitchen["hi_80"]).all()
    assert (kitchen["hi_80"] <= kitchen["hi_95"] + 1e-9).all()


def test_all_zero_series_and_short_season_are_labelled():
    ds = pd.date_range("2024-01-01", periods=30, freq="W-MON")
    df = pd.concat([pd.DataFrame({"unique_id": "z", "ds": ds, "y": 0.0}),
                    pd.DataFrame({"unique_id": "a", "ds": ds, "y": np.arange(30) % 3 + 1.0})])
    r = forecast(df, ForecastSpec(freq="W", horizon=4, models=("croston",)))
    assert r.season == 1 and any("under 2 seasons" in lb for lb in r.labels)
    z = r.frame.loc[r.frame.unique_id == "z"]
    assert (z["mean"] == 0).all() and z["label"].str.contains("all-zero").all()
    assert season_length("W", 120) == (52, None)


@pytest.mark.parametrize("kwargs, match", [
    ({"horizon": 0}, "horizon"), ({"horizon": 500, "freq": "D"}, "horizon"), ({"models": ("prophet",)}, "models"),
    ({"freq": "M"}, "freq"), ({"levels": (120,)}, "levels")])
def test_bad_forecast_specs(kwargs, match):
    with pytest.raises(InvalidParameter, match=match):
        ForecastSpec(**kwargs)


def test_too_little_history():
    df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2024-01-01", periods=8, freq="W-MON"), "y": 1.0})
    with pytest.raises(InvalidParameter, match="at least 14 periods of history"):
        forecast(df, ForecastSpec(freq="W", horizon=4))


def test_empty_store_is_a_clear_error(tmp_path):
    from greencart.store import open_database

    db = open_database(f"sqlite:///{tmp_path / 'e.db'}", migrate=True)
    with pytest.raises(NotFound, match="Expected order lines"):  # data absent: 404 in the API
        load_demand(db, DemandSpec())
    db.dispose()
