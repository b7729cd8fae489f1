"""Clarke-Wright, one vehicle per order, the side-by-side comparison, green slots, nudging."""

from __future__ import annotations

import numpy as np
import pytest
from tests.ops.routing.conftest import euclid, matrix_problem, vehicle

from greencart.errors import InvalidParameter
from greencart.ops.routing.baselines import clarke_wright, one_vehicle_per_order
from greencart.ops.routing.compare import compare_plans, comparison_rows
from greencart.ops.routing.models import SolveParams, TimeWindow
from greencart.ops.routing.nudging import simulate_day
from greencart.ops.routing.slots import DEFAULT_WINDOWS, green_slots

PTS = [(0, 0), (4, 0), (8, 0), (12, 0), (0, 5), (0, 10), (1, 14)]


def _served_once(plan, n):
    ids = sorted(s for r in plan.routes for s in r.stop_ids)
    assert ids == sorted(f"s{i}" for i in range(1, n + 1))


def test_clarke_wright_merges_spokes_within_capacity():
    van = vehicle("diesel_van", 3, capacity_kg=900.0)
    p = matrix_problem(euclid(PTS), [300.0] * 6, (van,))
    cw = clarke_wright(p)
    _served_once(cw, 6)
    assert len(cw.routes) == 2 and all(r.load_kg <= 900 for r in cw.routes) and cw.feasible
    # spoke 1 out and back 24 km; spoke 2: 5 + 5 + sqrt(17) + sqrt(197)
    assert cw.distance_km == pytest.approx(24 + 10 + 17 ** 0.5 + 197 ** 0.5, abs=1e-6)
    naive = one_vehicle_per_order(p)
    assert len(naive.routes) == 6 and naive.distance_km > cw.distance_km


def test_comparison_rows_are_against_distance_only():
    p = matrix_problem(euclid(PTS), [30.0] * 6, (vehicle("diesel_van", 1), vehicle("cargo_bike", 2)))
    plans = compare_plans(p, SolveParams(time_limit_s=5, max_iterations=500))
    assert set(plans) == {"pyvrp-co2e", "pyvrp-distance", "pyvrp-distance+greenest-vehicle", "clarke-wright",
                          "one-vehicle-per-order"}
    rows = {r["method"]: r for r in comparison_rows(plans)}
    base = plans["pyvrp-distance"]
    assert rows["pyvrp-distance"]["co2e_saved_kg_vs_distance_only"] == 0
    green = rows["pyvrp-co2e"]
    assert green["co2e_saved_kg_vs_distance_only"] == pytest.approx(base.co2e_kg - plans["pyvrp-co2e"].co2e_kg, abs=1e-4)
    assert green["km_added_vs_distance_only"] == pytest.approx(plans["pyvrp-co2e"].distance_km - base.distance_km,
                                                               abs=1e-3)
    assert plans["pyvrp-co2e"].co2e_kg <= base.co2e_kg + 1e-9


def test_green_slot_is_where_a_vehicle_already_passes():
    # the planned van (shift 13:00-17:00) visits s1 (x=4) and s2 (x=8) at 14:00-16:00; the new
    # order s3 sits beside s2; outside that van's shift only a new trip by another van can serve it
    pts = [(0, 0), (4, 0), (8, 0), (8.3, 0.2)]
    late = TimeWindow(14 * 60, 16 * 60)
    planned = vehicle("diesel_van", 1, shift=TimeWindow(13 * 60, 17 * 60))
    spare = vehicle("diesel_van", 1, name="spare_van")
    p = matrix_problem(euclid(pts), [50.0, 50.0, 10.0], (planned, spare), [late, late, None])
    out = green_slots(p, [(planned, [1, 2])], "s3")
    by = {s["window"]: s for s in out["slots"]}
    g = out["green_slot"]
    assert g["how"] == "joins a planned route" and g["vehicle"] == "diesel_van"
    for w in ("08:00-10:00", "10:00-12:00", "18:00-20:00"):
        assert by[w]["how"] == "new trip" and by[w]["vehicle"] == "spare_van"
        assert by[w]["marginal_co2e_kg"] > 5 * g["marginal_co2e_kg"]  # a new trip costs far more
    # the new trip by hand: 2 x sqrt(8.3^2 + 0.2^2) km, 10 kg out and empty back
    km = (8.3 ** 2 + 0.2 ** 2) ** 0.5
    litres = km * (8.5 + 2.5 * 10 / 1000) / 100 + km * 8.5 / 100
    assert by["08:00-10:00"]["marginal_co2e_kg"] == pytest.approx(litres * 3.19747, abs=1e-5)
    assert g["saving_kg_co2e_vs_dearest"] > 0 and g["saving_kg_co2e_vs_mean"] > 0
    assert len(out["slots"]) == len(DEFAULT_WINDOWS)
    with pytest.raises(InvalidParameter, match="already on a planned route"):
        green_slots(p, [(planned, [1, 2, 3])], "s3")


def test_nudging_is_deterministic_and_full_nudge_is_not_worse():
    rng = np.random.default_rng(3)
    pts = [(0, 0)] + [tuple(x) for x in rng.uniform(-4, 4, size=(14, 2))]
    fleet = (vehicle("diesel_van", 2), vehicle("cargo_bike", 2))
    params = SolveParams(time_limit_s=5, max_iterations=300, seed=1)
    runs = {}
    weights = [5.0 + i for i in range(14)]
    for share in (0.0, 1.0):
        runs[share] = simulate_day(matrix_problem(euclid(pts), weights, fleet), share, seed=4, params=params)
    again = simulate_day(matrix_problem(euclid(pts), weights, fleet), 1.0, seed=4, params=params)
    assert again == runs[1.0]
    assert runs[1.0]["green_slot_taken"] == 14
    assert runs[1.0]["greedy_co2e_kg_per_delivery"] <= runs[0.0]["greedy_co2e_kg_per_delivery"] + 1e-9
    with pytest.raises(InvalidParameter, match="share"):
        simulate_day(matrix_problem(euclid(pts), weights, fleet), 1.5)
