"""Transport emissions as GLEC Framework v3 / ISO 14083 count them.

Per arc, energy use is interpolated between the empty and the full vehicle
(``consumption = empty + (full - empty) x load / capacity``, per 100 km), then
multiplied by the well-to-wheel (WTW) factor of the energy carrier: tank-to-wheel
(TTW) combustion plus well-to-tank (WTT) production for fuels; for electricity
the grid's life-cycle intensity at the hour of the trip (hourly where a series
is known, the country's annual average otherwise), TTW = 0.

Every figure this module returns carries its method and source.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from greencart.errors import InvalidParameter


@dataclass(frozen=True)
class EnergyCarrierFactor:
    """kg CO2e per unit of energy carrier (litre of fuel or kWh at the plug)."""

    carrier: str
    unit: str
    wtw_kg_co2e: float
    ttw_kg_co2e: float
    source: str
    year: int

    def __post_init__(self) -> None:
        if not (math.isfinite(self.wtw_kg_co2e) and self.wtw_kg_co2e >= 0):
            raise InvalidParameter(f"Expected wtw_kg_co2e >= 0 for {self.carrier}, got {self.wtw_kg_co2e}")
        if not 0 <= self.ttw_kg_co2e <= self.wtw_kg_co2e:
            raise InvalidParameter(
                f"Expected 0 <= ttw_kg_co2e <= wtw_kg_co2e for {self.carrier}, got {self.ttw_kg_co2e}"
            )


# UK Government GHG Conversion Factors for Company Reporting 2025 (DESNZ/DEFRA), "Fuels":
# diesel (average biofuel blend) 2.57082 kg CO2e/l (TTW, scope 1) and "WTT- fuels" diesel
# (average biofuel blend) 0.62665 kg CO2e/l: WTW 3.19747 kg CO2e/l.
DIESEL_UK_2025 = EnergyCarrierFactor(
    "diesel", "l", 3.19747, 2.57082,
    "UK GHG Conversion Factors 2025 (DESNZ): diesel, average biofuel blend, TTW 2.57082 + WTT 0.62665", 2025,
)


@dataclass(frozen=True)
class GridIntensity:
    """Grid intensity used for an electric trip, with where it came from."""

    g_per_kwh: float
    source: str
    kind: str  # hourly | annual | static


def grid_intensity_at(provider: object | None, when: datetime | None,
                      country_iso3: str = "GBR") -> GridIntensity:
    """Intensity from an ``IntensityProvider`` at ``when`` (hourly where it is a series).

    A provider without a value for ``when`` (an hourly series outside its range),
    or no provider, falls back to the country's annual average from the project's
    grid table (codecarbon), or the world average where that is missing.
    """
    from greencart.energy.intensity import default_provider
    from greencart.errors import NotFound

    if provider is not None and when is not None:
        try:
            v = provider.intensity_at(when)  # type: ignore[attr-defined]
            return GridIntensity(float(v.intensity_g_per_kwh), v.source, v.kind)
        except NotFound:
            pass
    v = default_provider(country_iso3).intensity_at(when or datetime(2024, 1, 1))
    return GridIntensity(float(v.intensity_g_per_kwh), v.source, v.kind)


@dataclass(frozen=True)
class ArcEmission:
    distance_km: float
    load_kg: float
    energy: float
    energy_unit: str
    wtw_kg_co2e: float
    ttw_kg_co2e: float


def consumption_per_100km(empty: float, full: float, load_kg: float, capacity_kg: float) -> float:
    """Empty-to-full linear interpolation (GLEC/COPERT load correction), clamped to [0, 1] load."""
    if capacity_kg <= 0:
        raise InvalidParameter(f"Expected capacity_kg > 0, got {capacity_kg}")
    frac = min(max(load_kg / capacity_kg, 0.0), 1.0)
    return empty + (full - empty) * frac


def arc_emission(distance_km: float, load_kg: float, *, empty_per_100km: float, full_per_100km: float,
                 capacity_kg: float, carrier: EnergyCarrierFactor, grid: GridIntensity | None = None
                 ) -> ArcEmission:
    """One arc: energy = d x consumption(load) / 100; CO2e = energy x factor."""
    if distance_km < 0 or not math.isfinite(distance_km):
        raise InvalidParameter(f"Expected distance_km >= 0, got {distance_km}")
    energy = distance_km * consumption_per_100km(empty_per_100km, full_per_100km, load_kg, capacity_kg) / 100
    if carrier.carrier == "electricity":
        if grid is None:
            raise InvalidParameter("Expected a grid intensity for an electric vehicle, got None")
        wtw_per_unit = grid.g_per_kwh / 1000.0
        ttw_per_unit = 0.0
    else:
        wtw_per_unit, ttw_per_unit = carrier.wtw_kg_co2e, carrier.ttw_kg_co2e
    return ArcEmission(distance_km, load_kg, energy, carrier.unit, energy * wtw_per_unit, energy * ttw_per_unit)


def route_loads_kg(drops_kg: Sequence[float]) -> list[float]:
    """Load on each arc of depot -> drops -> depot: full at the start, empty on the way back."""
    remaining = float(sum(drops_kg))
    loads = [remaining]
    for d in drops_kg:
        remaining -= d
        loads.append(max(remaining, 0.0))
    return loads
