"""EnergyMonitor: the background sampler, attribution state and the work-unit API."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from greencart.energy.attribution import Window, WindowSplit, cap_shares, split_window
from greencart.energy.background import BackgroundLoop
from greencart.energy.config import EnergyConfig
from greencart.energy.hostcpu import CpuTimes, read_cpu_times
from greencart.energy.intensity import (
    WORLD_AVERAGE_G_PER_KWH,
    IntensityProvider,
    IntensityValue,
    default_provider,
)
from greencart.energy.meters import IdlePowerHint, Meter, SummedMeter, detect_meters
from greencart.energy.unitapi import UnitApiMixin
from greencart.energy.workunit import UnitResult, WorkUnit
from greencart.errors import GreencartError
from greencart.units import carbon_g

log = logging.getLogger(__name__)
Sink = Callable[[UnitResult], None]


class EnergyMonitor(UnitApiMixin):
    """Samples the host meters and attributes each window to the units in flight.

    ``start()``/``stop()`` run the sampler thread; ``close_window()`` does one
    step by hand (tests, or a final flush). Totals always reconcile:
    ``attributed_j + unattributed_j + idle_j == total_j``.
    """

    def __init__(
        self,
        meters: Sequence[Meter] | None = None,
        config: EnergyConfig | None = None,
        intensity: IntensityProvider | None = None,
        *,
        cpu_times: Callable[[], CpuTimes] = read_cpu_times,
    ) -> None:
        self.config = config or EnergyConfig()
        self.meter = SummedMeter(list(meters) if meters else detect_meters(self.config))
        self.method = self.meter.method
        self.intensity = intensity or default_provider(self.config.country_iso3)
        self._cpu_times = cpu_times
        self._lock = threading.Lock()
        self._sample_lock = threading.Lock()
        self._active: dict[int, WorkUnit] = {}
        self._thread_marks: dict[Any, float] = {}
        self._sinks: list[Sink] = []
        self._final_cond = threading.Condition()
        self._process_clock = self.config.cpu_clock == "process"
        self._loop = BackgroundLoop("greencart-energy", self.config.sample_interval_s, self.close_window)
        self.total_j = self.attributed_j = self.unattributed_j = self.idle_j = 0.0
        self.windows = 0
        self.last_split: WindowSplit | None = None
        self._intensity_now = self._lookup_intensity(time.time())
        self._last_reading = self.meter.read()
        self._last_t = time.monotonic()
        self._last_cpu = cpu_times()

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> "EnergyMonitor":
        self._loop.start()
        return self

    def stop(self) -> None:
        self._loop.stop()
        self.close_window()

    def __enter__(self) -> "EnergyMonitor":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_sink(self, sink: Sink) -> None:
        """Called (on the sampler thread) with every unit's final result."""
        self._sinks.append(sink)

    # -- units (called by UnitApiMixin) ----------------------------------------
    def _register(self, unit: WorkUnit) -> None:
        with self._lock:
            self._active[unit.id] = unit

    def _estimate(self, unit: WorkUnit, cpu_now_s: float | None = None) -> UnitResult:
        rate = self._rate_j_per_cpu_s()
        if cpu_now_s is None:
            cpu_now_s = unit.cpu_end_s if unit.cpu_end_s is not None else unit.cpu_mark_s
        pending = max(0.0, cpu_now_s - unit.cpu_mark_s) + unit.other_thread_cpu_s
        energy = unit.energy_j + pending * rate
        low_r, high_r = self._ratios()
        return self._result(unit, energy, energy * low_r, max(energy * high_r, energy), final=False)

    def estimate_now(self, unit: WorkUnit) -> UnitResult:
        """A unit's estimate while in flight (what a response header can carry)."""
        try:
            cpu_now = time.clock_gettime(unit.clock_id)
        except OSError:
            cpu_now = unit.cpu_mark_s
        return self._estimate(unit, cpu_now)

    def _wait_final(self, unit: WorkUnit, timeout_s: float | None) -> bool:
        with self._final_cond:
            return self._final_cond.wait_for(lambda: unit.final_result is not None, timeout_s)

    # -- sampling --------------------------------------------------------------
    def close_window(self) -> WindowSplit:
        """Read the meters, attribute the window since the last one, finalise ended units."""
        with self._sample_lock:
            reading, t1, cpu = self.meter.read(), time.monotonic(), self._cpu_times()
            with self._lock:
                units = list(self._active.values())
            dt = max(t1 - self._last_t, 0.0)
            window = Window(
                duration_s=dt,
                energy_j=max(0.0, reading.energy_j - self._last_reading.energy_j),
                energy_low_j=max(0.0, reading.energy_low_j - self._last_reading.energy_low_j),
                energy_high_j=max(0.0, reading.energy_high_j - self._last_reading.energy_high_j),
                busy_cpu_s=max(0.0, cpu.busy_s - self._last_cpu.busy_s),
                capacity_cpu_s=cpu.ncpu * dt,
                idle_power_w=self.meter.idle_power_w() if isinstance(self.meter, IdlePowerHint) else 0.0,
            )
            window = _consistent(window)
            self._last_reading, self._last_t, self._last_cpu = reading, t1, cpu
            ended, deltas = self._unit_deltas(units)
            roots = self._cap(units, deltas)
            split = split_window(window, {u.id: deltas[u.id] for u in roots})
            for u in units:
                e = split.energy_for(deltas[u.id])
                u.energy_j += e
                u.energy_low_j += e * split.low_ratio
                u.energy_high_j += e * split.high_ratio
            self.total_j += window.energy_j
            self.attributed_j += sum(split.unit_j.values())
            self.unattributed_j += split.unattributed_j
            self.idle_j += split.idle_j
            self.windows += 1
            self.last_split = split
            self._intensity_now = self._lookup_intensity(time.time())
            self._finalise([u for u in units if u.id in ended])
            return split

    def _unit_deltas(self, units: list[WorkUnit]) -> tuple[set[int], dict[int, float]]:
        ended: set[int] = set()
        deltas: dict[int, float] = {}
        live_clock: dict[Any, float] = {}
        for u in units:
            end = u.cpu_end_s
            if end is not None:
                ended.add(u.id)
            else:
                if u.thread_key not in live_clock:
                    try:
                        live_clock[u.thread_key] = time.clock_gettime(u.clock_id)
                    except OSError:  # the thread exited without closing its unit
                        live_clock[u.thread_key] = u.cpu_mark_s
                end = live_clock[u.thread_key]
            deltas[u.id] = max(0.0, end - u.cpu_mark_s)
            u.cpu_mark_s = max(u.cpu_mark_s, end)
        return ended, deltas

    def _cap(self, units: list[WorkUnit], deltas: dict[int, float]) -> list[WorkUnit]:
        """Cap concurrent units on one thread to its CPU delta, children to their parent."""
        ids = {u.id for u in units}
        roots = [u for u in units if u.is_root or u.parent.id not in ids]  # type: ignore[union-attr]
        by_key: dict[Any, list[WorkUnit]] = {}
        for u in roots:
            by_key.setdefault(u.thread_key, []).append(u)
        for key, group in by_key.items():
            now = max(u.cpu_mark_s for u in group)
            mark = self._thread_marks.get(key, min(u.cpu_mark_s - deltas[u.id] for u in group))
            capped = cap_shares({u.id: deltas[u.id] for u in group}, now - mark)
            deltas.update(capped)
            if all(u.cpu_end_s is not None for u in group):
                self._thread_marks.pop(key, None)
            else:
                self._thread_marks[key] = now
        children: dict[int, list[WorkUnit]] = {}
        root_ids = {u.id for u in roots}
        for u in units:
            if u.id not in root_ids:
                children.setdefault(u.parent.id, []).append(u)  # type: ignore[union-attr]
        order = sorted(units, key=_depth)
        for parent in order:
            kids = children.get(parent.id)
            if kids:
                deltas.update(cap_shares({k.id: deltas[k.id] for k in kids}, deltas[parent.id]))
        return roots

    def _finalise(self, ended: list[WorkUnit]) -> None:
        with self._lock:
            for u in ended:
                self._active.pop(u.id, None)
        for u in sorted(ended, key=_depth, reverse=True):  # children before parents
            u.final_result = self._result(u, u.energy_j, u.energy_low_j, u.energy_high_j, final=True)
            p = u.parent
            if p is not None and p.thread_key != u.thread_key and p.final_result is None:
                # a child on another thread (e.g. a sync endpoint in a thread pool):
                # roll its attributed energy up so the parent's figure is inclusive
                p.energy_j += u.energy_j
                p.energy_low_j += u.energy_low_j
                p.energy_high_j += u.energy_high_j
                p.other_thread_cpu_s = max(0.0, p.other_thread_cpu_s - u.cpu_s)
                p.rolled_cpu_s += u.cpu_s
        with self._final_cond:
            self._final_cond.notify_all()
        for u in ended:
            for sink in self._sinks:
                try:
                    sink(u.final_result)
                except Exception:
                    log.exception("Energy sink %r failed for unit %s", sink, u.name)

    # -- helpers ---------------------------------------------------------------
    def _rate_j_per_cpu_s(self) -> float:
        if self.last_split is not None and self.last_split.rate_j_per_cpu_s > 0:
            return self.last_split.rate_j_per_cpu_s
        parts = getattr(self.meter, "meters", [])
        rate = 0.0
        for m in parts:
            per_busy = getattr(m, "power_per_busy_cpu_w", None)
            if per_busy is not None:
                rate += per_busy() + m.idle_power_w() / max(getattr(m, "ncpu", 1), 1)
        return rate

    def _ratios(self) -> tuple[float, float]:
        s = self.last_split
        if s is not None:
            return s.low_ratio, s.high_ratio
        r = self._last_reading
        return (r.energy_low_j / r.energy_j, r.energy_high_j / r.energy_j) if r.energy_j > 0 else (1.0, 1.0)

    def _lookup_intensity(self, when_s: float) -> IntensityValue:
        """The provider's value at ``when_s``; on failure the last good one, saying why."""
        when = datetime.fromtimestamp(when_s, tz=timezone.utc)
        try:
            return self.intensity.intensity_at(when)
        except GreencartError as exc:
            last = getattr(self, "_intensity_now", None)
            if last is None:
                log.warning("No grid intensity for %s (%s); using the world average", when, exc.message)
                return IntensityValue(WORLD_AVERAGE_G_PER_KWH, f"world average (Ember 2024); {exc.message}", "static")
            return IntensityValue(last.intensity_g_per_kwh, f"{last.source} (held: {exc.message})", last.kind)

    def _result(self, u: WorkUnit, e: float, low: float, high: float, *, final: bool) -> UnitResult:
        iv = self._intensity_now if not final else self._lookup_intensity(u.start_wall)
        return UnitResult(
            name=u.name,
            tags=u.tags,
            started_at=u.started_at,
            duration_s=u.duration_s,
            cpu_s=u.cpu_s + u.rolled_cpu_s + u.other_thread_cpu_s,
            energy_j=e,
            energy_low_j=min(low, e),
            energy_high_j=max(high, e),
            carbon_g=carbon_g(e, iv.intensity_g_per_kwh),
            method=self.method if final else f"{self.method}-estimate",
            meter=self.meter.name,
            intensity_g_per_kwh=iv.intensity_g_per_kwh,
            intensity_source=iv.source,
            final=final,
            parent=u.parent.name if u.parent is not None else None,
        )

    def snapshot(self) -> dict[str, Any]:
        """Host totals since start; ``attributed + unattributed + idle == total``."""
        with self._lock:
            in_flight = len(self._active)
        return {
            "meter": self.meter.name,
            "method": self.method,
            "windows": self.windows,
            "units_in_flight": in_flight,
            "total_j": self.total_j,
            "attributed_j": self.attributed_j,
            "unattributed_j": self.unattributed_j,
            "idle_j": self.idle_j,
            "intensity_g_per_kwh": self._intensity_now.intensity_g_per_kwh,
            "intensity_source": self._intensity_now.source,
        }


def _depth(u: WorkUnit) -> int:
    d, p = 0, u.parent
    while p is not None:
        d, p = d + 1, p.parent
    return d


def _consistent(w: Window) -> Window:
    """Meters sum low/central/high independently; keep the band ordered."""
    low, high = min(w.energy_low_j, w.energy_j), max(w.energy_high_j, w.energy_j)
    if (low, high) == (w.energy_low_j, w.energy_high_j):
        return w
    return Window(w.duration_s, w.energy_j, low, high, w.busy_cpu_s, w.capacity_cpu_s, w.idle_power_w)
