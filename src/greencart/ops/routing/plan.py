"""A day's plan: routes with their totals, method and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field

from greencart.ops.routing.evaluate import METHOD, RoutePlan


@dataclass(frozen=True)
class Plan:
    method: str  # pyvrp-co2e | pyvrp-distance | clarke-wright | one-vehicle-per-order
    routes: tuple[RoutePlan, ...]
    sources: dict[str, str] = field(default_factory=dict)
    solver: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def distance_km(self) -> float:
        return sum(r.distance_km for r in self.routes)

    @property
    def co2e_kg(self) -> float:
        return sum(r.co2e_kg for r in self.routes)

    @property
    def feasible(self) -> bool:
        return all(r.feasible for r in self.routes)

    @property
    def n_stops(self) -> int:
        return sum(len(r.stop_ids) for r in self.routes)

    def summary(self) -> dict:
        by_vehicle: dict[str, int] = {}
        for r in self.routes:
            by_vehicle[r.vehicle] = by_vehicle.get(r.vehicle, 0) + 1
        return {
            "method": self.method, "routes": len(self.routes), "stops": self.n_stops,
            "distance_km": round(self.distance_km, 3), "co2e_kg": round(self.co2e_kg, 4),
            "co2e_kg_per_delivery": round(self.co2e_kg / max(self.n_stops, 1), 5),
            "feasible": self.feasible, "routes_by_vehicle": by_vehicle,
        }

    def as_dict(self) -> dict:
        return {**self.summary(), "emissions_method": METHOD, "emissions_basis": "well-to-wheel (WTW)",
                "sources": self.sources, "solver": self.solver, "notes": list(self.notes),
                "route_list": [r.as_dict() for r in self.routes]}
