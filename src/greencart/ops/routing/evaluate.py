"""Exact evaluation of routes: distance, schedule, load per arc, load-dependent CO2e.

:class:`RoutingProblem` holds a day's stops and a fleet with the distance
matrix (index 0 is the depot, stop ``i`` is index ``i + 1``). :meth:`route`
turns a vehicle and a sequence of stops into a :class:`RoutePlan` with every
figure and its provenance; :func:`reorder` improves a sequence on exact CO2e.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

import numpy as np

from greencart.errors import Conflict, InvalidParameter
from greencart.ops.routing.emissions import (
    GridIntensity,
    arc_emission,
    grid_intensity_at,
    route_loads_kg,
)
from greencart.ops.routing.geo import distance_matrix_km
from greencart.ops.routing.models import Fleet, Stop, VehicleType

METHOD = ("modelled: GLEC Framework v3 / ISO 14083 well-to-wheel, per-arc load-dependent energy "
          "(empty-to-full interpolation), distances haversine x road factor")


@dataclass(frozen=True)
class RoutePlan:
    vehicle: str
    carrier: str
    stop_ids: tuple[str, ...]
    distance_km: float
    load_kg: float
    energy: float
    energy_unit: str
    co2e_kg: float  # well-to-wheel
    ttw_co2e_kg: float
    start_min: float
    end_min: float
    arrivals_min: tuple[float, ...]
    feasible: bool
    grid_source: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class RoutingProblem:
    fleet: Fleet
    stops: tuple[Stop, ...]
    day: date | None = None
    intensity: object | None = None  # an IntensityProvider for electric trips
    _grid_cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        ids = [s.id for s in self.stops]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})[:3]
            raise Conflict(f"Expected distinct order ids, got duplicates {dup}")
        cap = self.fleet.max_capacity_kg
        for s in self.stops:
            if not any(v.fits(s) and v.count > 0 for v in self.fleet.vehicles):
                raise Conflict(
                    f"Order {s.id!r}: field 'weight_kg' = {s.weight_kg} kg (volume {s.volume_l} l) exceeds "
                    f"every vehicle's capacity (largest {cap} kg); split the order or add a larger vehicle")
        self.index = {s.id: i + 1 for i, s in enumerate(self.stops)}

    @cached_property
    def dist_km(self) -> np.ndarray:
        return distance_matrix_km([self.fleet.depot] + [s.point for s in self.stops], self.fleet.road_factor)

    def vehicle(self, name: str) -> VehicleType:
        for v in self.fleet.vehicles:
            if v.name == name:
                return v
        raise InvalidParameter(f"Unknown vehicle type {name!r}; expected one of "
                               f"{[v.name for v in self.fleet.vehicles]}")

    def grid(self, start_min: float) -> GridIntensity:
        hour = int(start_min // 60)
        if hour not in self._grid_cache:
            when = None
            if self.day is not None:
                when = datetime(self.day.year, self.day.month, self.day.day) + timedelta(hours=hour)
            self._grid_cache[hour] = grid_intensity_at(self.intensity, when, self.fleet.country_iso3)
        return self._grid_cache[hour]

    def schedule(self, v: VehicleType, seq: Sequence[int]) -> tuple[list[float], float, bool]:
        """Arrival minutes at each stop (indices into the matrix), return time, feasibility."""
        t, prev, ok, arrivals = float(v.shift.start_min), 0, True, []
        for i in seq:
            t += self.dist_km[prev, i] / v.speed_kmh * 60
            w = self.stops[i - 1].window
            if w is not None:
                if t > w.end_min + 1e-6:
                    ok = False
                t = max(t, float(w.start_min))
            arrivals.append(t)
            t += self.stops[i - 1].service_min
            prev = i
        t += self.dist_km[prev, 0] / v.speed_kmh * 60
        return arrivals, t, ok and t <= v.shift.end_min + 1e-6

    def co2e_kg(self, v: VehicleType, seq: Sequence[int], start_min: float | None = None) -> float:
        """Exact WTW kg CO2e of depot -> seq -> depot (the fast path of :meth:`route`)."""
        loads = route_loads_kg([self.stops[i - 1].weight_kg for i in seq])
        nodes = [0, *seq, 0]
        d = self.dist_km[nodes[:-1], nodes[1:]]
        frac = np.clip(np.asarray(loads) / v.capacity_kg, 0, 1)
        energy = float(np.sum(d * (v.empty_per_100km + (v.full_per_100km - v.empty_per_100km) * frac)) / 100)
        if v.carrier == "electricity":
            return energy * self.grid(v.shift.start_min if start_min is None else start_min).g_per_kwh / 1000
        return energy * v.factor.wtw_kg_co2e

    def route(self, v: VehicleType, seq: Sequence[int]) -> RoutePlan:
        arrivals, end, ok = self.schedule(v, seq)
        drops = [self.stops[i - 1].weight_kg for i in seq]
        loads = route_loads_kg(drops)
        nodes = [0, *seq, 0]
        grid = self.grid(v.shift.start_min) if v.carrier == "electricity" else None
        arcs = [arc_emission(float(self.dist_km[a, b]), load, empty_per_100km=v.empty_per_100km,
                             full_per_100km=v.full_per_100km, capacity_kg=v.capacity_kg, carrier=v.factor,
                             grid=grid) for (a, b), load in zip(zip(nodes[:-1], nodes[1:]), loads)]
        dist = sum(a.distance_km for a in arcs)
        vol = sum(self.stops[i - 1].volume_l for i in seq)
        ok = ok and sum(drops) <= v.capacity_kg + 1e-9 and (not v.volume_l or vol <= v.volume_l + 1e-9)
        ok = ok and (not v.max_distance_km or dist <= v.max_distance_km + 1e-9)
        return RoutePlan(v.name, v.carrier, tuple(self.stops[i - 1].id for i in seq), dist, sum(drops),
                         sum(a.energy for a in arcs), v.factor.unit, sum(a.wtw_kg_co2e for a in arcs),
                         sum(a.ttw_kg_co2e for a in arcs), float(v.shift.start_min), end, tuple(arrivals), bool(ok),
                         grid.source if grid else None)

    def sources(self) -> dict[str, str]:
        out = {v.name: v.consumption_source for v in self.fleet.vehicles}
        for v in self.fleet.vehicles:
            if v.carrier == "diesel":
                out["diesel"] = f"{v.factor.source} ({v.factor.year}); WTW {v.factor.wtw_kg_co2e} kg CO2e/l"
        if any(v.carrier == "electricity" for v in self.fleet.vehicles):
            g = self.grid(self.fleet.vehicles[0].shift.start_min)
            out["grid"] = f"{g.source} ({g.kind}, {g.g_per_kwh:.1f} g/kWh at the first departure hour)"
        return out


def reorder(problem: RoutingProblem, v: VehicleType, seq: list[int], max_rounds: int = 20) -> list[int]:
    """Relocate and 2-opt moves that lower exact load-dependent CO2e and keep the route feasible.

    Heavy drops tend to move forward (the van carries them for fewer km). Only
    strictly improving moves are taken, so the result is never worse.
    """
    best, best_c = list(seq), problem.co2e_kg(v, seq)
    for _ in range(max_rounds):
        improved = False
        n = len(best)
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                cand = best[:i] + best[i + 1:]
                cand.insert(j, best[i])
                c = problem.co2e_kg(v, cand)
                if c < best_c - 1e-9 and problem.schedule(v, cand)[2]:
                    best, best_c, improved = cand, c, True
        for i in range(n - 1):
            for j in range(i + 2, n + 1):
                cand = best[:i] + best[i:j][::-1] + best[j:]
                c = problem.co2e_kg(v, cand)
                if c < best_c - 1e-9 and problem.schedule(v, cand)[2]:
                    best, best_c, improved = cand, c, True
        if not improved:
            break
    return best
