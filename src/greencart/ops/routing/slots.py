"""Greener delivery slots: the marginal kg CO2e of each window for a new order.

Given the routes already planned for the day, the marginal CO2e of a window is
the cheapest exact (load-dependent) increase over every feasible insertion of
the new stop into a planned route with the stop's window set to that slot, or
a new out-and-back trip by a vehicle still free that day. Slots where a
vehicle already passes nearby cost little; "the green slot" is the cheapest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from greencart.errors import Conflict, InvalidParameter
from greencart.ops.routing.evaluate import RoutingProblem
from greencart.ops.routing.models import TimeWindow, VehicleType

DEFAULT_WINDOWS: tuple[TimeWindow, ...] = tuple(TimeWindow(h * 60, (h + 2) * 60) for h in range(8, 20, 2))


@dataclass(frozen=True)
class SlotOption:
    window: str
    start_min: int
    end_min: int
    available: bool
    marginal_co2e_kg: float | None
    marginal_km: float | None
    vehicle: str | None
    how: str  # "joins a planned route" | "new trip" | "no vehicle can make it"

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Insertion:
    route: int  # index into the routes list; -1: a new trip
    vehicle: VehicleType
    seq: tuple[int, ...]
    delta_co2e_kg: float
    delta_km: float


def _fits(problem: RoutingProblem, v: VehicleType, seq: Sequence[int]) -> bool:
    stops = [problem.stops[i - 1] for i in seq]
    if sum(s.weight_kg for s in stops) > v.capacity_kg + 1e-9:
        return False
    if v.volume_l and sum(s.volume_l for s in stops) > v.volume_l + 1e-9:
        return False
    if v.max_distance_km:
        nodes = [0, *seq, 0]
        if float(problem.dist_km[nodes[:-1], nodes[1:]].sum()) > v.max_distance_km + 1e-9:
            return False
    return problem.schedule(v, seq)[2]


def _km(problem: RoutingProblem, seq: Sequence[int]) -> float:
    nodes = [0, *seq, 0]
    return float(problem.dist_km[nodes[:-1], nodes[1:]].sum())


def best_insertion(problem: RoutingProblem, routes: list[tuple[VehicleType, list[int]]], k: int,
                   window: TimeWindow) -> Insertion | None:
    """Cheapest exact-CO2e way to serve stop ``k`` (matrix index) in ``window``, or None."""
    saved = problem.stops
    problem.stops = saved[: k - 1] + (replace(saved[k - 1], window=window),) + saved[k:]
    try:
        best: Insertion | None = None
        for r, (v, seq) in enumerate(routes):
            base_c, base_km = problem.co2e_kg(v, seq), _km(problem, seq)
            for pos in range(len(seq) + 1):
                cand = seq[:pos] + [k] + seq[pos:]
                if not _fits(problem, v, cand):
                    continue
                dc = problem.co2e_kg(v, cand) - base_c
                if best is None or dc < best.delta_co2e_kg - 1e-12:
                    best = Insertion(r, v, tuple(cand), dc, _km(problem, cand) - base_km)
        used: dict[str, int] = {}
        for v, _ in routes:
            used[v.name] = used.get(v.name, 0) + 1
        for v in problem.fleet.vehicles:
            if used.get(v.name, 0) < v.count and _fits(problem, v, [k]):
                dc = problem.co2e_kg(v, [k])
                if best is None or dc < best.delta_co2e_kg - 1e-12:
                    best = Insertion(-1, v, (k,), dc, _km(problem, [k]))
        return best
    finally:
        problem.stops = saved


def slot_options(problem: RoutingProblem, routes: list[tuple[VehicleType, list[int]]], k: int,
                 windows: Sequence[TimeWindow] = DEFAULT_WINDOWS) -> list[SlotOption]:
    out = []
    for w in windows:
        ins = best_insertion(problem, routes, k, w)
        if ins is None:
            out.append(SlotOption(w.label, w.start_min, w.end_min, False, None, None, None,
                                  "no vehicle can make it"))
        else:
            how = "new trip" if ins.route < 0 else "joins a planned route"
            out.append(SlotOption(w.label, w.start_min, w.end_min, True, round(ins.delta_co2e_kg, 5),
                                  round(ins.delta_km, 3), ins.vehicle.name, how))
    return out


def green_slots(problem: RoutingProblem, routes: list[tuple[VehicleType, list[int]]], order_id: str,
                windows: Sequence[TimeWindow] = DEFAULT_WINDOWS) -> dict:
    """Every window's marginal kg CO2e for ``order_id`` and the green slot with its saving.

    ``problem`` holds the planned stops and the new one; ``routes`` are the
    planned routes as (vehicle type, matrix indices) without the new stop. The
    saving is against the mean and the dearest of the available windows.
    """
    if order_id not in problem.index:
        raise InvalidParameter(f"Order {order_id!r} is not among the day's stops")
    k = problem.index[order_id]
    if any(k in seq for _, seq in routes):
        raise Conflict(f"Order {order_id!r} is already on a planned route")
    options = slot_options(problem, routes, k, windows)
    avail = [o for o in options if o.available]
    result: dict = {"order": order_id, "slots": [o.as_dict() for o in options], "green_slot": None,
                    "method": "modelled: exact load-dependent WTW kg CO2e of the cheapest insertion "
                              "into the day's planned routes (or a new trip)"}
    if avail:
        green = min(avail, key=lambda o: (o.marginal_co2e_kg, o.start_min))
        mean = sum(o.marginal_co2e_kg for o in avail) / len(avail)  # type: ignore[misc]
        dearest = max(o.marginal_co2e_kg for o in avail)  # type: ignore[type-var]
        result["green_slot"] = {
            **green.as_dict(),
            "saving_kg_co2e_vs_mean": round(mean - green.marginal_co2e_kg, 5),  # type: ignore[operator]
            "saving_kg_co2e_vs_dearest": round(dearest - green.marginal_co2e_kg, 5),  # type: ignore[operator]
        }
    return result


def routes_from_plan(problem: RoutingProblem, plan: object) -> list[tuple[VehicleType, list[int]]]:
    """(vehicle type, matrix indices) of a :class:`Plan`'s routes in ``problem``."""
    return [(problem.vehicle(r.vehicle), [problem.index[s] for s in r.stop_ids])
            for r in plan.routes]  # type: ignore[attr-defined]
