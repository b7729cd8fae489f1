"""PyVRP on a :class:`RoutingProblem`: distance-only or CO2e-aware.

PyVRP costs are linear per vehicle type, so the CO2e-aware objective is an
emission-weighted distance: each vehicle type's ``unit_distance_cost`` is its
WTW g CO2e per km at a reference load (half full by default), in integer
hundredths of a mg per metre. Distances are integer metres, durations integer
seconds (PyVRP takes integers only). The exact load-dependent CO2e of every
route is then recomputed and each route reordered where that lowers it.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from greencart.errors import Conflict, InvalidParameter
from greencart.ops.routing.evaluate import RoutingProblem, reorder
from greencart.ops.routing.models import SolveParams, VehicleType
from greencart.ops.routing.plan import Plan

OBJECTIVES = ("co2e", "distance")


def g_per_km(problem: RoutingProblem, v: VehicleType, load_frac: float) -> float:
    """WTW g CO2e per km of vehicle ``v`` at ``load_frac`` of its capacity."""
    per_100km = v.empty_per_100km + (v.full_per_100km - v.empty_per_100km) * load_frac
    if v.carrier == "electricity":
        return per_100km / 100 * problem.grid(v.shift.start_min).g_per_kwh
    return per_100km / 100 * v.factor.wtw_kg_co2e * 1000


def _check_fleet(problem: RoutingProblem) -> None:
    total = sum(s.weight_kg for s in problem.stops)
    cap = sum(v.capacity_kg * v.count for v in problem.fleet.vehicles)
    if total > cap:
        raise Conflict(
            f"Field 'vehicles[].count': the fleet carries {cap:.1f} kg in one trip each but the orders weigh "
            f"{total:.1f} kg; add vehicles")


def build_data(problem: RoutingProblem, objective: str, reference_load: float = 0.5) -> Any:
    """The PyVRP ProblemData of ``problem`` for ``objective`` (``co2e`` or ``distance``)."""
    from pyvrp import Client, Depot, Location, ProblemData
    from pyvrp import VehicleType as PVehicleType

    if objective not in OBJECTIVES:
        raise InvalidParameter(f"Expected objective in {OBJECTIVES}, got {objective!r}")
    fleet, stops = problem.fleet, problem.stops
    use_volume = any(s.volume_l > 0 for s in stops) and any(v.volume_l > 0 for v in fleet.vehicles)
    dist_m = np.rint(problem.dist_km * 1000).astype(np.int64)
    speeds = sorted({v.speed_kmh for v in fleet.vehicles})
    durations = [np.rint(problem.dist_km / s * 3600).astype(np.int64) for s in speeds]
    locs = [Location(x=fleet.depot.lon, y=fleet.depot.lat)] + [Location(x=s.point.lon, y=s.point.lat)
                                                             for s in stops]
    clients = []
    for i, s in enumerate(stops, 1):
        demand = [int(round(s.weight_kg * 1000))] + ([int(round(s.volume_l * 10))] if use_volume else [])
        tw = (s.window.start_min * 60, s.window.end_min * 60) if s.window else (0, 48 * 3600)
        clients.append(Client(location=i, delivery=demand, service_duration=int(s.service_min * 60),
                              tw_early=tw[0], tw_late=tw[1], name=s.id))
    horizon = max(v.shift.end_min for v in fleet.vehicles) * 60
    vtypes = []
    for v in fleet.vehicles:
        if v.count == 0:
            continue
        cap = [int(round(v.capacity_kg * 1000))]
        if use_volume:
            cap.append(int(round(v.volume_l * 10)) if v.volume_l else 2**40)
        unit = max(1, int(round(g_per_km(problem, v, reference_load) * 100))) if objective == "co2e" else 1
        kw: dict[str, Any] = {}
        if v.max_distance_km:
            kw["max_distance"] = int(v.max_distance_km * 1000)
        vtypes.append(PVehicleType(num_available=v.count, capacity=cap, tw_early=v.shift.start_min * 60,
                                   tw_late=v.shift.end_min * 60, unit_distance_cost=unit,
                                   profile=speeds.index(v.speed_kmh), name=v.name, **kw))
    return ProblemData(locs, clients, [Depot(location=0, tw_early=0, tw_late=horizon)], vtypes,
                       [dist_m] * len(speeds), durations)


def _stop(params: SolveParams) -> Any:
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

    if params.max_iterations is None:
        return MaxRuntime(params.time_limit_s)
    return MultipleCriteria([MaxRuntime(params.time_limit_s), MaxIterations(int(params.max_iterations))])


def solve_pyvrp(problem: RoutingProblem, objective: str = "co2e", params: SolveParams = SolveParams()) -> Plan:
    """Routes for the day; ``objective="distance"`` is the distance-only baseline (no reordering)."""
    from pyvrp import solve

    if not problem.stops:
        return Plan(f"pyvrp-{objective}", (), problem.sources(), {"objective": objective})
    _check_fleet(problem)
    data = build_data(problem, objective, params.reference_load)
    t0 = time.perf_counter()
    res = solve(data, _stop(params), seed=params.seed, collect_stats=False, display=False)
    runtime = time.perf_counter() - t0
    routes, notes = [], []
    by_name = {v.name: v for v in problem.fleet.vehicles}
    for r in res.best.routes():
        v = by_name[data.vehicle_type(r.vehicle_type()).name]
        seq = [a.idx + 1 for a in r.schedule() if a.is_client()]
        if objective == "co2e" and params.reorder and len(seq) > 1:
            seq = reorder(problem, v, seq)
        routes.append(problem.route(v, seq))
    if not res.best.is_feasible():
        notes.append("PyVRP found no feasible plan in the time limit (time windows, shifts or ranges); "
                     "routes marked infeasible are shown as found")
    solver = {"library": "pyvrp", "objective": objective, "runtime_s": round(runtime, 3),
              "iterations": res.num_iterations, "seed": params.seed, "time_limit_s": params.time_limit_s,
              "max_iterations": params.max_iterations, "reference_load": params.reference_load,
              "reordered": objective == "co2e" and params.reorder}
    routes.sort(key=lambda rp: (rp.vehicle, rp.stop_ids))
    return Plan(f"pyvrp-{objective}", tuple(routes), problem.sources(), solver, tuple(notes))
