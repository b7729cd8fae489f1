"""Unit helpers: joules, watt-hours, kWh and grams CO2e.

Names carry their unit; these are the only conversions the code needs.
"""

from __future__ import annotations

J_PER_WH = 3600.0
J_PER_KWH = 3_600_000.0


def j_to_wh(energy_j: float) -> float:
    return energy_j / J_PER_WH


def j_to_kwh(energy_j: float) -> float:
    return energy_j / J_PER_KWH


def kwh_to_j(energy_kwh: float) -> float:
    return energy_kwh * J_PER_KWH


def carbon_g(energy_j: float, intensity_g_per_kwh: float) -> float:
    """Operational emissions in gCO2e of ``energy_j`` at a grid intensity."""
    return j_to_kwh(energy_j) * intensity_g_per_kwh


def kg_to_g(mass_kg: float) -> float:
    return mass_kg * 1000.0
