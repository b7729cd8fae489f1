"""Modelled host power where no counter exists (labelled ``modelled``, with bounds).

CPU: Cloud Carbon Footprint's linear model per vCPU,
``W = min_w + u * (max_w - min_w)`` (cloudcarbonfootprint.org/docs/methodology),
integrated over the host's busy CPU-seconds between two reads:
``E_cpu = n * min_w * dt + busy_s * (max_w - min_w)``.
Memory: 0.392 W per GB (CCF: 0.000392 kWh per GB-hour). Both multiplied by PUE.
Bounds: the same formula with the lowest and highest coefficients CCF publishes
for AWS, GCP and Azure (min 0.71..0.78 W, max 3.5..4.26 W, PUE 1.1..1.185),
widened to include any configured values.

An alternative curve: Teads' P/TDP at 0, 10, 50, 100 % load = 0.12, 0.32,
0.75, 1.02 (Teads Engineering, "Building an AWS EC2 carbon emissions dataset",
2021), see :func:`teads_power_w`, with TDP from CodeCarbon's ``cpu_power.csv``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from greencart.energy.config import CCF_PUE, CCF_VCPU_W, EnergyConfig
from greencart.energy.hostcpu import CpuTimes, memory_gb, read_cpu_times
from greencart.energy.meters import MeterReading, now_s
from greencart.errors import InvalidParameter

TEADS_LOAD = (0.0, 0.10, 0.50, 1.00)
TEADS_P_OVER_TDP = (0.12, 0.32, 0.75, 1.02)


def teads_power_w(tdp_w: float, utilisation: float) -> float:
    """Teads load curve, linearly interpolated: power in W at ``utilisation`` in [0, 1]."""
    if not 0.0 <= utilisation <= 1.0:
        raise InvalidParameter(f"Expected utilisation in [0, 1], got {utilisation}")
    for (x0, x1), (y0, y1) in zip(
        zip(TEADS_LOAD, TEADS_LOAD[1:]), zip(TEADS_P_OVER_TDP, TEADS_P_OVER_TDP[1:])
    ):
        if utilisation <= x1:
            return tdp_w * (y0 + (y1 - y0) * (utilisation - x0) / (x1 - x0))
    return tdp_w * TEADS_P_OVER_TDP[-1]  # pragma: no cover


class ModelledCpuMeter:
    """Cumulative modelled energy of CPU + memory, times PUE. Method ``modelled``."""

    method = "modelled"
    covers_cpu = True

    def __init__(
        self,
        config: EnergyConfig | None = None,
        *,
        cpu_times: Callable[[], CpuTimes] = read_cpu_times,
        clock: Callable[[], float] = now_s,
    ) -> None:
        self.config = config or EnergyConfig()
        self._cpu_times = cpu_times
        self._clock = clock
        first = cpu_times()
        self.ncpu = self.config.vcpus or first.ncpu
        mem = self.config.memory_gb
        self.memory_gb = memory_gb() if mem is None else mem
        self.name = f"modelled-ccf-{self.config.cloud}"
        self._coeffs = self._coefficients()
        self._lock = threading.Lock()
        self._last = (clock(), first.busy_s)
        self._energy = [0.0, 0.0, 0.0]  # central, low, high

    def _coefficients(self) -> list[tuple[float, float, float]]:
        """(min_w, max_w, pue) for the central, low and high estimates."""
        cfg = self.config
        lo_min = min([v[0] for v in CCF_VCPU_W.values()] + [cfg.vcpu_watts[0]])
        lo_max = min([v[1] for v in CCF_VCPU_W.values()] + [cfg.vcpu_watts[1]])
        hi_min = max([v[0] for v in CCF_VCPU_W.values()] + [cfg.vcpu_watts[0]])
        hi_max = max([v[1] for v in CCF_VCPU_W.values()] + [cfg.vcpu_watts[1]])
        lo_pue = min([*CCF_PUE.values(), cfg.pue_value])
        hi_pue = max([*CCF_PUE.values(), cfg.pue_value])
        central = (*cfg.vcpu_watts, cfg.pue_value)
        return [central, (lo_min, lo_max, lo_pue), (hi_min, hi_max, hi_pue)]

    def energy_for(self, dt_s: float, busy_s: float) -> tuple[float, float, float]:
        """Modelled (central, low, high) J for ``busy_s`` CPU-seconds over ``dt_s``."""
        busy_s = min(max(busy_s, 0.0), self.ncpu * dt_s)
        out = []
        for min_w, max_w, pue in self._coeffs:
            cpu_j = self.ncpu * min_w * dt_s + busy_s * (max_w - min_w)
            mem_j = self.memory_gb * self.config.memory_w_per_gb * dt_s
            out.append((cpu_j + mem_j) * pue)
        return out[0], out[1], out[2]

    def idle_power_w(self) -> float:
        min_w, _, pue = self._coeffs[0]
        return (self.ncpu * min_w + self.memory_gb * self.config.memory_w_per_gb) * pue

    def power_per_busy_cpu_w(self) -> float:
        min_w, max_w, pue = self._coeffs[0]
        return (max_w - min_w) * pue

    def read(self) -> MeterReading:
        with self._lock:
            t, busy = self._clock(), self._cpu_times().busy_s
            t0, busy0 = self._last
            dt = max(t - t0, 0.0)
            parts = self.energy_for(dt, busy - busy0)
            self._energy = [a + b for a, b in zip(self._energy, parts)]
            self._last = (t, busy)
            central, low, high = self._energy
        return MeterReading(central, low, high, t, "modelled", self.name)
