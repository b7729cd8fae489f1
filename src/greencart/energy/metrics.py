"""Prometheus metrics for a monitor, on its own registry (nothing global, nothing at import).

- ``greencart_work_unit_energy_joules`` and ``greencart_work_unit_carbon_grams``:
  histograms of the final, attributed figure per unit, by ``name`` and ``tier``;
- ``greencart_energy_{host,attributed,unattributed,idle}_joules_total``: host totals;
- ``greencart_energy_meter_info{meter,method}``: which meter and whether it is
  ``measured`` or ``modelled``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from greencart.energy.workunit import UnitResult

# Per-request energies span microjoules (cache hit) to kilojoules (training).
ENERGY_BUCKETS_J = (1e-4, 1e-3, 1e-2, 0.1, 0.5, 1, 5, 10, 50, 100, 1e3, 1e4, 1e5)
CARBON_BUCKETS_G = (1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100)
MAX_NAMES = 200  # label cardinality guard: later names are reported as "other"


class EnergyMetrics:
    """Prometheus collectors fed by a monitor's final unit results."""

    def __init__(self, monitor: Any) -> None:
        from prometheus_client import CollectorRegistry, Histogram

        self.monitor = monitor
        self.registry = CollectorRegistry(auto_describe=True)
        self.energy = Histogram(
            "greencart_work_unit_energy_joules", "Energy attributed to a work unit (J)",
            ["name", "tier", "method"], buckets=ENERGY_BUCKETS_J, registry=self.registry,
        )
        self.carbon = Histogram(
            "greencart_work_unit_carbon_grams", "Operational carbon of a work unit (gCO2e)",
            ["name", "tier", "method"], buckets=CARBON_BUCKETS_G, registry=self.registry,
        )
        self.registry.register(_TotalsCollector(monitor))
        self._names: set[str] = set()
        self._lock = threading.Lock()
        monitor.add_sink(self.observe)

    def _label(self, name: str) -> str:
        with self._lock:
            if name in self._names:
                return name
            if len(self._names) < MAX_NAMES:
                self._names.add(name)
                return name
        return "other"

    def observe(self, result: UnitResult) -> None:
        labels = (self._label(result.name), str(result.tags.get("tier", "")), result.method)
        self.energy.labels(*labels).observe(result.energy_j)
        self.carbon.labels(*labels).observe(result.carbon_g)

    def exposition(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


class _TotalsCollector:
    def __init__(self, monitor: Any) -> None:
        self.monitor = monitor

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, InfoMetricFamily

        snap = self.monitor.snapshot()
        for key, help_text in (
            ("total_j", "Host energy since the monitor started"),
            ("attributed_j", "Energy attributed to work units"),
            ("unattributed_j", "Busy-CPU energy outside any work unit (other processes, threads)"),
            ("idle_j", "Static energy of unused CPU capacity (never smeared over units)"),
        ):
            name = {"total_j": "host"}.get(key, key[:-2])
            yield CounterMetricFamily(f"greencart_energy_{name}_joules", help_text, value=snap[key])
        info = InfoMetricFamily("greencart_energy_meter", "The host meter and its method")
        info.add_metric([], {"meter": snap["meter"], "method": snap["method"]})
        yield info


def metrics_app(monitor: Any) -> Any:
    """An ASGI app serving the monitor's metrics (mount it at ``/metrics``)."""
    from prometheus_client import make_asgi_app

    metrics = getattr(monitor, "metrics", None)
    if metrics is None:
        metrics = monitor.metrics = EnergyMetrics(monitor)
    return make_asgi_app(registry=metrics.registry)
