"""Supplier / transport-mode choice as a small MILP (HiGHS): split an order across options (e.g. sea, rail,
road, air; or two suppliers) with unit cost, transport kg CO2e per unit, lead time, a fixed cost per option
used, minimum and maximum order sizes, and an internal carbon price. The store has no supplier data, so
the options come with the request; the answer is compared with the cost-only choice (carbon price 0)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from greencart.errors import InvalidParameter
from greencart.ops.solver import SOLVER, PlanInfeasible, solve


@dataclass(frozen=True)
class SupplyOption:
    name: str
    unit_cost: float
    kg_co2e_per_unit: float
    lead_time_periods: int = 0
    fixed_cost: float = 0.0
    min_order_units: float = 0.0
    max_units: float = 1e9

    def __post_init__(self) -> None:
        if not self.name:
            raise InvalidParameter("Expected a non-empty supply option name")
        for field_name in ("unit_cost", "kg_co2e_per_unit", "fixed_cost", "min_order_units", "max_units"):
            v = getattr(self, field_name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
                raise InvalidParameter(f"Expected {field_name} of {self.name!r} >= 0 and finite, got {v!r}")
        if self.min_order_units > self.max_units:
            raise InvalidParameter(f"Expected min_order_units <= max_units for {self.name!r}")
        if self.lead_time_periods < 0:
            raise InvalidParameter(f"Expected lead_time_periods >= 0 for {self.name!r}, got {self.lead_time_periods}")


def _solve(units: float, opts: Sequence[SupplyOption], carbon_price: float, time_limit_s: float) -> dict[str, Any]:
    import numpy as np

    n = len(opts)
    c = np.array([o.unit_cost + carbon_price * o.kg_co2e_per_unit for o in opts] + [o.fixed_cost for o in opts])
    rows, lb, ub = [np.r_[np.ones(n), np.zeros(n)]], [units], [units]
    for k, o in enumerate(opts):
        cap = np.zeros(2 * n)
        cap[k], cap[n + k] = 1.0, -min(o.max_units, units)
        low = np.zeros(2 * n)
        low[k], low[n + k] = 1.0, -o.min_order_units
        rows += [cap, low]
        lb += [-np.inf, 0.0]
        ub += [0.0, np.inf]
    integrality = np.r_[np.zeros(n), np.ones(n)]
    sol = solve(c, np.array(rows), np.array(lb), np.array(ub),
                bounds=(np.zeros(2 * n), np.r_[np.full(n, np.inf), np.ones(n)]), integrality=integrality,
                time_limit_s=time_limit_s)
    if sol.status == "infeasible":
        total = sum(min(o.max_units, units) for o in opts)
        raise PlanInfeasible(f"Infeasible supply plan: {units:g} units cannot be split over {[o.name for o in opts]} "
                             f"(their max_units sum to {total:g}, or a minimum order is larger than the need)")
    if not sol.ok:
        raise InvalidParameter(f"HiGHS returned status {sol.status!r} ({sol.message}); no supply plan was made")
    q = sol.x[:n]
    return {"status": sol.status, "mip_gap": sol.mip_gap,
            "allocation": {o.name: round(float(q[k]), 6) for k, o in enumerate(opts) if q[k] > 1e-9},
            "cost": round(float(sum(o.unit_cost * q[k] + o.fixed_cost * (q[k] > 1e-9) for k, o in enumerate(opts))), 4),
            "kg_co2e": round(float(sum(o.kg_co2e_per_unit * q[k] for k, o in enumerate(opts))), 6)}


def choose_supply(units: float, options: Sequence[SupplyOption], *, carbon_price_per_kg: float = 0.1,
                  max_lead_time_periods: int | None = None, time_limit_s: float = 10.0) -> dict[str, Any]:
    """The least cost-plus-carbon split of ``units`` over the options within the lead time, and the
    cost-only split for comparison (kg CO2e saved, extra cost)."""
    if not (math.isfinite(units) and 0 < units <= 1e9):
        raise InvalidParameter(f"Expected units in (0, 1e9], got {units}")
    if not (0 <= carbon_price_per_kg <= 1000):
        raise InvalidParameter(f"Expected carbon_price_per_kg in [0, 1000], got {carbon_price_per_kg}")
    opts = [o for o in options if max_lead_time_periods is None or o.lead_time_periods <= max_lead_time_periods]
    if not opts:
        raise PlanInfeasible(f"Infeasible supply plan: no option has a lead time <= {max_lead_time_periods} periods")
    green = _solve(units, opts, carbon_price_per_kg, time_limit_s)
    cheap = _solve(units, opts, 0.0, time_limit_s)
    return {"solver": SOLVER, "units": units, "carbon_price_per_kg": carbon_price_per_kg, "chosen": green,
            "cost_only": cheap, "kg_co2e_saved": round(cheap["kg_co2e"] - green["kg_co2e"], 6),
            "extra_cost": round(green["cost"] - cheap["cost"], 4)}
