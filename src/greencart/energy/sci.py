"""Software Carbon Intensity, ISO/IEC 21031:2024 (GSF SCI specification 1.1).

``SCI = (O + M) per R`` with ``O = E x I`` (E in kWh including idle,
provisioned hardware and PUE; I location-based gCO2e/kWh) and embodied
``M = TE x (TiR / EL) x (RR / ToR)``. Market instruments are excluded.
The specification's example: TE = 1000 kg, EL = 4 years, TiR = 1 hour gives
M = 1000 kg / (4 x 365 x 24) ~ 28.5 g (time-share only, RR/ToR = 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from greencart.errors import InvalidParameter, check_range
from greencart.units import J_PER_KWH

HOURS_PER_YEAR = 365 * 24  # the SCI specification's own amortisation (no leap days)

# Functional units greencart declares (R): name -> what one unit is.
FUNCTIONAL_UNITS = {
    "request": "one HTTP request to the API",
    "turn": "one shopper turn of the assistant",
    "1k_recommendations": "1,000 recommendations served",
    "training_run": "one training run of a model",
}


@dataclass(frozen=True)
class EmbodiedConfig:
    """Embodied carbon of the server we run on, and our share of it.

    The default TE is the SCI specification's illustrative 1000 kg, not an LCA
    of any real machine: set ``total_kg_co2e`` from your hardware's LCA or
    Boavizta, and ``source`` to say where it came from.
    """

    total_kg_co2e: float = 1000.0
    expected_life_years: float = 4.0
    resources_reserved: float = 1.0  # e.g. vCPUs reserved
    resources_total: float = 1.0  # e.g. vCPUs on the host
    source: str = "SCI specification illustrative example (1000 kg, 4 years); configure an LCA figure"

    def __post_init__(self) -> None:
        check_range("total_kg_co2e", self.total_kg_co2e, 0.0, 1e6)
        check_range("expected_life_years", self.expected_life_years, 0.1, 50.0)
        if not 0 < self.resources_reserved <= self.resources_total:
            raise InvalidParameter(
                f"Expected 0 < resources_reserved <= resources_total, got "
                f"{self.resources_reserved}, {self.resources_total}"
            )

    def embodied_g(self, time_reserved_s: float) -> float:
        """M in gCO2e for ``time_reserved_s`` seconds of our share of the machine."""
        return embodied_g(
            self.total_kg_co2e * 1000.0,
            time_reserved_s / 3600.0,
            self.expected_life_years * HOURS_PER_YEAR,
            self.resources_reserved,
            self.resources_total,
        )


def embodied_g(te_g: float, tir_h: float, el_h: float, rr: float, tor: float) -> float:
    """``M = TE x (TiR / EL) x (RR / ToR)`` (all times in the same unit)."""
    if te_g < 0 or tir_h < 0 or el_h <= 0 or rr < 0 or tor <= 0:
        raise InvalidParameter(f"Expected TE, TiR, RR >= 0 and EL, ToR > 0, got {te_g}, {tir_h}, {el_h}, {rr}, {tor}")
    return te_g * (tir_h / el_h) * (rr / tor)


@dataclass(frozen=True)
class SciResult:
    """One SCI figure and every input needed to recompute it."""

    energy_kwh: float
    intensity_g_per_kwh: float
    operational_g: float
    embodied_g: float
    functional_unit: str
    functional_units: float
    sci_g_per_unit: float
    method: str = "modelled"

    @property
    def carbon_g(self) -> float:
        return self.operational_g + self.embodied_g

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "carbon_g": self.carbon_g}


def sci(
    energy_kwh: float,
    intensity_g_per_kwh: float,
    embodied_g_total: float,
    functional_units: float,
    functional_unit: str = "request",
    method: str = "modelled",
) -> SciResult:
    """``SCI = (E x I + M) / R``."""
    if energy_kwh < 0 or intensity_g_per_kwh < 0 or embodied_g_total < 0:
        raise InvalidParameter(
            f"Expected E, I, M >= 0, got {energy_kwh}, {intensity_g_per_kwh}, {embodied_g_total}"
        )
    if functional_units <= 0:
        raise InvalidParameter(f"Expected R > 0 functional units, got {functional_units}")
    operational = energy_kwh * intensity_g_per_kwh
    return SciResult(
        energy_kwh=energy_kwh,
        intensity_g_per_kwh=intensity_g_per_kwh,
        operational_g=operational,
        embodied_g=embodied_g_total,
        functional_unit=functional_unit,
        functional_units=functional_units,
        sci_g_per_unit=(operational + embodied_g_total) / functional_units,
        method=method,
    )


def sci_from_records(
    records: list[dict[str, Any]],
    embodied: EmbodiedConfig,
    *,
    functional_unit: str = "request",
    idle_j: float = 0.0,
) -> SciResult:
    """SCI over ledger records: E = their J (+ idle J of the same period), I = the
    energy-weighted mean of their intensities, M over the span they cover.

    Nested units (tag ``parent_unit``) are skipped: their energy is in their parent's.
    """
    records = [r for r in records if "parent_unit" not in (r.get("tags") or {})]
    if not records:
        raise InvalidParameter("Expected at least one ledger record to compute an SCI")
    energy_j = sum(r["energy_j"] for r in records) + idle_j
    op_g = sum(r["energy_j"] / J_PER_KWH * r["intensity_g_per_kwh"] for r in records)
    unit_j = sum(r["energy_j"] for r in records)
    intensity = op_g / (unit_j / J_PER_KWH) if unit_j > 0 else records[0]["intensity_g_per_kwh"]
    start = min(r["started_at"] for r in records)
    end = max(r["started_at"].timestamp() + r["duration_s"] for r in records)
    span_s = max(end - start.timestamp(), 0.0)
    methods = {r["method"].removesuffix("-estimate") for r in records}
    return sci(
        energy_j / J_PER_KWH,
        intensity,
        embodied.embodied_g(span_s),
        float(len(records)),
        functional_unit,
        "measured" if methods == {"measured"} else "modelled",
    )
