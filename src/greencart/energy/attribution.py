"""Energy-conserving attribution of one sampled window to the work units in flight.

For a window of ``dt`` seconds on a host of ``ncpu`` CPUs, with host energy
``E``, busy CPU-seconds ``B`` (all processes) and static (idle) power ``P0``:

- static energy ``Es = min(E, P0 * dt)`` is spread over the CPU *capacity*
  ``C = ncpu * dt``: a unit that used ``c`` CPU-seconds gets ``c / C * Es``;
- dynamic energy ``Ed = E - Es`` is spread over the *busy* CPU-seconds:
  a unit gets ``c / B * Ed``;
- busy time no unit used (other processes, threads outside any unit) is
  ``unattributed``; the static energy of the unused capacity is ``idle``.

``units + unattributed + idle == E`` holds by construction (idle is the
remainder). Nothing is smeared: a unit that used no CPU gets nothing.
Within one thread, concurrent units (asyncio tasks interleaving) each see the
thread's whole CPU clock during their span, so their CPU is scaled down to the
thread's CPU delta in the window (:func:`cap_shares`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from greencart.errors import InvalidParameter

_EPS_CPU_S = 1e-9  # below a nanosecond of CPU a rate per CPU-second is meaningless


@dataclass(frozen=True)
class Window:
    """One sampler window: host energy (with its band) and CPU use."""

    duration_s: float
    energy_j: float
    energy_low_j: float
    energy_high_j: float
    busy_cpu_s: float
    capacity_cpu_s: float
    idle_power_w: float = 0.0

    def __post_init__(self) -> None:
        for name in ("duration_s", "energy_j", "busy_cpu_s", "capacity_cpu_s", "idle_power_w"):
            if getattr(self, name) < 0:
                raise InvalidParameter(f"Expected {name} >= 0, got {getattr(self, name)}")
        if not self.energy_low_j <= self.energy_j <= self.energy_high_j:
            raise InvalidParameter(
                f"Expected energy_low_j <= energy_j <= energy_high_j, got "
                f"{self.energy_low_j}, {self.energy_j}, {self.energy_high_j}"
            )


@dataclass
class WindowSplit:
    """How a window's energy was split. ``rate`` converts unit CPU-seconds to J."""

    unit_j: dict[int, float] = field(default_factory=dict)
    unattributed_j: float = 0.0
    idle_j: float = 0.0
    static_rate_j_per_cpu_s: float = 0.0
    dynamic_rate_j_per_cpu_s: float = 0.0
    low_ratio: float = 1.0
    high_ratio: float = 1.0

    @property
    def rate_j_per_cpu_s(self) -> float:
        return self.static_rate_j_per_cpu_s + self.dynamic_rate_j_per_cpu_s

    def energy_for(self, cpu_s: float) -> float:
        return cpu_s * self.rate_j_per_cpu_s

    @property
    def total_j(self) -> float:
        return sum(self.unit_j.values()) + self.unattributed_j + self.idle_j


def split_window(window: Window, root_cpu_s: Mapping[int, float]) -> WindowSplit:
    """Split ``window`` over root units by their CPU-seconds in it (conserving)."""
    for uid, c in root_cpu_s.items():
        if c < 0:
            raise InvalidParameter(f"Expected unit {uid} cpu_s >= 0, got {c}")
    used = sum(root_cpu_s.values())
    busy = max(window.busy_cpu_s, used)
    capacity = max(window.capacity_cpu_s, busy)
    energy = window.energy_j
    static = min(energy, window.idle_power_w * window.duration_s)
    dynamic = energy - static
    s_rate = static / capacity if capacity > _EPS_CPU_S else 0.0
    d_rate = dynamic / busy if busy > _EPS_CPU_S else 0.0
    split = WindowSplit(static_rate_j_per_cpu_s=s_rate, dynamic_rate_j_per_cpu_s=d_rate)
    split.unit_j = {uid: c * (s_rate + d_rate) for uid, c in root_cpu_s.items()}
    other = busy - used
    split.unattributed_j = other * (s_rate + d_rate) + (dynamic if busy <= _EPS_CPU_S else 0.0)
    split.idle_j = max(0.0, energy - sum(split.unit_j.values()) - split.unattributed_j)
    if energy > 0:
        split.low_ratio = window.energy_low_j / energy
        split.high_ratio = window.energy_high_j / energy
    return split


def cap_shares(cpu_s: Mapping[int, float], limit_cpu_s: float | None) -> dict[int, float]:
    """Scale ``cpu_s`` down proportionally so that they sum to at most ``limit_cpu_s``."""
    total = sum(cpu_s.values())
    if limit_cpu_s is None or total <= limit_cpu_s or total <= 0:
        return dict(cpu_s)
    factor = max(limit_cpu_s, 0.0) / total
    return {k: v * factor for k, v in cpu_s.items()}
