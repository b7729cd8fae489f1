"""Delivery routing: ``POST /v1/routes/plan``, ``GET /v1/delivery/slots?order=`` and the
merchant's page ``/merchant/delivery`` (plain HTML/JS under ``static/``; the map-like SVG
of the routes is drawn in the browser from the plan JSON). See docs/routing.md."""

from __future__ import annotations

from datetime import date as Date
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from greencart.api.routes_catalog import metered
from greencart.api.routes_ui import STATIC_DIR
from greencart.errors import InvalidParameter

router = APIRouter(tags=["routing"])
MAX_API_TIME_LIMIT_S = 60.0
MAX_API_ORDERS = 2000


class OrderIn(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    weight_kg: float = Field(ge=0, le=100_000)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    postcode: str | None = None
    volume_l: float = Field(default=0.0, ge=0)
    window: str | None = Field(default=None, description='"HH:MM-HH:MM"')
    service_min: float = Field(default=3.0, ge=0, le=240)


class PlanRequest(BaseModel):
    date: Date | None = Field(default=None, description="Plan the stored orders of this day (default: latest).")
    orders: list[OrderIn] | None = Field(default=None, max_length=MAX_API_ORDERS,
                                         description="Orders to plan instead of a stored day.")
    fleet: dict[str, Any] | None = Field(default=None, description="A fleet document (docs/routing.md).")
    mix: Literal["diesel", "mixed", "electric"] = "mixed"
    objective: Literal["co2e", "distance"] = "co2e"
    time_limit_s: float = Field(default=3.0, gt=0, le=MAX_API_TIME_LIMIT_S)
    seed: int = Field(default=0, ge=0)
    max_iterations: int | None = Field(default=None, ge=1, le=10_000_000)
    compare: bool = True
    save: bool = Field(default=False, description="Store the plan of 'date'; slots then price against it.")


def _fleet(doc: dict | None, mix: str):  # type: ignore[no-untyped-def]
    from greencart.ops.routing.inputs import fleet_from_dict, mix_fleet

    return fleet_from_dict(doc, "request body field 'fleet'") if doc is not None else mix_fleet(mix)


@router.post("/v1/routes/plan", summary="Delivery routes with load-dependent CO2e, side by side with baselines")
def plan_routes(body: PlanRequest, request: Request) -> dict:
    from greencart.ops.routing.inputs import stops_from_records
    from greencart.ops.routing.models import SolveParams
    from greencart.ops.routing.service import RoutingService

    if body.date is not None and body.orders is not None:
        raise InvalidParameter("Expected either 'date' or 'orders' in the request body, not both")
    fleet = _fleet(body.fleet, body.mix)
    params = SolveParams(time_limit_s=body.time_limit_s, seed=body.seed, max_iterations=body.max_iterations)
    svc = RoutingService(request.app.state.service.db)
    with metered(request, "route.plan"):
        if body.orders is not None:
            stops = stops_from_records([o.model_dump() for o in body.orders], "request body field 'orders'")
            day = None
        else:
            day = body.date or svc.latest_busy_day()
            stops = svc.day_stops(fleet, day)
        return svc.plan(fleet, stops, day, body.objective, params, body.compare, body.save)


@router.get("/v1/delivery/slots", summary="Marginal kg CO2e of each delivery window; the green slot")
def delivery_slots(
    request: Request,
    order: str = Query(min_length=1, max_length=64, description="A stored sales order id"),
    mix: Literal["diesel", "mixed", "electric"] = "mixed",
    time_limit_s: float = Query(default=2.0, gt=0, le=MAX_API_TIME_LIMIT_S),
) -> dict:
    from greencart.ops.routing.models import SolveParams
    from greencart.ops.routing.service import RoutingService

    svc = RoutingService(request.app.state.service.db)
    with metered(request, "route.slots"):
        return svc.slots(order, _fleet(None, mix), SolveParams(time_limit_s=time_limit_s))


@router.get("/merchant/delivery", include_in_schema=False)
def delivery_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "delivery.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})
