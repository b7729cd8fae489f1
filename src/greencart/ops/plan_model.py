"""The production planning problem: products with demand, machines with capacity, and process options
(product x machine x mode) with energy and time per unit. Validated on construction."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from greencart.errors import Conflict, InvalidParameter

MAX_UNITS = 1e9
ECO_ENERGY_FACTOR = 0.75  # eco mode: -25 % kWh per unit, +30 % time (OPS_NOTES §3, the measured example)
ECO_TIME_FACTOR = 1.30
EXAMPLE_SOURCE = ("illustrative plant parameters: fast mode drawn per product from a fixed hash, eco = -25 % kWh "
                  "and +30 % time per unit (OPS_NOTES §3); not measured on a real line")


def _finite(name: str, value: float, low: float = 0.0, high: float = MAX_UNITS) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
        raise InvalidParameter(f"Expected {name} in [{low:g}, {high:g}], got {value!r}")


@dataclass(frozen=True)
class ProductDemand:
    id: str
    demand_units: float
    safety_units: float = 0.0

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidParameter("Expected a non-empty product id")
        _finite(f"demand_units of {self.id!r}", self.demand_units)
        _finite(f"safety_units of {self.id!r}", self.safety_units)

    @property
    def required_units(self) -> float:
        return self.demand_units + self.safety_units


@dataclass(frozen=True)
class Machine:
    id: str
    capacity_h: float

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidParameter("Expected a non-empty machine id")
        _finite(f"capacity_h of machine {self.id!r}", self.capacity_h, 0.0, 1e6)


@dataclass(frozen=True)
class ProcessOption:
    product_id: str
    machine_id: str
    mode: str
    energy_kwh_per_unit: float
    hours_per_unit: float
    setup_kwh: float = 0.0
    setup_h: float = 0.0

    def __post_init__(self) -> None:
        where = f"option ({self.product_id}, {self.machine_id}, {self.mode})"
        if not self.mode:
            raise InvalidParameter(f"Expected a non-empty mode for {where}")
        _finite(f"energy_kwh_per_unit of {where}", self.energy_kwh_per_unit, 0.0, 1e6)
        _finite(f"hours_per_unit of {where}", self.hours_per_unit, 1e-9, 1e4)
        _finite(f"setup_kwh of {where}", self.setup_kwh, 0.0, 1e6)
        _finite(f"setup_h of {where}", self.setup_h, 0.0, 1e4)


@dataclass(frozen=True)
class ProductionProblem:
    products: tuple[ProductDemand, ...]
    machines: tuple[Machine, ...]
    options: tuple[ProcessOption, ...]
    integer_units: bool = False
    intensity_g_per_kwh: float = 150.0
    intensity_source: str = "configured"
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        pids = [p.id for p in self.products]
        mids = [m.id for m in self.machines]
        if not pids or not mids or not self.options:
            raise InvalidParameter("Expected at least one product, one machine and one process option")
        for kind, ids in (("product", pids), ("machine", mids)):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise Conflict(f"Expected unique {kind} ids, got duplicates {dup[:5]}")
        for o in self.options:
            if o.product_id not in pids or o.machine_id not in mids:
                raise Conflict(f"Expected options to name known products and machines, got "
                                       f"({o.product_id!r}, {o.machine_id!r})")
        covered = {o.product_id for o in self.options}
        missing = [p for p in pids if p not in covered]
        if missing:
            raise Conflict(f"Expected a process option for every product; none for {missing[:5]}")
        _finite("intensity_g_per_kwh", self.intensity_g_per_kwh, 0.0, 5000.0)

    def restricted(self, mode: str) -> "ProductionProblem":
        """The same problem with only the options of ``mode`` (e.g. the "all fast" baseline)."""
        keep = tuple(o for o in self.options if o.mode == mode)
        missing = sorted({p.id for p in self.products} - {o.product_id for o in keep})
        if missing:
            raise Conflict(f"Expected a {mode!r} option for every product; none for {missing[:5]}")
        return ProductionProblem(self.products, self.machines, keep, self.integer_units,
                                 self.intensity_g_per_kwh, self.intensity_source, self.notes)

    @property
    def modes(self) -> list[str]:
        return sorted({o.mode for o in self.options})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ProductionProblem":
        try:
            return cls(
                products=tuple(ProductDemand(**p) for p in data["products"]),
                machines=tuple(Machine(**m) for m in data["machines"]),
                options=tuple(ProcessOption(**o) for o in data["options"]),
                integer_units=bool(data.get("integer_units", False)),
                intensity_g_per_kwh=float(data.get("intensity_g_per_kwh", 150.0)),
                intensity_source=str(data.get("intensity_source", "configured")),
            )
        except (KeyError, TypeError) as exc:
            raise InvalidParameter(f"Expected products, machines and options with their fields: {exc}") from None

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"products": [asdict(p) for p in self.products], "machines": [asdict(m) for m in self.machines],
                "options": [asdict(o) for o in self.options], "integer_units": self.integer_units,
                "intensity_g_per_kwh": self.intensity_g_per_kwh, "intensity_source": self.intensity_source}


def _draw(key: str, low: float, high: float) -> float:
    h = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return low + (high - low) * h


MACHINE_PROFILES = (("line-A", 1.00, 1.00), ("line-B", 1.15, 0.85), ("line-C", 0.90, 1.20))


def example_problem(demand: Mapping[str, float], *, machines: int = 3, capacity_slack: float = 1.5,
                    safety_share: float = 0.1, intensity_g_per_kwh: float = 150.0,
                    intensity_source: str = "configured") -> ProductionProblem:
    """A plant for ``demand`` (units per product): ``machines`` lines x {fast, eco}, deterministic per product
    id; each line's capacity is ``capacity_slack`` x its share of the fast-mode hours. Labelled illustrative."""
    if not demand:
        raise InvalidParameter("Expected demand for at least one product")
    if not (1 <= machines <= len(MACHINE_PROFILES)):
        raise InvalidParameter(f"Expected machines in [1, {len(MACHINE_PROFILES)}], got {machines}")
    _finite("capacity_slack", capacity_slack, 0.01, 100.0)
    _finite("safety_share", safety_share, 0.0, 10.0)
    products = tuple(ProductDemand(pid, round(float(d), 3), round(float(d) * safety_share, 3))
                     for pid, d in demand.items())
    options, fast_hours = [], 0.0
    for p in products:
        e, h = _draw(p.id + ":e", 0.5, 3.0), _draw(p.id + ":h", 0.01, 0.1)
        fast_hours += h * p.required_units
        for mid, e_factor, h_factor in MACHINE_PROFILES[:machines]:
            options.append(ProcessOption(p.id, mid, "fast", round(e * e_factor, 4), round(h * h_factor, 5)))
            options.append(ProcessOption(p.id, mid, "eco", round(e * e_factor * ECO_ENERGY_FACTOR, 4),
                                         round(h * h_factor * ECO_TIME_FACTOR, 5)))
    cap = max(1.0, round(capacity_slack * fast_hours / machines, 2))
    lines = tuple(Machine(mid, cap) for mid, _, _ in MACHINE_PROFILES[:machines])
    return ProductionProblem(products, lines, tuple(options), intensity_g_per_kwh=intensity_g_per_kwh,
                             intensity_source=intensity_source, notes=(EXAMPLE_SOURCE,))
