"""Merchant planning: ``GET /v1/forecasts``, ``POST /v1/plans/production``, ``POST /v1/plans/replenishment``,
stored plans at ``GET /v1/plans/{id}``, and the merchant page at ``/merchant`` (static, no build step).

The :class:`greencart.ops.service.OpsService` is built lazily on the app's catalogue database and energy
monitor, so runs triggered here are metered like everything else and stored with their energy.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from greencart.api.routes_ui import STATIC_DIR
from greencart.ops.service import FORECAST_LEVELS, OpsService

router = APIRouter(tags=["ops"])


def _ops(request: Request) -> OpsService:
    state = request.app.state
    svc = getattr(state, "ops", None)
    if svc is None:
        svc = OpsService(state.service.db, getattr(state, "monitor", None))
        state.ops = svc
    return svc


class ForecastPoint(BaseModel):
    series_id: str
    ds: Any
    mean: float
    lo_80: Optional[float] = None
    hi_80: Optional[float] = None
    lo_95: Optional[float] = None
    hi_95: Optional[float] = None
    label: Optional[str] = None


class ForecastOut(BaseModel):
    run: dict[str, Any] = Field(description="The stored run: id, model, horizon, labels, energy_j and its method")
    series_id: str
    level: str
    freq: str
    history: list[dict[str, Any]]
    forecast: list[ForecastPoint]


class PlanOut(BaseModel):
    model_config = {"extra": "allow"}
    plan_id: int
    kind: str
    status: str = Field(description="Solver status: optimal, time_limit, partial, simulated")
    objective: Optional[float] = None
    energy: dict[str, Any] = Field(description="Energy of the planning run itself (J, band, method)")


@router.get("/v1/forecasts", response_model=ForecastOut)
def forecasts(
    request: Request,
    level: Annotated[str, Query(description=f"One of {FORECAST_LEVELS}")] = "total",
    product: Annotated[Optional[str], Query(description="Product id (level=product)")] = None,
    series: Annotated[Optional[str], Query(description="Series id at other levels (a category slug, ...)")] = None,
    freq: Annotated[str, Query(pattern="^(W|D)$")] = "W",
) -> dict[str, Any]:
    """The newest stored forecast of one series with its history and 80/95 % intervals (forecast now if none)."""
    from greencart.errors import InvalidParameter

    if level == "product":
        if not product:
            raise InvalidParameter("Expected product=<product id> with level=product")
        series_id = product
    elif level == "total":
        series_id = "total"
    else:
        if not series:
            raise InvalidParameter(f"Expected series=<id> with level={level}")
        series_id = series
    return _ops(request).latest(level=level, series_id=series_id, freq=freq)


@router.post("/v1/plans/production", response_model=PlanOut)
def plan_production(request: Request, body: Annotated[dict[str, Any], Body(
        examples=[{"from_forecast": {"top": 10}, "mode": "pareto", "points": 9},
                  {"problem": {"products": [{"id": "p", "demand_units": 10}], "machines": [{"id": "m", "capacity_h": 100}],
                               "options": [{"product_id": "p", "machine_id": "m", "mode": "fast",
                                            "energy_kwh_per_unit": 2, "hours_per_unit": 1}]},
                   "mode": "weighted", "lambda_kwh_per_h": 1.0}])]) -> dict[str, Any]:
    """A production plan (weighted, epsilon, pareto or hourly) with solver status and gap; stored."""
    return _ops(request).plan_production(body)


@router.post("/v1/plans/replenishment", response_model=PlanOut)
def plan_replenishment(request: Request, body: Annotated[dict[str, Any], Body(
        examples=[{"top": 50, "params": {"shelf_life_periods": 4, "carbon_price_per_kg": 0.1}}])]) -> dict[str, Any]:
    """Newsvendor, (s, S) and naive policies simulated on held-out demand; stored."""
    return _ops(request).plan_replenishment(body)


@router.get("/v1/plans/{plan_id}")
def get_plan(request: Request, plan_id: int) -> dict[str, Any]:
    from greencart.store.ops_repo import get_plan as fetch

    with _ops(request).db.read() as s:
        return fetch(s, plan_id)


@router.get("/merchant", include_in_schema=False)
def merchant_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "merchant.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})
