"""Typed inputs of a routing problem: depot, stops (orders), vehicle types, fleet.

Units are in the names: kg, litres, km, km/h, minutes since midnight. Every
record validates itself and names the field that is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from greencart.errors import InvalidParameter
from greencart.ops.routing.emissions import DIESEL_UK_2025, EnergyCarrierFactor

ELECTRICITY = EnergyCarrierFactor(
    "electricity", "kWh", 0.0, 0.0,
    "grid intensity at the hour of the trip (life-cycle where the series has it), per vehicle route", 0,
)
CARRIERS = {"diesel": DIESEL_UK_2025, "electricity": ELECTRICITY}


def _finite(name: str, value: float, low: float = 0.0, high: float = math.inf) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidParameter(f"Expected {name} to be a finite number, got {value!r}")
    if not low <= value <= high:
        raise InvalidParameter(f"Expected {name} in [{low}, {high}], got {value}")


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float

    def __post_init__(self) -> None:
        _finite("lat", self.lat, -90, 90)
        _finite("lon", self.lon, -180, 180)


@dataclass(frozen=True)
class TimeWindow:
    """Minutes since midnight, ``start < end``."""

    start_min: int
    end_min: int

    def __post_init__(self) -> None:
        _finite("window start_min", self.start_min, 0, 48 * 60)
        _finite("window end_min", self.end_min, 0, 48 * 60)
        if self.end_min <= self.start_min:
            raise InvalidParameter(f"Expected window end after start, got {self.start_min}..{self.end_min} min")

    @property
    def label(self) -> str:
        return f"{self.start_min // 60:02d}:{self.start_min % 60:02d}-{self.end_min // 60:02d}:{self.end_min % 60:02d}"


@dataclass(frozen=True)
class Stop:
    """One delivery: an order at a place, with its demand and optional window."""

    id: str
    point: Point
    weight_kg: float
    volume_l: float = 0.0
    window: TimeWindow | None = None
    service_min: float = 3.0
    location_source: str = "file"

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidParameter("Expected a non-empty stop id")
        _finite(f"weight_kg of {self.id}", self.weight_kg)
        _finite(f"volume_l of {self.id}", self.volume_l)
        _finite(f"service_min of {self.id}", self.service_min, 0, 240)


@dataclass(frozen=True)
class VehicleType:
    """A vehicle class; consumption per 100 km in litres (diesel) or kWh at the plug (electric)."""

    name: str
    carrier: str
    capacity_kg: float
    empty_per_100km: float
    full_per_100km: float
    speed_kmh: float
    count: int = 1
    volume_l: float = 0.0  # 0: volume not constrained
    max_distance_km: float = 0.0  # 0: unlimited (battery range otherwise)
    shift: TimeWindow = TimeWindow(8 * 60, 20 * 60)
    consumption_source: str = "assumption"

    def __post_init__(self) -> None:
        if self.carrier not in CARRIERS:
            raise InvalidParameter(f"Expected carrier of {self.name} in {sorted(CARRIERS)}, got {self.carrier!r}")
        _finite(f"capacity_kg of {self.name}", self.capacity_kg, 1e-6)
        _finite(f"empty_per_100km of {self.name}", self.empty_per_100km)
        _finite(f"full_per_100km of {self.name}", self.full_per_100km, self.empty_per_100km)
        _finite(f"speed_kmh of {self.name}", self.speed_kmh, 1, 130)
        _finite(f"volume_l of {self.name}", self.volume_l)
        _finite(f"max_distance_km of {self.name}", self.max_distance_km)
        if isinstance(self.count, bool) or not isinstance(self.count, int) or not 0 <= self.count <= 1000:
            raise InvalidParameter(f"Expected count of {self.name} in [0, 1000], got {self.count!r}")

    @property
    def factor(self) -> EnergyCarrierFactor:
        return CARRIERS[self.carrier]

    def fits(self, stop: Stop) -> bool:
        return stop.weight_kg <= self.capacity_kg and (not self.volume_l or stop.volume_l <= self.volume_l)


# Defaults for the three classes the issue names. Modelled assumptions, labelled as such:
# consumption from typical urban figures of each class, empty and full; the spread between
# them is the load sensitivity (GLEC/COPERT-style empty-to-full interpolation).
VEHICLE_CATALOGUE: dict[str, dict] = {
    "diesel_van": dict(carrier="diesel", capacity_kg=1000.0, volume_l=10000.0, empty_per_100km=8.5,
                       full_per_100km=11.0, speed_kmh=25.0,
                       consumption_source="assumption: 3.5 t diesel panel van, urban, 8.5 l/100 km empty "
                                          "to 11 l/100 km full"),
    "electric_van": dict(carrier="electricity", capacity_kg=900.0, volume_l=9000.0, empty_per_100km=22.0,
                         full_per_100km=28.0, speed_kmh=25.0, max_distance_km=180.0,
                         consumption_source="assumption: 3.5 t battery-electric van, urban, 22 kWh/100 km "
                                            "empty to 28 kWh/100 km full at the plug (charging losses in)"),
    "cargo_bike": dict(carrier="electricity", capacity_kg=120.0, volume_l=1000.0, empty_per_100km=1.0,
                       full_per_100km=1.8, speed_kmh=15.0, max_distance_km=60.0,
                       consumption_source="assumption: electric cargo bike, 1.0 kWh/100 km empty to "
                                          "1.8 kWh/100 km full at the plug"),
}


@dataclass(frozen=True)
class Fleet:
    depot: Point
    vehicles: tuple[VehicleType, ...]
    road_factor: float = 1.3
    country_iso3: str = "GBR"
    name: str = "fleet"

    def __post_init__(self) -> None:
        if not self.vehicles:
            raise InvalidParameter("Expected at least one vehicle type in the fleet (field 'vehicles')")
        _finite("road_factor", self.road_factor, 1.0, 3.0)
        names = [v.name for v in self.vehicles]
        if len(set(names)) != len(names):
            raise InvalidParameter(f"Expected distinct vehicle names in the fleet, got {names}")
        if sum(v.count for v in self.vehicles) == 0:
            raise InvalidParameter("Expected at least one vehicle (sum of 'count' is 0)")

    @property
    def max_capacity_kg(self) -> float:
        return max(v.capacity_kg for v in self.vehicles if v.count > 0)


@dataclass(frozen=True)
class SolveParams:
    """How long and how reproducibly to search. ``max_iterations`` makes runs seed-deterministic."""

    time_limit_s: float = 5.0
    seed: int = 0
    max_iterations: int | None = None
    reference_load: float = 0.5  # load fraction for the emission-weighted distance
    reorder: bool = True

    def __post_init__(self) -> None:
        _finite("time_limit_s", self.time_limit_s, 0.01, 3600)
        _finite("reference_load", self.reference_load, 0, 1)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InvalidParameter(f"Expected seed to be an integer >= 0, got {self.seed!r}")
        if self.max_iterations is not None and not 1 <= int(self.max_iterations) <= 10_000_000:
            raise InvalidParameter(f"Expected max_iterations in [1, 10000000], got {self.max_iterations}")
