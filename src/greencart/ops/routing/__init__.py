"""Low-emission delivery routing (issue 13): PyVRP on a heterogeneous fleet with
load-dependent CO2e (GLEC Framework v3 / ISO 14083), baselines, greener slots.

- ``models``: stops, vehicle types, fleet, solve parameters; ``inputs``: fleet and
  order files; ``geo``: haversine x road factor, synthetic demo coordinates.
- ``emissions``: per-arc load-dependent energy and WTW factors with their sources.
- ``evaluate``: exact route figures and CO2e-lowering reordering; ``solver``: PyVRP
  (emission-weighted or distance-only); ``baselines``: Clarke-Wright, one vehicle
  per order; ``compare``: all side by side.
- ``slots``: :func:`green_slots`, the marginal kg CO2e of each delivery window;
  ``nudging``: simulated days with a share of shoppers taking the green slot.
- ``xbench``/``bench``: CVRPLIB set X and the benchmark parts; ``service``: the
  facade for the CLI and API.

Nothing here imports PyVRP or vrplib at import time.
"""

from greencart.ops.routing.models import Fleet, Point, SolveParams, Stop, TimeWindow, VehicleType
from greencart.ops.routing.slots import green_slots

__all__ = ["Fleet", "Point", "SolveParams", "Stop", "TimeWindow", "VehicleType", "green_slots"]
