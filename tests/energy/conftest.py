"""Fixtures for energy tests: a monitor on a replayed trace, no hardware needed."""

from __future__ import annotations

import os
import time

import pytest

from greencart.energy.config import EnergyConfig
from greencart.energy.fake import FakeMeter
from greencart.energy.hostcpu import CpuTimes
from greencart.energy.intensity import StaticIntensity
from greencart.energy.monitor import EnergyMonitor


def ramp_trace(power_w: float = 50.0, n: int = 10_000, dt_s: float = 0.1) -> list[tuple[float, float]]:
    return [(i * dt_s, i * dt_s * power_w) for i in range(n)]


def process_cpu() -> CpuTimes:
    """Host busy time as this process's CPU time: deterministic enough for tests."""
    return CpuTimes(time.process_time(), os.cpu_count() or 1, "test")


@pytest.fixture
def make_monitor():
    monitors: list[EnergyMonitor] = []

    def factory(power_w: float = 50.0, idle_w: float = 10.0, band: float = 0.1, **cfg: object) -> EnergyMonitor:
        meter = FakeMeter(ramp_trace(power_w), band=band, idle_w=idle_w)
        m = EnergyMonitor(
            [meter], EnergyConfig(**cfg), StaticIntensity(200.0, "test"), cpu_times=process_cpu  # type: ignore[arg-type]
        )
        monitors.append(m)
        return m

    yield factory
    for m in monitors:
        m.stop()


def burn_cpu(n: int = 20_000) -> int:
    return sum(i * i for i in range(n))


