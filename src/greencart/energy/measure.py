"""Metering a command (``greencart energy measure -- CMD``) and calibrating the model."""

from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from greencart.energy.attribution import Window, split_window
from greencart.energy.config import EnergyConfig
from greencart.energy.hostcpu import read_cpu_times
from greencart.energy.meters import IdlePowerHint, Meter, SummedMeter, detect_meters
from greencart.errors import InvalidParameter


@dataclass(frozen=True)
class CommandEnergy:
    command: str
    exit_code: int
    duration_s: float
    cpu_s: float
    energy_j: float
    energy_low_j: float
    energy_high_j: float
    host_energy_j: float
    method: str
    meter: str


def measure_command(argv: Sequence[str], meters: Sequence[Meter] | None = None,
                    config: EnergyConfig | None = None) -> CommandEnergy:
    """Run ``argv``; its energy is the host energy over the run split by its CPU share.

    The command's CPU time (user + system, children included) comes from
    ``getrusage(RUSAGE_CHILDREN)``; the split is the monitor's (static power over
    capacity, dynamic over busy CPU), so idle power of unused CPUs is not charged.
    """
    if not argv:
        raise InvalidParameter("Expected a command after `--`, e.g. greencart energy measure -- sleep 1")
    meter = SummedMeter(list(meters) if meters else detect_meters(config))
    r0, cpu0, t0 = meter.read(), read_cpu_times(), time.monotonic()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = subprocess.call(list(argv))
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    r1, cpu1, t1 = meter.read(), read_cpu_times(), time.monotonic()
    cpu_s = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    dt = t1 - t0
    energy = max(0.0, r1.energy_j - r0.energy_j)
    window = Window(
        dt, energy, min(energy, max(0.0, r1.energy_low_j - r0.energy_low_j)),
        max(energy, r1.energy_high_j - r0.energy_high_j), max(0.0, cpu1.busy_s - cpu0.busy_s),
        cpu1.ncpu * dt, meter.idle_power_w() if isinstance(meter, IdlePowerHint) else 0.0,
    )
    split = split_window(window, {0: cpu_s})
    e = split.unit_j[0]
    return CommandEnergy(" ".join(argv), code, dt, cpu_s, e, e * split.low_ratio, e * split.high_ratio,
                         energy, meter.method, meter.name)


def calibrate(
    config: EnergyConfig | None = None,
    seconds_per_level: float = 2.0,
    *,
    load: Callable[[float, float], None] | None = None,
) -> dict[str, Any]:
    """Compare the modelled CPU meter with RAPL under known loads; fit and report MAPE.

    Loads: one busy thread at 0, 50 and 100 % duty for ``seconds_per_level`` each.
    The fit is least squares of ``measured_j = idle_w x dt + per_busy_cpu_w x busy_s``
    (the modelled meter's own form, without memory and PUE, which RAPL cannot see).
    Without a counter there is nothing to calibrate against: says so and returns.
    """
    from greencart.energy.modelled import ModelledCpuMeter
    from greencart.energy.rapl import RaplMeter, rapl_status

    config = config or EnergyConfig()
    ok, why = rapl_status(config.powercap_root)
    if not ok:
        return {"calibrated": False,
                "reason": f"No energy counter on this host to calibrate against ({why}). "
                          "The modelled meter keeps its published coefficients (Cloud Carbon Footprint)."}
    load = load or _duty_cycle
    rapl, model = RaplMeter(config.powercap_root), ModelledCpuMeter(config)
    rows = []
    for duty in (0.0, 0.5, 1.0):
        m0, r0, c0, t0 = model.read().energy_j, rapl.read().energy_j, read_cpu_times(), time.monotonic()
        load(duty, seconds_per_level)
        m1, r1, c1, t1 = model.read().energy_j, rapl.read().energy_j, read_cpu_times(), time.monotonic()
        rows.append({"duty": duty, "duration_s": t1 - t0, "busy_cpu_s": max(0.0, c1.busy_s - c0.busy_s),
                     "modelled_j": m1 - m0, "measured_j": r1 - r0})
    errs = [abs(r["modelled_j"] - r["measured_j"]) / r["measured_j"] for r in rows if r["measured_j"] > 0]
    idle_w, per_busy_w = _fit(rows)
    return {"calibrated": True, "levels": rows, "mape_pct": 100.0 * sum(errs) / len(errs) if errs else None,
            "fit_idle_w": idle_w, "fit_per_busy_cpu_w": per_busy_w,
            "note": "RAPL sees CPU packages only: no memory, PUE or the rest of the host"}


def _fit(rows: list[dict[str, float]]) -> tuple[float, float]:
    """Least squares for ``E = a dt + b busy`` (2x2 normal equations)."""
    sxx = sum(r["duration_s"] ** 2 for r in rows)
    syy = sum(r["busy_cpu_s"] ** 2 for r in rows)
    sxy = sum(r["duration_s"] * r["busy_cpu_s"] for r in rows)
    sxe = sum(r["duration_s"] * r["measured_j"] for r in rows)
    sye = sum(r["busy_cpu_s"] * r["measured_j"] for r in rows)
    det = sxx * syy - sxy * sxy
    if abs(det) < 1e-12:
        return (sxe / sxx if sxx else 0.0), 0.0
    return (sxe * syy - sye * sxy) / det, (sye * sxx - sxe * sxy) / det


def _duty_cycle(duty: float, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        slice_end = time.monotonic() + 0.01 * duty
        while time.monotonic() < slice_end:
            pass
        time.sleep(0.01 * (1 - duty))
