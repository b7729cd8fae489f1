"""Merchant planning: ``GET /v1/forecasts``, ``POST /v1/plans/production``, ``POST /v1/plans/replenishment``,
stored plans at ``GET /v1/plans/{id}``, and the merchant page at ``/merchant`` (static, no build step).

The :class:`greencart.ops.service.OpsService` is built lazily on the app's catalogue database and energy
monitor, so runs triggered here are metered like everything else and stored with their energy.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from greencart.api.errors import error_responses
from greencart.api.ops_schemas import ProductionIn, ReplenishmentIn
from greencart.api.params import ID_PATTERN, MAX_ID, MAX_OFFSET
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


Level = Literal["total", "category", "product", "country", "product_country"]
assert set(Level.__args__) == set(FORECAST_LEVELS)  # one list of levels


def _series_id(description: str) -> Any:
    return Query(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN, description=description)


@router.get("/v1/forecasts", response_model=ForecastOut, responses=error_responses(
        404, descriptions={404: "No such series at that level, or no order lines in the store"}))
def forecasts(
    request: Request,
    level: Level = "total",
    product: Annotated[Optional[str], _series_id("Product id (level=product; default: the top product "
                                                  "by revenue)")] = None,
    series: Annotated[Optional[str], _series_id("Series id at other levels (a category slug, ...; default: the "
                                                 "top series by revenue)")] = None,
    freq: Literal["W", "D"] = "W",
) -> dict[str, Any]:
    """The newest stored forecast of one series with its history and 80/95 % intervals (forecast now if none).

    Without ``product`` (level=product) or ``series`` (other levels) it is the level's top series by revenue."""
    if level == "total":
        series_id: Optional[str] = "total"
    else:
        series_id = product if level == "product" else series
    return _ops(request).latest(level=level, series_id=series_id, freq=freq)


PLAN_ERRORS = error_responses(404, 409, descriptions={
    404: "No order lines (or no product forecast) in the store", 409: "The problem cannot be planned as given "
    "(options naming unknown products or machines, capacity or makespan that cannot hold)"})


@router.post("/v1/plans/production", response_model=PlanOut, responses=PLAN_ERRORS)
def plan_production(request: Request, body: Annotated[ProductionIn, Body(
        examples=[{"from_forecast": {"top": 10}, "mode": "pareto", "points": 9},
                  {"problem": {"products": [{"id": "p", "demand_units": 10}], "machines": [{"id": "m", "capacity_h": 100}],
                               "options": [{"product_id": "p", "machine_id": "m", "mode": "fast",
                                            "energy_kwh_per_unit": 2, "hours_per_unit": 1}]},
                   "mode": "weighted", "lambda_kwh_per_h": 1.0}])]) -> dict[str, Any]:
    """A production plan (weighted, epsilon, pareto or hourly) with solver status and gap; stored."""
    return _ops(request).plan_production(body.request())


@router.post("/v1/plans/replenishment", response_model=PlanOut, responses=PLAN_ERRORS)
def plan_replenishment(request: Request, body: Annotated[ReplenishmentIn, Body(
        examples=[{"top": 50, "params": {"shelf_life_periods": 4, "carbon_price_per_kg": 0.1}}])]) -> dict[str, Any]:
    """Newsvendor, (s, S) and naive policies simulated on held-out demand; stored."""
    return _ops(request).plan_replenishment(body.request())


# ``:int`` routes only digits here, so GET /v1/plans/production is the POST route's 405, not a bad id.
@router.get("/v1/plans/{plan_id:int}", responses=error_responses(404, descriptions={404: "No plan with that id"}))
def get_plan(request: Request,
             plan_id: Annotated[int, Path(ge=1, le=MAX_OFFSET, description="A stored plan's id")]) -> dict[str, Any]:
    from greencart.store.ops_repo import get_plan as fetch

    with _ops(request).db.read() as s:
        return fetch(s, plan_id)


@router.get("/merchant", include_in_schema=False)
def merchant_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "merchant.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})
