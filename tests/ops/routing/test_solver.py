"""PyVRP on tiny instances with a known optimum, seed determinism, CO2e-aware vehicle choice,
and bad input that names the field."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from tests.ops.routing.conftest import euclid, matrix_problem, vehicle

from greencart.errors import InvalidParameter
from greencart.ops.routing.models import SolveParams, TimeWindow
from greencart.ops.routing.solver import solve_pyvrp

# depot at the origin, 6 stops on two spokes; optimum by brute force below
POINTS = [(0, 0), (4, 0), (8, 0), (12, 0), (0, 5), (0, 10), (1, 14)]
WEIGHTS = [300.0, 300.0, 300.0, 300.0, 300.0, 300.0]


def brute_force_km(d: np.ndarray, weights: list[float], cap: float) -> float:
    """Best total distance over every assignment of stops to routes and every order within each route."""
    n = len(weights)
    best_tsp: dict[frozenset, float] = {}
    for r in range(1, n + 1):
        for subset in itertools.combinations(range(1, n + 1), r):
            if sum(weights[i - 1] for i in subset) > cap:
                continue
            best_tsp[frozenset(subset)] = min(
                d[0, p[0]] + sum(d[a, b] for a, b in zip(p, p[1:])) + d[p[-1], 0]
                for p in itertools.permutations(subset))

    def cover(left: frozenset) -> float:
        if not left:
            return 0.0
        first = min(left)
        return min(c + cover(left - s) for s, c in best_tsp.items() if first in s and s <= left)

    return cover(frozenset(range(1, n + 1)))


def test_tiny_instance_reaches_the_brute_force_optimum():
    d = euclid(POINTS)
    van = vehicle("diesel_van", count=3, capacity_kg=900.0)
    p = matrix_problem(d, WEIGHTS, (van,))
    plan = solve_pyvrp(p, "distance", SolveParams(time_limit_s=5, max_iterations=2000, seed=1))
    assert plan.feasible and plan.n_stops == 6
    assert plan.distance_km == pytest.approx(brute_force_km(d, WEIGHTS, 900.0), abs=2e-3)  # metre rounding
    assert sorted(s for r in plan.routes for s in r.stop_ids) == [f"s{i}" for i in range(1, 7)]


def test_same_seed_same_plan():
    rng = np.random.default_rng(7)
    pts = [(0, 0)] + [tuple(x) for x in rng.uniform(-5, 5, size=(25, 2))]
    p = matrix_problem(euclid(pts), list(rng.uniform(5, 60, size=25)),
                       (vehicle("diesel_van", 2, capacity_kg=400.0), vehicle("cargo_bike", 2)))
    params = SolveParams(time_limit_s=30, max_iterations=300, seed=3)
    a, b = solve_pyvrp(p, "co2e", params), solve_pyvrp(p, "co2e", params)
    assert [(r.vehicle, r.stop_ids) for r in a.routes] == [(r.vehicle, r.stop_ids) for r in b.routes]
    assert a.co2e_kg == b.co2e_kg


def test_co2e_objective_prefers_the_bike_and_distance_only_does_not_care():
    d = euclid(POINTS)
    fleet = (vehicle("diesel_van", 1, capacity_kg=2000.0), vehicle("cargo_bike", 3, capacity_kg=150.0, max_distance_km=0.0))
    p = matrix_problem(d, [40.0] * 6, fleet)
    green = solve_pyvrp(p, "co2e", SolveParams(time_limit_s=5, max_iterations=1000))
    assert {r.vehicle for r in green.routes} == {"cargo_bike"}
    dist = solve_pyvrp(p, "distance", SolveParams(time_limit_s=5, max_iterations=1000))
    assert green.co2e_kg < dist.co2e_kg or {r.vehicle for r in dist.routes} == {"cargo_bike"}
    assert green.sources["diesel_van"].startswith("assumption")


def test_time_windows_are_kept():
    d = euclid(POINTS)
    windows = [TimeWindow(8 * 60, 9 * 60)] * 3 + [TimeWindow(15 * 60, 16 * 60)] * 3
    van = vehicle("diesel_van", 2)
    p = matrix_problem(d, [10.0] * 6, (van,), windows)
    plan = solve_pyvrp(p, "co2e", SolveParams(time_limit_s=5, max_iterations=1000))
    assert plan.feasible
    for r in plan.routes:
        for sid, t in zip(r.stop_ids, r.arrivals_min):
            w = p.stops[p.index[sid] - 1].window
            assert w.start_min - 1e-6 <= t <= w.end_min + 1e-6


def test_demand_over_every_capacity_names_the_field():
    with pytest.raises(InvalidParameter, match="'weight_kg'.*exceeds every vehicle"):
        matrix_problem(euclid(POINTS[:2]), [5000.0], (vehicle("diesel_van"), vehicle("cargo_bike")))


def test_fleet_too_small_names_the_count():
    p = matrix_problem(euclid(POINTS[:4]), [900.0, 900.0, 900.0], (vehicle("diesel_van", 2),))
    with pytest.raises(InvalidParameter, match=r"vehicles\[\]\.count"):
        solve_pyvrp(p, "co2e", SolveParams(time_limit_s=1))


@pytest.mark.parametrize("kwargs, field", [({"time_limit_s": 1e9}, "time_limit_s"), ({"time_limit_s": 0}, "time_limit_s"),
                                           ({"seed": -1}, "seed"), ({"reference_load": 2}, "reference_load")])
def test_absurd_solve_params_name_the_field(kwargs, field):
    with pytest.raises(InvalidParameter, match=field):
        SolveParams(**kwargs)


def test_unknown_objective():
    p = matrix_problem(euclid(POINTS[:2]), [1.0], (vehicle("diesel_van"),))
    with pytest.raises(InvalidParameter, match="objective"):
        solve_pyvrp(p, "cheapest", SolveParams(time_limit_s=1))
