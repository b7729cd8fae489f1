"""Work units: what one request, batch or training run did, and what it cost.

A unit records its start and end (monotonic and wall clock) and its CPU time
on its own thread (or the whole process, ``cpu_clock="process"``). The
sampler attributes each window's energy to the units in flight; a unit's
figure is *final* once the first window after its end has closed. Until then
``result`` holds an *estimate* (CPU-seconds x the last window's J per
CPU-second), flagged ``final=False`` and method ``"<method>-estimate"``.
"""

from __future__ import annotations

import itertools
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from greencart.errors import InvalidParameter

_ids = itertools.count(1)
_local = threading.local()
current_unit: ContextVar["WorkUnit | None"] = ContextVar("greencart_energy_unit", default=None)


@dataclass(frozen=True)
class UnitResult:
    """The energy and carbon of one work unit, with its provenance."""

    name: str
    tags: dict[str, Any]
    started_at: datetime
    duration_s: float
    cpu_s: float
    energy_j: float
    energy_low_j: float
    energy_high_j: float
    carbon_g: float
    method: str
    meter: str
    intensity_g_per_kwh: float
    intensity_source: str
    final: bool
    parent: str | None = None

    def __post_init__(self) -> None:
        if self.duration_s < 0 or self.cpu_s < 0:
            raise InvalidParameter(f"Expected duration_s, cpu_s >= 0, got {self.duration_s}, {self.cpu_s}")
        if not (0 <= self.energy_low_j <= self.energy_j * (1 + 1e-9) + 1e-12):
            raise InvalidParameter(f"Expected 0 <= energy_low_j <= energy_j, got {self.energy_low_j}")

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["started_at"] = self.started_at.isoformat()
        return out


def _thread_clock() -> tuple[Any, int]:
    """(key, clock id) of this thread's CPU clock; the id is cached per thread."""
    entry = getattr(_local, "clock", None)
    if entry is None:
        ident = threading.get_ident()
        try:
            clock_id = time.pthread_getcpuclockid(ident)
        except (AttributeError, OSError):  # pragma: no cover - non-POSIX
            clock_id = time.CLOCK_THREAD_CPUTIME_ID
        entry = _local.clock = (ident, clock_id)
    return entry


class WorkUnit:
    """One unit of work; a context manager (``with`` / ``async with``).

    Created by ``EnergyMonitor.unit``. ``result`` is ``None`` while the unit
    runs, an estimate (``final=False``) after exit, and the attributed figure
    (``final=True``) once the sampler has closed the window after its end.
    Kept to plain slots: entering and leaving costs a few microseconds.
    """

    __slots__ = (
        "name", "tags", "process_clock", "id", "parent", "thread_key", "clock_id", "start_s",
        "start_wall", "end_s", "cpu_start_s", "cpu_mark_s", "cpu_end_s", "energy_j",
        "energy_low_j", "energy_high_j", "final_result", "_monitor", "_token", "other_thread_cpu_s",
        "rolled_cpu_s",
    )

    def __init__(self, monitor: Any, name: str, tags: dict[str, Any], process_clock: bool = False) -> None:
        self._monitor = monitor
        self.name = name
        self.tags = tags
        self.process_clock = process_clock
        self.id = next(_ids)
        self.parent: WorkUnit | None = None
        self.end_s: float | None = None
        self.cpu_end_s: float | None = None
        self.energy_j = self.energy_low_j = self.energy_high_j = 0.0
        self.other_thread_cpu_s = 0.0  # CPU of finished children on other threads, not yet rolled up
        self.rolled_cpu_s = 0.0  # CPU of children on other threads whose energy is rolled up
        self.final_result: UnitResult | None = None
        self.thread_key: Any = None
        self.clock_id = 0
        self.start_s = self.start_wall = self.cpu_start_s = self.cpu_mark_s = 0.0
        self._token: Any = None

    # -- context manager -------------------------------------------------------
    def __enter__(self) -> "WorkUnit":
        self.parent = current_unit.get()
        if self.process_clock:
            self.thread_key, self.clock_id = "process", time.CLOCK_PROCESS_CPUTIME_ID
            cpu = time.process_time()
        else:
            self.thread_key, self.clock_id = _thread_clock()
            cpu = time.thread_time()
        self.start_wall = time.time()
        self.start_s = time.monotonic()
        self.cpu_start_s = self.cpu_mark_s = cpu
        self._monitor._register(self)
        self._token = current_unit.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu_end_s = time.process_time() if self.process_clock else time.thread_time()
        self.end_s = time.monotonic()
        parent = self.parent
        if parent is not None and parent.thread_key != self.thread_key:
            parent.other_thread_cpu_s += self.cpu_s
        try:
            current_unit.reset(self._token)
        except ValueError:  # exited in another context (e.g. a callback): leave the var alone
            pass

    async def __aenter__(self) -> "WorkUnit":
        return self.__enter__()

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__(*exc)

    # -- figures ---------------------------------------------------------------
    @property
    def result(self) -> UnitResult | None:
        if self.final_result is not None:
            return self.final_result
        if self.end_s is None:
            return None
        return self._monitor._estimate(self)

    @property
    def is_root(self) -> bool:
        """A root for accounting: no parent on the same CPU clock."""
        return self.parent is None or self.parent.thread_key != self.thread_key

    @property
    def cpu_s(self) -> float:
        """CPU-seconds on the unit's own clock (see ``other_thread_cpu_s`` for children elsewhere)."""
        end = self.cpu_end_s if self.cpu_end_s is not None else self.cpu_mark_s
        return max(0.0, end - self.cpu_start_s)

    @property
    def duration_s(self) -> float:
        end = self.end_s if self.end_s is not None else time.monotonic()
        return max(0.0, end - self.start_s)

    @property
    def started_at(self) -> datetime:
        return datetime.fromtimestamp(self.start_wall, tz=timezone.utc)

    def wait_final(self, timeout_s: float | None = None) -> bool:
        """Block until the sampler has attributed this unit's last window."""
        return self._monitor._wait_final(self, timeout_s)
