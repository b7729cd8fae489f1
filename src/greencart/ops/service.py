"""The merchant-planning facade that the CLI and the API share: load demand from the store, forecast,
evaluate, plan, and store every run with the energy it took (an energy work unit per run)."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from greencart.errors import InvalidParameter, NotFound
from greencart.ops.demand import DemandSpec, load_demand

FORECAST_LEVELS = ("total", "category", "product", "country", "product_country")


class OpsService:
    def __init__(self, db: Any, monitor: Any = None) -> None:
        from greencart.recommend.green import GreenMeter

        self.db = db
        self.meter = GreenMeter(monitor)

    def close(self) -> None:
        self.meter.close()

    def _metered(self, name: str, fn: Any, **tags: Any) -> tuple[Any, dict[str, Any]]:
        costs: list[Any] = []
        started = time.perf_counter()
        with self.meter.measure(name, costs, **tags):
            value = fn()
        c = costs[0]
        return value, {"duration_s": round(time.perf_counter() - started, 4), "energy_j": round(c.energy_j, 4),
                       "energy_low_j": round(c.energy_low_j, 4), "energy_high_j": round(c.energy_high_j, 4),
                       "energy_method": c.method}

    # -- forecasting --------------------------------------------------------------------------------
    def forecast(self, *, level: str = "product", freq: str = "W", horizon: int = 4, model: str = "imapa",
                 source: str | None = None, top: int | None = None, series_id: str | None = None,
                 returns: str = "net", progress: bool = False) -> dict[str, Any]:
        """Forecast every series of ``level`` (or one), store the run and its points; returns the run."""
        from greencart.ops.forecast import ForecastSpec, forecast
        from greencart.store.ops_repo import record_forecast_run

        spec = DemandSpec(level=level, freq=freq, returns=returns, source=source, top=top)
        fspec = ForecastSpec(freq=freq, horizon=horizon, models=(model,))
        data = load_demand(self.db, spec)
        series = data.series
        if series_id is not None:
            series = series.loc[series["unique_id"] == series_id]
            if series.empty:
                raise NotFound(f"No {level} series {series_id!r} in the orders; check the id and the level")
        result, energy = self._metered("ops.forecast", lambda: forecast(series, fspec), level=level, model=model)
        points = result.points()
        params = {"returns": returns, "source": source, "top": top, "series_id": series_id, "season": result.season}
        metrics = {"labels": result.labels, "demand": data.summary}
        with self.db.transaction() as s:
            run_id = record_forecast_run(s, kind="forecast", level=level, freq=freq, model=model, horizon=horizon,
                                         n_series=int(series["unique_id"].nunique()), params=params,
                                         metrics=metrics, energy=energy, points=points)
        return {"run_id": run_id, "level": level, "freq": freq, "model": model, "horizon": horizon,
                "series": int(series["unique_id"].nunique()), "labels": result.labels, "energy": energy,
                "demand": data.summary, "points": points}

    def evaluate(self, *, levels: tuple[str, ...] = ("total", "category", "product"), freq: str = "W",
                 horizon: int = 4, windows: int = 3, models: tuple[str, ...] | None = None,
                 source: str | None = None, top: int | None = None, returns: str = "net",
                 progress: bool = False) -> dict[str, Any]:
        """Rolling-origin CV at each aggregation level; every level stored as an ``evaluate`` run."""
        from greencart.ops.forecast import DEFAULT_EVAL_MODELS
        from greencart.ops.forecast_eval import EvalSpec, evaluate
        from greencart.store.ops_repo import record_forecast_run

        espec = EvalSpec(freq=freq, horizon=horizon, windows=windows, models=tuple(models or DEFAULT_EVAL_MODELS))
        out: dict[str, Any] = {"freq": freq, "horizon": horizon, "windows": windows, "levels": {}}
        for level in _progress(levels, progress, "evaluating levels"):
            data = load_demand(self.db, DemandSpec(level=level, freq=freq, returns=returns, source=source,
                                                   top=top if level == "product" else None))
            scores, energy = self._metered("ops.forecast_evaluate",
                                           lambda d=data: evaluate(d.series, espec, d.revenue), level=level)
            metrics = {"rows": scores.rows, "selected": scores.selected, "info": scores.info,
                       "per_window": scores.per_window, "demand": data.summary}
            with self.db.transaction() as s:
                run_id = record_forecast_run(s, kind="evaluate", level=level, freq=freq,
                                             model=scores.selected["model"] or "none", horizon=horizon,
                                             n_series=scores.info["series"], params=asdict(espec),
                                             metrics=metrics, energy=energy)
            out["levels"][level] = {"run_id": run_id, **metrics, "energy": energy}
        return out

    def history(self, *, level: str, series_id: str, freq: str = "W", returns: str = "net",
                source: str | None = None) -> list[dict[str, Any]]:
        data = load_demand(self.db, DemandSpec(level=level, freq=freq, returns=returns, source=source))
        part = data.series.loc[data.series["unique_id"] == series_id]
        if part.empty:
            raise NotFound(f"No {level} series {series_id!r} in the orders")
        return [{"ds": d.to_pydatetime(), "y": float(y)} for d, y in zip(part["ds"], part["y"])]

    def top_series(self, *, level: str, freq: str = "W") -> str:
        """The series of ``level`` with the most revenue (NotFound with no order lines)."""
        data = load_demand(self.db, DemandSpec(level=level, freq=freq, top=1))
        return str(data.series["unique_id"].iloc[0])

    def latest(self, *, level: str, series_id: str | None, freq: str = "W") -> dict[str, Any]:
        """The newest stored forecast of one series (forecasting it now if no stored run holds it);
        ``series_id=None`` is the level's top series by revenue."""
        from greencart.store.ops_repo import forecast_points, latest_forecast_run

        if level not in FORECAST_LEVELS:
            raise InvalidParameter(f"Expected level in {FORECAST_LEVELS}, got {level!r}")
        if series_id is None:
            series_id = self.top_series(level=level, freq=freq)
        with self.db.read() as s:
            run = latest_forecast_run(s, level=level, freq=freq)
            points = forecast_points(s, run.id, series_id) if run else []
        if run is None or not points:
            made = self.forecast(level=level, freq=freq, series_id=series_id)
            with self.db.read() as s:
                run = latest_forecast_run(s, level=level, freq=freq)
                points = forecast_points(s, made["run_id"], series_id)
        return {"run": {"id": run.id, "created_at": run.created_at, "model": run.model, "horizon": run.horizon,
                        "labels": run.metrics.get("labels", []), **run.energy},
                "series_id": series_id, "level": level, "freq": freq,
                "history": self.history(level=level, series_id=series_id, freq=freq), "forecast": points}

    # -- plans --------------------------------------------------------------------------------------
    def plan_production(self, request: dict[str, Any]) -> dict[str, Any]:
        from greencart.ops.plan_run import run_production
        from greencart.store.ops_repo import latest_forecast_run

        if "from_forecast" in request and "problem" not in request:
            with self.db.read() as s:
                stored = latest_forecast_run(s, level="product", freq="W")
            if stored is None:  # plan from demand that exists: forecast the top products first
                self.forecast(level="product", top=max(50, int(request["from_forecast"].get("top", 10))))
        result, energy = self._metered("ops.plan_production", lambda: run_production(request, self.db))
        return self._store_plan("production", request, result, energy)

    def plan_replenishment(self, request: dict[str, Any]) -> dict[str, Any]:
        from greencart.ops.plan_run import run_replenishment_request

        result, energy = self._metered("ops.plan_replenishment", lambda: run_replenishment_request(self.db, request))
        return self._store_plan("replenishment", request, result, energy)

    def _store_plan(self, kind: str, request: dict, result: dict, energy: dict) -> dict[str, Any]:
        import json

        from greencart.store.ops_repo import record_plan

        clean = json.loads(json.dumps(result, default=_jsonable))
        with self.db.transaction() as s:
            plan_id = record_plan(s, kind=kind, status=clean.get("status", "optimal"),
                                  objective=clean.get("objective"), request=request, result=clean, energy=energy)
        return {"plan_id": plan_id, "kind": kind, **clean, "energy": energy}


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _progress(items: Any, enabled: bool, label: str) -> Any:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, leave=False)
