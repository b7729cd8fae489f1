"""Slot nudging: a simulated day where a share of shoppers pick the green slot.

Orders arrive in the order they were placed. Each shopper has a preferred
window (drawn at random); with probability ``share`` the shopper takes the
green slot instead (the window of least marginal kg CO2e, :mod:`slots`). The
order is inserted where it costs least, so later shoppers see the routes
built so far. At the end the day is re-optimised by PyVRP with every chosen
window as a hard time window. The same random draws are used for every share,
so shares differ only by the nudge.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from greencart.errors import Conflict, InvalidParameter
from greencart.ops.routing.evaluate import RoutingProblem
from greencart.ops.routing.models import SolveParams, VehicleType
from greencart.ops.routing.slots import DEFAULT_WINDOWS, best_insertion, slot_options
from greencart.ops.routing.solver import solve_pyvrp


def simulate_day(problem: RoutingProblem, share: float, seed: int = 0,
                 params: SolveParams = SolveParams(time_limit_s=2.0)) -> dict:
    """kg CO2e per delivery after a day of bookings with ``share`` of shoppers nudged."""
    if not 0.0 <= share <= 1.0:
        raise InvalidParameter(f"Expected share in [0, 1], got {share}")
    rng = np.random.default_rng(seed)
    windows = DEFAULT_WINDOWS
    routes: list[tuple[VehicleType, list[int]]] = []
    green_taken = 0
    for k in range(1, len(problem.stops) + 1):
        preferred = windows[int(rng.integers(len(windows)))]
        nudged = bool(rng.random() < share)
        options = [o for o in slot_options(problem, routes, k, windows) if o.available]
        if not options:
            raise Conflict(f"No window can serve order {problem.stops[k - 1].id!r}; add vehicles")
        green = min(options, key=lambda o: (o.marginal_co2e_kg, o.start_min))
        pick = green if nudged else next((o for o in options if o.start_min == preferred.start_min), green)
        green_taken += pick.start_min == green.start_min
        window = next(w for w in windows if w.start_min == pick.start_min)
        ins = best_insertion(problem, routes, k, window)
        assert ins is not None  # the option was available
        stops = problem.stops
        problem.stops = stops[: k - 1] + (replace(stops[k - 1], window=window),) + stops[k:]
        if ins.route < 0:
            routes.append((ins.vehicle, list(ins.seq)))
        else:
            routes[ins.route] = (ins.vehicle, list(ins.seq))
    greedy_kg = sum(problem.co2e_kg(v, seq) for v, seq in routes)
    final = solve_pyvrp(problem, "co2e", params)
    final_kg = final.co2e_kg if final.feasible else greedy_kg
    n = len(problem.stops)
    return {"share_nudged": share, "seed": seed, "deliveries": n, "green_slot_taken": green_taken,
            "greedy_co2e_kg_per_delivery": round(greedy_kg / n, 5),
            "co2e_kg_per_delivery": round(min(final_kg, greedy_kg) / n, 5),
            "distance_km": round(final.distance_km, 3), "routes": len(final.routes),
            "reoptimised_feasible": final.feasible}
