"""Baselines measured in the same run: Clarke-Wright savings and one vehicle per order.

Clarke and Wright (1964), parallel version: start with one out-and-back trip
per stop, merge route ends in order of saving ``d(0,i) + d(j,0) - d(i,j)``
while the merged route fits the largest vehicle's capacity and keeps its time
windows. Routes are then given the vehicle type with the least exact CO2e that
can still drive them, heaviest route first, within the fleet's counts.

One vehicle per order (the naive floor): every order is its own out-and-back
trip, in the lowest-emission vehicle that can carry it and still has shift time
and range left that day (no consolidation at all).
"""

from __future__ import annotations

from greencart.ops.routing.evaluate import RoutingProblem
from greencart.ops.routing.models import VehicleType
from greencart.ops.routing.plan import Plan


def _best_vehicle(problem: RoutingProblem, seq: list[int], vehicles: list[VehicleType]) -> VehicleType | None:
    best, best_c = None, float("inf")
    for v in vehicles:
        rp = problem.route(v, seq)
        if rp.feasible and rp.co2e_kg < best_c:
            best, best_c = v, rp.co2e_kg
    return best


def _savings(problem: RoutingProblem) -> list[tuple[float, int, int]]:
    d = problem.dist_km
    n = len(problem.stops)
    out = [(d[0, i] + d[j, 0] - d[i, j], i, j) for i in range(1, n + 1) for j in range(i + 1, n + 1)]
    out.sort(key=lambda s: (-s[0], s[1], s[2]))
    return out


def _merge_candidates(ra: list[int], rb: list[int], i: int, j: int) -> list[list[int]]:
    """Ways to join routes ``ra`` (holding i) and ``rb`` (holding j) with i next to j."""
    cands = []
    if ra[-1] == i and rb[0] == j:
        cands.append(ra + rb)
    if rb[-1] == j and ra[0] == i:
        cands.append(rb + ra)
    if ra[-1] == i and rb[-1] == j:
        cands.append(ra + rb[::-1])
    if ra[0] == i and rb[0] == j:
        cands.append(ra[::-1] + rb)
    return cands


def clarke_wright(problem: RoutingProblem) -> Plan:
    avail = [v for v in problem.fleet.vehicles if v.count > 0]
    big = max(avail, key=lambda v: (v.capacity_kg, v.speed_kmh))
    weight = {i: s.weight_kg for i, s in enumerate(problem.stops, 1)}
    route_of = {i: [i] for i in weight}
    for _, i, j in _savings(problem):
        ra, rb = route_of[i], route_of[j]
        if ra is rb:
            continue
        if sum(weight[k] for k in ra) + sum(weight[k] for k in rb) > big.capacity_kg:
            continue
        for cand in _merge_candidates(ra, rb, i, j):
            rp = problem.route(big, cand)
            if rp.feasible:
                for k in cand:
                    route_of[k] = cand
                break
    routes = {id(r): r for r in route_of.values()}.values()
    return _assign(problem, sorted(routes, key=lambda r: -sum(weight[k] for k in r)), avail)


def _assign(problem: RoutingProblem, routes: list[list[int]], avail: list[VehicleType]) -> Plan:
    left = {v.name: v.count for v in avail}
    out, short = [], 0
    for seq in routes:
        free = [v for v in avail if left[v.name] > 0]
        v = _best_vehicle(problem, seq, free) if free else None
        if v is None:
            short += 1
            v = _best_vehicle(problem, seq, avail) or max(avail, key=lambda x: x.capacity_kg)
        else:
            left[v.name] -= 1
        out.append(problem.route(v, seq))
    notes = (f"{short} route(s) need more vehicles than the fleet has",) if short else ()
    return Plan("clarke-wright", tuple(out), problem.sources(), {"library": "greencart (Clarke-Wright 1964)"},
                notes)


def one_vehicle_per_order(problem: RoutingProblem) -> Plan:
    """Each order its own out-and-back trip, in the greenest vehicle with shift time and range left."""
    avail = [v for v in problem.fleet.vehicles if v.count > 0]
    # one entry per physical vehicle: [type, minutes left in the shift, km left in range]
    units = [[v, float(v.shift.end_min - v.shift.start_min), v.max_distance_km or float("inf")]
             for v in avail for _ in range(v.count)]
    out, short = [], 0
    for i, s in enumerate(problem.stops, 1):
        best = None
        for u in units:
            v = u[0]
            if not v.fits(s):
                continue
            km = 2 * float(problem.dist_km[0, i])
            minutes = km / v.speed_kmh * 60 + s.service_min
            c = problem.co2e_kg(v, [i])
            if minutes <= u[1] and km <= u[2] and (best is None or c < best[0]):
                best = (c, u, minutes, km)
        if best is None:
            short += 1
            v = min((v for v in avail if v.fits(s)), key=lambda x: problem.co2e_kg(x, [i]))
        else:
            _, u, minutes, km = best
            u[1] -= minutes
            u[2] -= km
            v = u[0]
        out.append(problem.route(v, [i]))
    notes = (f"{short} trip(s) exceed the fleet's shift hours or range",) if short else ()
    return Plan("one-vehicle-per-order", tuple(out), problem.sources(),
                {"library": "greencart (one out-and-back trip per order, within shift hours and range)"}, notes)


def reassign_vehicles(problem: RoutingProblem, plan: Plan) -> Plan:
    """The same stop sequences, each given the greenest vehicle type left (heaviest route first)."""
    index = problem.index
    seqs = [[index[sid] for sid in r.stop_ids] for r in plan.routes]
    weight = {i: s.weight_kg for i, s in enumerate(problem.stops, 1)}
    seqs.sort(key=lambda r: -sum(weight[k] for k in r))
    out = _assign(problem, seqs, [v for v in problem.fleet.vehicles if v.count > 0])
    return Plan(plan.method + "+greenest-vehicle", out.routes, out.sources, dict(plan.solver), out.notes)
