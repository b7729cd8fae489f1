"""The meter protocol, readings, and the factory that picks meters from the host.

A meter reports *cumulative* energy since it was created, with a band
(``energy_low_j``..``energy_high_j``) and how it was obtained: ``measured``
(hardware counters: RAPL, NVML) or ``modelled`` (a power curve with cited
coefficients). Counters come first; the modelled CPU meter is the labelled
fallback, never a silent one (:func:`detect_meters` logs why it fell back).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from greencart.energy.config import EnergyConfig
from greencart.errors import InvalidParameter

log = logging.getLogger(__name__)

METHODS = ("measured", "modelled")


@dataclass(frozen=True)
class MeterReading:
    """Cumulative energy since the meter started, at ``timestamp_s`` (time.monotonic)."""

    energy_j: float
    energy_low_j: float
    energy_high_j: float
    timestamp_s: float
    method: str
    meter: str = ""

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidParameter(f"Expected method in {METHODS}, got {self.method!r}")
        if not (0.0 <= self.energy_low_j <= self.energy_j <= self.energy_high_j):
            raise InvalidParameter(
                "Expected 0 <= energy_low_j <= energy_j <= energy_high_j, got "
                f"{self.energy_low_j}, {self.energy_j}, {self.energy_high_j}"
            )


@runtime_checkable
class Meter(Protocol):
    """A source of cumulative host energy."""

    name: str
    method: str

    def read(self) -> MeterReading: ...


@runtime_checkable
class IdlePowerHint(Protocol):
    """Optional: a meter that knows the host's static (idle) power."""

    def idle_power_w(self) -> float: ...


class SummedMeter:
    """Several meters read as one host (CPU package + GPUs + modelled memory...).

    The method is ``measured`` only if every part is measured.
    """

    def __init__(self, meters: Sequence[Meter]) -> None:
        if not meters:
            raise InvalidParameter("Expected at least one meter, got none")
        self.meters = list(meters)
        self.name = "+".join(m.name for m in self.meters)
        self.method = "measured" if all(m.method == "measured" for m in meters) else "modelled"

    def read(self) -> MeterReading:
        parts = [m.read() for m in self.meters]
        return MeterReading(
            energy_j=sum(p.energy_j for p in parts),
            energy_low_j=sum(p.energy_low_j for p in parts),
            energy_high_j=sum(p.energy_high_j for p in parts),
            timestamp_s=max(p.timestamp_s for p in parts),
            method=self.method,
            meter=self.name,
        )

    def idle_power_w(self) -> float:
        return sum(m.idle_power_w() for m in self.meters if isinstance(m, IdlePowerHint))


def now_s() -> float:
    return time.monotonic()


def detect_meters(config: EnergyConfig | None = None) -> list[Meter]:
    """Meters this host offers: RAPL and NVML counters, else the modelled CPU meter.

    With RAPL the figure covers the CPU packages only (no memory, no PUE): it
    stays ``measured`` but is a lower bound for the host; docs/energy.md says so.
    Every fallback is logged with its reason.
    """
    from greencart.energy.modelled import ModelledCpuMeter
    from greencart.energy.nvml import NvmlMeter, nvml_available
    from greencart.energy.rapl import RaplMeter, rapl_status

    config = config or EnergyConfig()
    meters: list[Meter] = []
    if not config.prefer_modelled:
        ok, why = rapl_status(config.powercap_root)
        if ok:
            meters.append(RaplMeter(config.powercap_root))
        else:
            log.info("No RAPL counter: %s", why)
        if config.use_nvml:
            ok, why = nvml_available()
            if ok:
                meters.extend(NvmlMeter.all_devices())
            else:
                log.info("No NVML counter: %s", why)
    if not any(getattr(m, "covers_cpu", False) for m in meters):
        log.warning("No CPU energy counter on this host: CPU energy is modelled (labelled 'modelled')")
        meters.insert(0, ModelledCpuMeter(config))
    return meters
