"""Demand forecasts with StatsForecast (Nixtla): seasonal naive, ETS, ARIMA, Theta and the
intermittent-demand models (Croston, ADIDA, IMAPA, TSB), with conformal prediction intervals.

Labelled fallbacks instead of silent failures: a series that never sold gets a zero forecast labelled
"all-zero history"; a season that the history cannot hold twice is replaced by season 1 and said so.
StatsForecast is imported inside the functions (no import-time cost).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from greencart.errors import InvalidParameter

if TYPE_CHECKING:
    import pandas as pd

LEVELS_PCT = (80, 95)
MAX_HORIZON = {"D": 366, "W": 104}
SEASON = {"D": 7, "W": 52}
MODELS = ("seasonal_naive", "naive", "auto_ets", "auto_arima", "auto_theta", "croston", "adida", "imapa", "tsb")
DEFAULT_EVAL_MODELS = ("seasonal_naive", "auto_ets", "auto_theta", "croston", "adida", "imapa", "tsb")
BASELINE = "seasonal_naive"
CALIBRATION = 2  # CV windows whose errors calibrate the intervals (up to 10 where there are few series)


def _factories() -> dict[str, Callable[[int], Any]]:
    from statsforecast import models as m

    return {
        "seasonal_naive": lambda s: m.SeasonalNaive(season_length=s, alias="seasonal_naive"),
        "naive": lambda s: m.Naive(alias="naive"),
        "auto_ets": lambda s: m.AutoETS(season_length=s, alias="auto_ets"),
        "auto_arima": lambda s: m.AutoARIMA(season_length=s, alias="auto_arima"),
        "auto_theta": lambda s: m.AutoTheta(season_length=s, alias="auto_theta"),
        "croston": lambda s: m.CrostonOptimized(alias="croston"),
        "adida": lambda s: m.ADIDA(alias="adida"),
        "imapa": lambda s: m.IMAPA(alias="imapa"),
        "tsb": lambda s: m.TSB(alpha_d=0.2, alpha_p=0.2, alias="tsb"),
    }


@dataclass(frozen=True)
class ForecastSpec:
    """What to forecast: horizon in periods of ``freq``, the models, interval levels."""

    freq: str = "W"
    horizon: int = 4
    models: tuple[str, ...] = ("auto_ets",)
    levels: tuple[int, ...] = LEVELS_PCT
    n_jobs: int = 1

    def __post_init__(self) -> None:
        if self.freq not in MAX_HORIZON:
            raise InvalidParameter(f"Expected freq in {tuple(MAX_HORIZON)}, got {self.freq!r}")
        if not (1 <= self.horizon <= MAX_HORIZON[self.freq]):
            raise InvalidParameter(
                f"Expected horizon in [1, {MAX_HORIZON[self.freq]}] periods for freq {self.freq!r}, got {self.horizon}")
        unknown = [m for m in self.models if m not in MODELS]
        if not self.models or unknown:
            raise InvalidParameter(f"Expected models from {MODELS}, got {list(self.models)}")
        if any(not (50 <= lv < 100) for lv in self.levels):
            raise InvalidParameter(f"Expected interval levels in [50, 100), got {list(self.levels)}")
        if self.n_jobs < 1:
            raise InvalidParameter(f"Expected n_jobs >= 1, got {self.n_jobs}")


def season_length(freq: str, n_periods: int, holdout: int = 0) -> tuple[int, str | None]:
    """The seasonal period for ``freq`` and a label when the history is too short to hold two seasons
    (after ``holdout`` periods are set aside): then season 1, said so."""
    m = SEASON[freq]
    usable = n_periods - holdout
    if usable >= 2 * m:
        return m, None
    return 1, (f"seasonal naive: under 2 seasons of history ({usable} < {2 * m} {freq} periods); "
               f"season length 1 (naive) used")


def check_history(n_periods: int, horizon: int, *, windows: int = 0, calibration: int = 2) -> None:
    """Raise unless the history can hold the CV windows, the conformal calibration windows and a fit."""
    need = horizon * (windows + calibration + 1) + 2
    if n_periods < need:
        raise InvalidParameter(
            f"Expected at least {need} periods of history for horizon {horizon} with {windows} CV window(s) "
            f"and {calibration} calibration window(s), got {n_periods}: shorten the horizon or use daily data")


def split_zero_series(df: "pd.DataFrame") -> tuple["pd.DataFrame", list[str]]:
    """Series with some non-zero demand, and the ids of all-zero series (forecast 0, labelled)."""
    nonzero = df.groupby("unique_id")["y"].transform(lambda y: bool((y != 0).any()))
    zero_ids = sorted(df.loc[~nonzero.astype(bool), "unique_id"].unique())
    return df.loc[nonzero.astype(bool)].reset_index(drop=True), zero_ids


def statsforecast(models: Sequence[str], freq: str, season: int, n_jobs: int = 1):  # type: ignore[no-untyped-def]
    """A ``StatsForecast`` with the named models (seasonal naive as the fallback model)."""
    from statsforecast import StatsForecast
    from statsforecast.models import SeasonalNaive

    from greencart.ops.demand import FREQS

    make = _factories()
    return StatsForecast(models=[make[name](season) for name in models], freq=FREQS[freq], n_jobs=n_jobs,
                         fallback_model=SeasonalNaive(season_length=season))


@dataclass
class ForecastResult:
    frame: "pd.DataFrame"  # unique_id, ds, mean, lo_80, hi_80, lo_95, hi_95, label
    model: str
    season: int
    labels: list[str]

    def points(self) -> list[dict[str, Any]]:
        rows = self.frame.rename(columns={"unique_id": "series_id"}).to_dict("records")
        for r in rows:
            r["ds"] = r["ds"].to_pydatetime()
            for k, v in list(r.items()):
                if isinstance(v, float) and v != v:
                    r[k] = None
        return rows


def forecast(df: "pd.DataFrame", spec: ForecastSpec) -> ForecastResult:
    """Forecast every series of ``df`` (``unique_id, ds, y``) ``spec.horizon`` periods ahead with the first
    model of ``spec.models``; intervals are pooled scaled conformal (``ops.intervals``); demand forecasts are clipped at 0."""
    import pandas as pd

    n_periods = int(df.groupby("unique_id").size().min())
    check_history(n_periods, spec.horizon)
    season, season_label = season_length(spec.freq, n_periods)
    model = spec.models[0]
    live, zero_ids = split_zero_series(df)
    labels = [season_label] if season_label else []
    parts = []
    if len(live):
        parts.append(_forecast_live(live, spec, model, season, season_label))
    if zero_ids:
        labels.append(f"all-zero history: forecast 0 for {len(zero_ids)} series")
        parts.append(_zeros(df, zero_ids, spec))
    frame = pd.concat(parts, ignore_index=True).sort_values(["unique_id", "ds"]).reset_index(drop=True)
    return ForecastResult(frame, model, season, labels)


def _forecast_live(live: "pd.DataFrame", spec: ForecastSpec, model: str, season: int,
                   label: str | None) -> "pd.DataFrame":
    """Point forecasts, and pooled scaled conformal intervals calibrated on the last CALIBRATION windows."""
    from greencart.ops.intervals import apply, quantiles, series_scale, with_steps

    sf = statsforecast([model], spec.freq, season, spec.n_jobs)
    raw = sf.forecast(df=live, h=spec.horizon)
    raw = raw.reset_index() if "unique_id" not in raw.columns else raw
    n_periods = int(live.groupby("unique_id").size().min())
    few = live["unique_id"].nunique() * CALIBRATION < 20  # few series: more windows so the pool can hold a 95 % quantile
    windows = max(CALIBRATION, min(10, (n_periods - 2) // spec.horizon - 1)) if few else CALIBRATION
    cv = sf.cross_validation(df=live, h=spec.horizon, n_windows=windows, step_size=spec.horizon)
    cv = with_steps(cv.reset_index() if "unique_id" not in cv.columns else cv)
    scale = series_scale(live, season)
    cv["score"] = (cv["y"] - cv[model]).abs() / cv["unique_id"].map(scale)
    q = quantiles(cv, spec.levels)
    tidy = with_steps(raw, by=("unique_id",)).rename(columns={model: "mean"})
    tidy["mean"] = tidy["mean"].astype(float).clip(lower=0.0)
    tidy = apply(tidy, "mean", scale, q, spec.levels)
    for lv in LEVELS_PCT:
        if f"lo_{lv}" not in tidy:
            tidy[f"lo_{lv}"] = float("nan")
            tidy[f"hi_{lv}"] = float("nan")
    tidy["label"] = label
    return tidy[["unique_id", "ds", "mean", "lo_80", "hi_80", "lo_95", "hi_95", "label"]]


def _zeros(df: "pd.DataFrame", ids: list[str], spec: ForecastSpec) -> "pd.DataFrame":
    import pandas as pd

    from greencart.ops.demand import FREQS

    last = df["ds"].max()
    future = pd.date_range(last, periods=spec.horizon + 1, freq=FREQS[spec.freq])[1:]
    rows = [(uid, ds) for uid in ids for ds in future]
    out = pd.DataFrame(rows, columns=["unique_id", "ds"])
    for col in ("mean", "lo_80", "hi_80", "lo_95", "hi_95"):
        out[col] = 0.0
    out["label"] = "all-zero history: forecast 0"
    return out
