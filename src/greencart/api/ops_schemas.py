"""Request bodies of the planning endpoints, stating what ``ops.plan_run`` accepts.

Every field is bounded as the domain classes check it (``plan_model``, ``replenish``,
``supply``), unknown keys are refused by the schema (422), and each production mode is
its own shape, so a mode's required figure is required by the schema. What a schema cannot
say (options naming unknown products, a machine too small for the demand) is a 409
``Conflict``. ``model_dump(exclude_none=True)`` gives the plain request ``plan_run`` reads.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from greencart.api.params import MAX_ID, TEXT_PATTERN, JsonInt, json_int

STRICT = ConfigDict(extra="forbid", strict=True)
MAX_ITEMS = 200
MAX_PLAN_TIME_LIMIT_S = 3.0  # per solve: a pareto front of a few points still answers within ~10 s
Id = Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=TEXT_PATTERN)]
Units = Annotated[float, Field(ge=0, le=1e9)]


class ProductIn(BaseModel):
    model_config = STRICT
    id: Id
    demand_units: Units
    safety_units: Units = 0.0


class MachineIn(BaseModel):
    model_config = STRICT
    id: Id
    capacity_h: float = Field(ge=0, le=1e6)


class OptionIn(BaseModel):
    model_config = STRICT
    product_id: Id
    machine_id: Id
    mode: Id
    energy_kwh_per_unit: float = Field(ge=0, le=1e6)
    hours_per_unit: float = Field(ge=1e-9, le=1e4)
    setup_kwh: float = Field(default=0.0, ge=0, le=1e6)
    setup_h: float = Field(default=0.0, ge=0, le=1e4)


class ProblemIn(BaseModel):
    """Products, machines and the options that make a product on a machine (ids must match: else 409)."""

    model_config = STRICT
    products: list[ProductIn] = Field(min_length=1, max_length=MAX_ITEMS)
    machines: list[MachineIn] = Field(min_length=1, max_length=MAX_ITEMS)
    options: list[OptionIn] = Field(min_length=1, max_length=MAX_ITEMS)
    integer_units: bool = False
    intensity_g_per_kwh: float = Field(default=150.0, ge=0, le=5000)
    intensity_source: Id = "configured"


class FromForecastIn(BaseModel):
    """The illustrative plant over the newest stored product forecast (its ``top`` products)."""

    model_config = STRICT
    top: JsonInt = Field(default=10, ge=1, le=500)
    machines: JsonInt = Field(default=3, ge=1, le=3)
    capacity_slack: float = Field(default=1.5, ge=0.1, le=100)
    safety_share: float = Field(default=0.1, ge=0, le=1)


class _Production(BaseModel):
    model_config = STRICT
    problem: ProblemIn | None = Field(default=None, description="Plan this problem (wins over from_forecast)")
    from_forecast: FromForecastIn | None = Field(default=None, description="Default: the top 10 forecast products")
    time_limit_s: float = Field(default=MAX_PLAN_TIME_LIMIT_S, ge=0.1, le=MAX_PLAN_TIME_LIMIT_S)

    def request(self) -> dict:
        doc = self.model_dump(exclude_none=True)
        if "problem" not in doc and "from_forecast" not in doc:
            doc["from_forecast"] = FromForecastIn().model_dump()
        return doc


class ParetoIn(_Production):
    mode: Literal["pareto"] = "pareto"
    points: JsonInt = Field(default=9, ge=2, le=21)


class WeightedIn(_Production):
    mode: Literal["weighted"]
    lambda_kwh_per_h: float = Field(ge=0, le=1e6)


class EpsilonIn(_Production):
    mode: Literal["epsilon"]
    max_makespan_h: float = Field(gt=0, le=1e6)


class HourlyIn(_Production):
    mode: Literal["hourly"]
    intensity_g_per_kwh: list[Annotated[float, Field(ge=0, lt=5000)]] = Field(min_length=1, max_length=24 * 14)
    intensity_source: Id = "given"


ProductionIn = ParetoIn | WeightedIn | EpsilonIn | HourlyIn


class ReplenishParamsIn(BaseModel):
    """``ops.replenish.ReplenishParams``: costs as shares of each product's price."""

    model_config = STRICT
    unit_cost_share: float = Field(default=0.6, ge=0, le=1)
    holding_share: float = Field(default=0.01, ge=0, le=1)
    waste_share: float = Field(default=0.1, ge=0, le=1)
    carbon_price_per_kg: float = Field(default=0.1, ge=0, le=1000)
    order_cost: float = Field(default=0.0, ge=0, le=1e6)
    shelf_life_periods: JsonInt = Field(default=4, ge=1, le=104)
    holdout_periods: JsonInt = Field(default=8, ge=2, le=52)
    calibration_periods: JsonInt = Field(default=6, ge=2, le=52)


class SupplyOptionIn(BaseModel):
    model_config = STRICT
    name: Id
    unit_cost: float = Field(ge=0, le=1e9)
    kg_co2e_per_unit: float = Field(ge=0, le=1e9)
    lead_time_periods: JsonInt = Field(default=0, ge=0, le=1000)
    fixed_cost: float = Field(default=0.0, ge=0, le=1e9)
    min_order_units: float = Field(default=0.0, ge=0, le=1e9)
    max_units: float = Field(default=1e9, ge=0, le=1e9)


class SupplyIn(BaseModel):
    model_config = STRICT
    options: list[SupplyOptionIn] = Field(min_length=1, max_length=50)
    max_lead_time_periods: json_int(0, 1000) | None = None  # type: ignore[valid-type]


class ReplenishmentIn(BaseModel):
    model_config = STRICT
    top: JsonInt = Field(default=50, ge=1, le=1000)
    params: ReplenishParamsIn | None = None
    freq: Literal["W", "D"] = "W"
    source: Literal["online-retail", "demo"] | None = Field(default=None, description="Default: all orders")
    supply: SupplyIn | None = None

    def request(self) -> dict:
        return self.model_dump(exclude_none=True)
