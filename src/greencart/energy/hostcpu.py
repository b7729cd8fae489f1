"""Host CPU time: busy and capacity CPU-seconds, from /proc/stat where present."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

_TICK_S = 1.0 / (os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100)


@dataclass(frozen=True)
class CpuTimes:
    """Cumulative CPU-seconds: ``busy_s`` (all CPUs, not idle/iowait) and ``ncpu``."""

    busy_s: float
    ncpu: int
    source: str


def read_cpu_times(proc_stat: Path = Path("/proc/stat")) -> CpuTimes:
    """Busy CPU-seconds of the whole host; falls back to this process's CPU time."""
    ncpu = os.cpu_count() or 1
    try:
        with open(proc_stat) as fh:
            first = fh.readline().split()
    except OSError:
        return CpuTimes(time.process_time(), ncpu, "process")
    if not first or first[0] != "cpu":
        return CpuTimes(time.process_time(), ncpu, "process")
    values = [int(v) for v in first[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    # guest/guest_nice (fields 9, 10) are already included in user/nice.
    busy = sum(values[:8]) - idle
    return CpuTimes(busy * _TICK_S, ncpu, "proc_stat")


def memory_gb(meminfo: Path = Path("/proc/meminfo")) -> float:
    """Installed memory in GB (MemTotal), 0 where unknown."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1e6  # kB -> GB
    except (OSError, ValueError, IndexError):
        pass
    return 0.0
