"""Side by side in one run: CO2e-aware PyVRP, distance-only PyVRP (as solved and with
the greenest vehicles reassigned), Clarke-Wright savings, one vehicle per order."""

from __future__ import annotations

from greencart.ops.routing.baselines import clarke_wright, one_vehicle_per_order, reassign_vehicles
from greencart.ops.routing.evaluate import RoutingProblem
from greencart.ops.routing.models import SolveParams
from greencart.ops.routing.plan import Plan
from greencart.ops.routing.solver import solve_pyvrp


def compare_plans(problem: RoutingProblem, params: SolveParams = SolveParams()) -> dict[str, Plan]:
    """Every method on the same problem; keys are the plans' methods."""
    green = solve_pyvrp(problem, "co2e", params)
    dist = solve_pyvrp(problem, "distance", params)
    plans = [green, dist, reassign_vehicles(problem, dist), clarke_wright(problem), one_vehicle_per_order(problem)]
    return {p.method: p for p in plans}


def comparison_rows(plans: dict[str, Plan], baseline: str = "pyvrp-distance") -> list[dict]:
    """One row per method with kg CO2e saved and km added against ``baseline``."""
    base = plans[baseline]
    rows = []
    for p in plans.values():
        s = p.summary()
        s["co2e_saved_kg_vs_distance_only"] = round(base.co2e_kg - p.co2e_kg, 4)
        s["co2e_saved_pct_vs_distance_only"] = round(100 * (base.co2e_kg - p.co2e_kg) / base.co2e_kg, 2) \
            if base.co2e_kg else 0.0
        s["km_added_vs_distance_only"] = round(p.distance_km - base.distance_km, 3) + 0.0  # no -0.0
        s["notes"] = list(p.notes)
        rows.append(s)
    return rows
