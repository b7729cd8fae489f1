"""The routing facade the CLI and the API call: plans for a day or a file, slots for an order.

Demo shoppers have no address: each gets a synthetic point around the depot
from its shopper id (:func:`greencart.ops.routing.geo.synthetic_point`), and
each already-planned demo order a synthetic delivery window from its order id.
Orders weigh the sum of quantity x catalogue ``weight_kg`` of their lines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from greencart.errors import InvalidParameter, NotFound
from greencart.ops.routing.compare import compare_plans, comparison_rows
from greencart.ops.routing.evaluate import RoutingProblem
from greencart.ops.routing.geo import synthetic_point
from greencart.ops.routing.models import Fleet, SolveParams, Stop, TimeWindow
from greencart.ops.routing.slots import DEFAULT_WINDOWS, green_slots, routes_from_plan
from greencart.ops.routing.solver import solve_pyvrp

DEFAULT_ORDER_WEIGHT_KG = 0.5  # a line whose product has no weight counts this much per unit


def synthetic_window(order_id: str, windows: tuple[TimeWindow, ...] = DEFAULT_WINDOWS) -> TimeWindow:
    """A deterministic delivery window for a demo order already booked (synthetic)."""
    h = int.from_bytes(hashlib.sha256(f"greencart-slot:{order_id}".encode()).digest()[:4], "big")
    return windows[h % len(windows)]


@dataclass
class RoutingService:
    db: Any = None  # a migrated greencart.store.Database, for --date and order ids
    intensity: Any = None  # IntensityProvider for electric trips (hourly where known)

    def day_stops(self, fleet: Fleet, day: date, with_windows: bool = False) -> list[Stop]:
        from greencart.store.routing_repo import orders_on

        if self.db is None:
            raise InvalidParameter("Planning by --date needs the database; pass --orders FILE instead")
        with self.db.read() as session:
            rows = orders_on(session, day)
        return [self._stop(r, fleet, with_windows) for r in rows]

    def _stop(self, row: Any, fleet: Fleet, with_window: bool) -> Stop:
        key = row.customer_id or row.order_id
        weight = row.weight_kg + DEFAULT_ORDER_WEIGHT_KG * row.lines_without_weight
        return Stop(row.order_id, synthetic_point(key, fleet.depot), weight,
                    window=synthetic_window(row.order_id) if with_window else None,
                    location_source="synthetic (demo shopper id)")

    def latest_busy_day(self) -> date:
        from greencart.store.routing_repo import latest_day

        with self.db.read() as session:
            day = latest_day(session)
        if day is None:
            raise NotFound("No orders in the database; run `greencart init --demo` or plan --orders FILE")
        return day

    def problem(self, fleet: Fleet, stops: list[Stop], day: date | None) -> RoutingProblem:
        return RoutingProblem(fleet, tuple(stops), day, self.intensity)

    def plan(self, fleet: Fleet, stops: list[Stop], day: date | None = None, objective: str = "co2e",
             params: SolveParams = SolveParams(), compare: bool = True, save: bool = False) -> dict:
        """The plan for ``objective`` and, with ``compare``, every method side by side."""
        problem = self.problem(fleet, stops, day)
        if compare:
            plans = compare_plans(problem, params)
            chosen = plans[f"pyvrp-{objective}"]
            rows = comparison_rows(plans)
        else:
            chosen, rows = solve_pyvrp(problem, objective, params), []
        out = chosen.as_dict()
        out.update({"date": day.isoformat() if day else None, "fleet": fleet.name, "comparison": rows,
                    "depot": {"lat": fleet.depot.lat, "lon": fleet.depot.lon},
                    "stop_list": [{"id": s.id, "lat": s.point.lat, "lon": s.point.lon, "weight_kg": s.weight_kg,
                               "window": s.window.label if s.window else None,
                               "location_source": s.location_source} for s in stops]})
        if save:
            if day is None or self.db is None:
                raise InvalidParameter("Only a stored day's plan can be saved (field 'save' needs 'date')")
            out["plan_id"] = self.save(out, day, fleet)
        return out

    def save(self, plan_doc: dict, day: date, fleet: Fleet) -> int:
        """Store a plan of ``day`` (the routes slots will price against); returns its id."""
        from greencart.store.routing_repo import save_plan

        keep = {k: v for k, v in plan_doc.items() if k not in ("comparison", "compute")}
        with self.db.transaction() as session:
            return save_plan(session, day, fleet.name, keep)

    def slots(self, order_id: str, fleet: Fleet, params: SolveParams = SolveParams(time_limit_s=2.0)) -> dict:
        """Each window's marginal kg CO2e for a stored order, given the rest of its day planned.

        The day's latest saved plan for this fleet is used when there is one (its
        stops keep their windows; orders it lacks are left out); otherwise the
        day's other orders are planned now, with synthetic windows.
        """
        from greencart.store.routing_repo import latest_plan, order_delivery

        if self.db is None:
            raise InvalidParameter("Slots need the database (an order id)")
        with self.db.read() as session:
            row = order_delivery(session, order_id)
            saved = latest_plan(session, row.ordered_at.date(), fleet.name) if row else None
        if row is None:
            raise NotFound(f"Unknown order {order_id!r} (field 'order'); expected a sales order id like O0004076")
        day = row.ordered_at.date()
        new = self._stop(row, fleet, False)
        if saved is not None:
            others, routes_doc, basis = self._from_saved(saved, fleet, day, order_id)
        else:
            others = [s for s in self.day_stops(fleet, day, with_windows=True) if s.id != order_id]
            routes_doc, basis = None, "the day's other orders planned now (synthetic windows)"
        problem = self.problem(fleet, others + [new], day)
        if routes_doc is None:
            plan = solve_pyvrp(self.problem(fleet, others, day), "co2e", params)
            routes = routes_from_plan(problem, plan)
        else:
            routes = [(problem.vehicle(v), [problem.index[i] for i in ids]) for v, ids in routes_doc]
        out = green_slots(problem, [r for r in routes if r[1]], order_id)
        out.update({"date": day.isoformat(), "fleet": fleet.name, "planned_orders": len(others),
                    "planned_co2e_kg": round(sum(problem.co2e_kg(v, seq) for v, seq in routes if seq), 4),
                    "routes_basis": basis})
        return out

    def _from_saved(self, saved: dict, fleet: Fleet, day: date, order_id: str
                    ) -> tuple[list[Stop], list[tuple[str, list[str]]], str]:
        """The saved plan's stops (with their windows) and routes, without ``order_id``."""
        from greencart.ops.routing.inputs import parse_window

        windows = {s["id"]: s.get("window") for s in saved.get("stop_list", [])}
        stops = {s.id: s for s in self.day_stops(fleet, day)}
        others = [replace(stops[i], window=parse_window(w) if w else None)
                  for i, w in windows.items() if i in stops and i != order_id]
        known = {s.id for s in others}
        routes = [(r["vehicle"], [i for i in r["stop_ids"] if i in known]) for r in saved["route_list"]]
        return others, routes, f"saved plan {saved['plan_id']} ({saved['saved_at']})"
