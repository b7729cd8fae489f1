"""Energy and carbon of greencart's own compute, request by request.

- ``meters``: the :class:`Meter` protocol, readings, :func:`detect_meters`;
  ``rapl`` (powercap counters), ``nvml`` (GPU total-energy counter, lazy
  ``pynvml``), ``modelled`` (CCF per-vCPU power curve, memory, PUE), ``fake``
  (replays a trace).
- ``monitor``: :class:`EnergyMonitor`, the background sampler and work units;
  ``attribution``: the energy-conserving split of each window.
- ``asgi``: :class:`EnergyMiddleware` (X-Energy-J, X-Carbon-g, X-Energy-Method);
  ``metrics``: :func:`metrics_app` (Prometheus, lazy ``prometheus_client``).
- ``intensity`` / ``intensity_http``: grid carbon intensity providers.
- ``sci`` and ``manifest``: ISO/IEC 21031 SCI and Impact Framework export.
- ``ledger``: batched persistence of unit records; ``schedule``: carbon-aware
  start times; ``measure``: meter a command, calibrate the model.

Nothing here starts a thread or reads hardware at import.
"""

from greencart.energy.asgi import EnergyMiddleware
from greencart.energy.config import EnergyConfig
from greencart.energy.meters import Meter, MeterReading, detect_meters
from greencart.energy.monitor import EnergyMonitor
from greencart.energy.workunit import UnitResult, WorkUnit


def metrics_app(monitor: EnergyMonitor):  # type: ignore[no-untyped-def]
    """An ASGI app exposing ``monitor``'s Prometheus metrics (mount at ``/metrics``)."""
    from greencart.energy.metrics import metrics_app as make

    return make(monitor)


__all__ = [
    "EnergyConfig",
    "EnergyMiddleware",
    "EnergyMonitor",
    "Meter",
    "MeterReading",
    "UnitResult",
    "WorkUnit",
    "detect_meters",
    "metrics_app",
]
