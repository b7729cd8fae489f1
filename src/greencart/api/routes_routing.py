"""Delivery routing: ``POST /v1/routes/plan``, ``GET /v1/delivery/slots?order=`` and the
merchant's page ``/merchant/delivery`` (plain HTML/JS under ``static/``; the map-like SVG
of the routes is drawn in the browser from the plan JSON). See docs/routing.md."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from greencart.api.errors import error_responses
from greencart.api.params import ID_PATTERN, MAX_ID, MAX_OFFSET, TEXT_PATTERN, IsoDate, JsonInt, json_int
from greencart.api.routes_catalog import metered
from greencart.api.routes_ui import STATIC_DIR

router = APIRouter(tags=["routing"])
MAX_API_TIME_LIMIT_S = 2.0  # per solve: a comparison (two solves and baselines) answers within ~10 s
MIN_API_TIME_LIMIT_S = 0.01  # the solver's own floor (SolveParams)
# An order is up to ~200 bytes of JSON, so a body of MAX_API_ORDERS fits the 64 KiB body limit (docs/api.md)
MAX_API_ORDERS = 300
MAX_ORDER_KG, MAX_ORDER_L = 900.0, 9000.0  # the largest vehicle of the 'electric' mix (the smallest preset)


WINDOW_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"  # an end <= start is overnight
VehicleKind = Literal["diesel_van", "electric_van", "cargo_bike"]
Mix = Literal["diesel", "mixed", "electric"]
STRICT = ConfigDict(extra="forbid", strict=True)  # JSON numbers and booleans only, as the schema says


class OrderIn(BaseModel):
    model_config = STRICT
    id: str = Field(min_length=1, max_length=MAX_ID, pattern=TEXT_PATTERN)
    weight_kg: float = Field(ge=0, le=MAX_ORDER_KG, description="Up to what every preset mix carries (900 kg); "
                                                                "an order heavier than every vehicle of a given "
                                                                "fleet is refused (422)")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    volume_l: float = Field(default=0.0, ge=0, le=MAX_ORDER_L)
    window: str | None = Field(default=None, pattern=WINDOW_PATTERN,
                               description='"HH:MM-HH:MM"; an end at or before the start is the next day')
    service_min: float = Field(default=3.0, ge=0, le=240)


class PointIn(BaseModel):
    model_config = STRICT
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class VehicleIn(BaseModel):
    """A vehicle class of the catalogue; named after its type (numbered when repeated)."""

    model_config = STRICT
    type: VehicleKind
    count: JsonInt = Field(default=1, ge=1, le=1000)
    capacity_kg: float | None = Field(default=None, ge=0.001, le=100_000)
    volume_l: float | None = Field(default=None, ge=0, le=1_000_000, description="0: not constrained")
    speed_kmh: float | None = Field(default=None, ge=1, le=130)
    max_distance_km: float | None = Field(default=None, ge=0, le=100_000, description="0: unlimited")
    shift: str | None = Field(default=None, pattern=WINDOW_PATTERN, description='"HH:MM-HH:MM" (default 08:00-20:00)')


class FleetIn(BaseModel):
    model_config = STRICT
    depot: PointIn | None = Field(default=None, description="Default: the demo depot")
    vehicles: list[VehicleIn] = Field(min_length=1, max_length=20)
    road_factor: float = Field(default=1.3, ge=1.0, le=3.0)
    name: str = Field(default="fleet", min_length=1, max_length=MAX_ID, pattern=TEXT_PATTERN)

    def document(self) -> dict[str, Any]:
        """The fleet document of docs/routing.md, vehicle names made distinct."""
        doc = self.model_dump(exclude_none=True)
        seen: dict[str, int] = {}
        for v in doc["vehicles"]:
            seen[v["type"]] = seen.get(v["type"], 0) + 1
            v["name"] = v["type"] if seen[v["type"]] == 1 else f"{v['type']}-{seen[v['type']]}"
        return doc


class _PlanCommon(BaseModel):
    model_config = ConfigDict(extra="forbid")  # not strict: 'date' comes as a JSON string
    fleet: FleetIn | None = Field(default=None, description="A fleet (docs/routing.md); default: the 'mix' preset.")
    mix: Mix = "mixed"
    objective: Literal["co2e", "distance"] = "co2e"
    time_limit_s: float = Field(strict=True, default=1.0, ge=MIN_API_TIME_LIMIT_S, le=MAX_API_TIME_LIMIT_S)
    seed: JsonInt = Field(default=0, ge=0, le=MAX_OFFSET)
    max_iterations: json_int(1, 10_000_000) | None = None  # type: ignore[valid-type]
    compare: bool = Field(default=True, strict=True)


class DayPlanIn(_PlanCommon):
    """Plan the stored orders of a day."""

    date: IsoDate | None = Field(default=None, description="Plan the stored orders of this day (default: latest).")
    save: bool = Field(default=False, strict=True, description="Store the plan; slots then price against it.")


class OrdersPlanIn(_PlanCommon):
    """Plan the given orders (not stored, not saved)."""

    orders: list[OrderIn] = Field(min_length=1, max_length=MAX_API_ORDERS, description="Orders to plan.")


def _fleet(fleet: FleetIn | None, mix: str):  # type: ignore[no-untyped-def]
    from greencart.ops.routing.inputs import fleet_from_dict, mix_fleet

    return fleet_from_dict(fleet.document(), "request body field 'fleet'") if fleet is not None else mix_fleet(mix)


@router.post("/v1/routes/plan", summary="Delivery routes with load-dependent CO2e, side by side with baselines",
             responses=error_responses(404, 409, descriptions={
                 404: "No stored orders (for that day)", 409: "Orders the fleet cannot carry, or two with one id"}))
def plan_routes(body: DayPlanIn | OrdersPlanIn, request: Request) -> dict:
    from greencart.ops.routing.inputs import stops_from_records
    from greencart.ops.routing.models import SolveParams
    from greencart.ops.routing.service import RoutingService

    fleet = _fleet(body.fleet, body.mix)
    params = SolveParams(time_limit_s=body.time_limit_s, seed=body.seed, max_iterations=body.max_iterations)
    svc = RoutingService(request.app.state.service.db)
    with metered(request, "route.plan"):
        if isinstance(body, OrdersPlanIn):
            stops = stops_from_records([o.model_dump() for o in body.orders], "request body field 'orders'")
            day, save = None, False
        else:
            day = body.date or svc.latest_busy_day()
            stops, save = svc.day_stops(fleet, day), body.save
        return svc.plan(fleet, stops, day, body.objective, params, body.compare, save)


@router.get("/v1/delivery/slots", summary="Marginal kg CO2e of each delivery window; the green slot",
            responses=error_responses(404, 409, descriptions={
                404: "No stored order with that id", 409: "The order is already on a planned route"}))
def delivery_slots(
    request: Request,
    order: str = Query(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN, description="A stored sales order id"),
    mix: Mix = "mixed",
    time_limit_s: float = Query(default=2.0, ge=MIN_API_TIME_LIMIT_S, le=MAX_API_TIME_LIMIT_S),
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
