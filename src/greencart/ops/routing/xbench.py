"""CVRPLIB set X (Uchoa et al. 2017): read with ``vrplib``, solve with PyVRP, gap to the best known.

Distances follow the CVRPLIB convention: Euclidean, rounded to the nearest
integer. The best-known cost comes from the instance's ``.sol`` file, and
:func:`solution_cost` recomputes it from its routes as a check of the reader.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from greencart.errors import ImportFileError, InvalidParameter

# The stated time limit: seconds per customer, scaled with n (PyVRP's paper used 2.4 n s on a
# PassMark-2183 CPU; we use a twelfth of it to keep 30 solves in about 20 minutes on 2 cores).
SECONDS_PER_CUSTOMER = 0.2


@dataclass(frozen=True)
class XInstance:
    name: str
    n_customers: int
    capacity: int
    demand: np.ndarray  # index 0 is the depot
    coords: np.ndarray
    distance: np.ndarray  # rounded Euclidean, int64
    bks_cost: int | None
    bks_routes: list[list[int]] | None


def read_x_instance(path: str | Path) -> XInstance:
    """An X instance and, when its ``.sol`` sits beside it, the best-known solution."""
    import vrplib

    path = Path(path)
    try:
        inst = vrplib.read_instance(str(path))
    except FileNotFoundError:
        raise ImportFileError(str(path), "no such instance file") from None
    except Exception as exc:  # vrplib raises plain errors on malformed files
        raise ImportFileError(str(path), f"not a VRPLIB instance ({exc})") from None
    for key in ("capacity", "demand", "node_coord", "edge_weight"):
        if key not in inst:
            raise ImportFileError(str(path), "missing section", field=key.upper())
    if int(np.asarray(inst.get("depot", [0]))[0]) != 0:
        raise ImportFileError(str(path), "depot is not the first node", field="DEPOT_SECTION")
    dist = np.rint(np.asarray(inst["edge_weight"], dtype=float)).astype(np.int64)
    sol_path = path.with_suffix(".sol")
    cost = routes = None
    if sol_path.exists():
        sol = vrplib.read_solution(str(sol_path))
        cost, routes = int(sol["cost"]), [list(map(int, r)) for r in sol["routes"]]
    demand = np.asarray(inst["demand"], dtype=np.int64)
    return XInstance(str(inst.get("name", path.stem)), len(demand) - 1, int(inst["capacity"]), demand,
                     np.asarray(inst["node_coord"], dtype=float), dist, cost, routes)


def solution_cost(inst: XInstance, routes: list[list[int]]) -> int:
    """Total rounded distance of ``routes`` (customer numbers 1..n, depot 0 implied)."""
    d = inst.distance
    return int(sum(d[0, r[0]] + sum(d[a, b] for a, b in zip(r, r[1:])) + d[r[-1], 0] for r in routes if r))


def problem_data(inst: XInstance) -> Any:
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType

    locs = [Location(x=float(x), y=float(y)) for x, y in inst.coords]
    clients = [Client(location=i, delivery=[int(inst.demand[i])]) for i in range(1, len(locs))]
    fleet = VehicleType(num_available=inst.n_customers, capacity=[inst.capacity])
    return ProblemData(locs, clients, [Depot(location=0)], [fleet], [inst.distance],
                       [np.zeros_like(inst.distance)])


def time_limit_s(n_customers: int, seconds_per_customer: float = SECONDS_PER_CUSTOMER) -> float:
    limit = n_customers * seconds_per_customer
    if not 0.01 <= limit <= 3600:
        raise InvalidParameter(f"Expected a time limit in [0.01, 3600] s, got {limit} "
                               f"({n_customers} customers x {seconds_per_customer} s)")
    return limit


def solve_x(inst: XInstance, seed: int, limit_s: float) -> dict:
    """One PyVRP run; the row carries cost, gap to the BKS (%), runtime and routes' validity."""
    from pyvrp import solve
    from pyvrp.stop import MaxRuntime

    if not 0.01 <= limit_s <= 3600:
        raise InvalidParameter(f"Expected time_limit_s in [0.01, 3600], got {limit_s}")
    t0 = time.perf_counter()
    res = solve(problem_data(inst), MaxRuntime(limit_s), seed=seed, collect_stats=False, display=False)
    runtime = time.perf_counter() - t0
    routes = [[a.idx + 1 for a in r.schedule() if a.is_client()] for r in res.best.routes()]
    cost = solution_cost(inst, routes)
    feasible = res.best.is_feasible() and sorted(c for r in routes for c in r) == list(
        range(1, inst.n_customers + 1))
    gap = 100.0 * (cost - inst.bks_cost) / inst.bks_cost if inst.bks_cost else None
    return {"instance": inst.name, "n_customers": inst.n_customers, "seed": seed, "time_limit_s": limit_s,
            "runtime_s": round(runtime, 3), "iterations": res.num_iterations, "cost": cost,
            "bks_cost": inst.bks_cost, "gap_pct": None if gap is None else round(gap, 4),
            "routes": len(routes), "feasible": bool(feasible)}


def customers_of(name: str) -> int:
    m = re.match(r"X-n(\d+)-k\d+", name)
    if not m:
        raise InvalidParameter(f"Expected an X instance name like X-n101-k25, got {name!r}")
    return int(m.group(1)) - 1
