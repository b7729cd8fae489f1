"""The green cost of recommending: every fit and scoring batch runs in an energy work unit.

:class:`GreenMeter` wraps :class:`greencart.energy.EnergyMonitor` (or a caller's
monitor) and turns unit results into J per training run and J per 1,000
recommendations. It meters whole-process CPU time, since ``implicit`` trains on
its own threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cost:
    """What one metered block took: seconds, joules (with band) and how they were obtained."""

    name: str
    duration_s: float
    cpu_s: float
    energy_j: float
    energy_low_j: float
    energy_high_j: float
    method: str

    def per_1k(self, n: int) -> float:
        """Joules per 1,000 of ``n`` items (recommendation lists) served in this block."""
        return self.energy_j * 1000.0 / max(n, 1)


class GreenMeter:
    def __init__(self, monitor: Any = None, *, sample_interval_s: float = 0.1) -> None:
        self._monitor = monitor
        self._owned = monitor is None
        self._interval = sample_interval_s

    @property
    def monitor(self) -> Any:
        if self._monitor is None:
            from greencart.energy import EnergyConfig, EnergyMonitor

            cfg = EnergyConfig(cpu_clock="process", sample_interval_s=self._interval)
            self._monitor = EnergyMonitor(config=cfg).start()
        return self._monitor

    @contextmanager
    def measure(self, name: str, out: list[Cost], **tags: Any) -> Iterator[None]:
        """Run the block in a work unit; append its final :class:`Cost` to ``out``."""
        unit = self.monitor.unit(name, **tags)
        with unit:
            yield
        unit.wait_final(timeout_s=max(2.0, 10 * self._interval))
        r = unit.result
        out.append(Cost(name, r.duration_s, r.cpu_s, r.energy_j, r.energy_low_j, r.energy_high_j, r.method))

    def close(self) -> None:
        if self._owned and self._monitor is not None:
            self._monitor.stop()
            self._monitor = None
