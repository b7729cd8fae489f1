"""Carbon-aware production over hourly periods: flexible production shifts to low-intensity hours of the grid
(e.g. the Electricity Maps GB series in ../shared/data/grid) with an inventory balance per product.

Variables x[o, t] (units through option o in hour t) and inv[p, t] >= 0. Each machine works at most one hour
per hour; product p's dispatches d[p, t] (e.g. at the end of each day) are met from stock:
inv[p, t] = inv[p, t-1] + sum_o x[o, t] - d[p, t]. Objective: min sum_t I_t * sum_o e_o x[o, t] (gCO2e).
Baselines on the same data: the least-energy plan run as soon as possible (same kWh, carbon-blind timing)
and the all-fast plan run as soon as possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from greencart.errors import InvalidParameter
from greencart.ops.plan_model import ProductionProblem
from greencart.ops.solver import SOLVER, PlanInfeasible, solve

MAX_HOURS = 24 * 14


def grid_window(paths: Sequence[Path], start: datetime, hours: int) -> tuple[list[float], str]:
    """``hours`` hourly intensities (gCO2e/kWh, direct) from Electricity Maps CSVs, from ``start`` (UTC)."""
    from greencart.energy.intensity import HourlySeriesIntensity

    if not (1 <= hours <= MAX_HOURS):
        raise InvalidParameter(f"Expected hours in [1, {MAX_HOURS}], got {hours}")
    series = HourlySeriesIntensity.from_csv(*paths)
    start = start.replace(tzinfo=timezone.utc) if start.tzinfo is None else start
    values = [series.intensity_at(start + timedelta(hours=h)).intensity_g_per_kwh for h in range(hours)]
    return values, series.source


def daily_dispatch(pb: ProductionProblem, hours: int) -> dict[str, list[float]]:
    """Each product's required units dispatched in equal parts at the last hour of each day of the horizon."""
    days = max(1, hours // 24)
    out = {}
    for p in pb.products:
        d = [0.0] * hours
        for k in range(days):
            d[min(hours, (k + 1) * 24) - 1] += p.required_units / days
        out[p.id] = d
    return out


def _solve(pb: ProductionProblem, intensity: Sequence[float], dispatch: dict[str, list[float]],
           weights: Sequence[float], time_limit_s: float) -> tuple[Any, int]:
    import numpy as np
    from scipy.sparse import lil_matrix

    opts, prods, hours = pb.options, pb.products, len(intensity)
    n_x, n_i = len(opts) * hours, len(prods) * hours
    xi = lambda o, t: o * hours + t  # noqa: E731
    ii = lambda p, t: n_x + p * hours + t  # noqa: E731
    rows = len(prods) * hours + len(pb.machines) * hours
    a = lil_matrix((rows, n_x + n_i))
    lb, ub = np.zeros(rows), np.zeros(rows)
    r = 0
    for pk, p in enumerate(prods):
        own = [k for k, o in enumerate(opts) if o.product_id == p.id]
        for t in range(hours):  # inv[t] - inv[t-1] - sum x = -d
            a[r, ii(pk, t)] = 1.0
            if t:
                a[r, ii(pk, t - 1)] = -1.0
            for k in own:
                a[r, xi(k, t)] = -1.0
            lb[r] = ub[r] = -dispatch[p.id][t]
            r += 1
    for m in pb.machines:
        own = [k for k, o in enumerate(opts) if o.machine_id == m.id]
        for t in range(hours):
            for k in own:
                a[r, xi(k, t)] = opts[k].hours_per_unit
            lb[r], ub[r] = -np.inf, 1.0
            r += 1
    c = np.zeros(n_x + n_i)
    for k, o in enumerate(opts):
        c[k * hours : (k + 1) * hours] = o.energy_kwh_per_unit * np.asarray(weights)
    c[n_x:] = 1e-9  # a whisker of holding cost: no stock without a reason
    sol = solve(c, a.tocsr(), lb, ub, bounds=(np.zeros(n_x + n_i), np.full(n_x + n_i, np.inf)),
                time_limit_s=time_limit_s)
    if sol.status == "infeasible":
        need = {m.id: sum(o.hours_per_unit * next(p.required_units for p in prods if p.id == o.product_id)
                          for o in opts if o.machine_id == m.id) for m in pb.machines}
        raise PlanInfeasible(f"Infeasible hourly plan: the dispatches cannot be met within {hours} h at one "
                             f"machine-hour per hour per machine ({len(pb.machines)} machines, up to "
                             f"{max(need.values()):.4g} h of work on one machine if it made everything); "
                             "lengthen the horizon, add machines or lower the demand")
    if not sol.ok:
        raise InvalidParameter(f"HiGHS returned status {sol.status!r} ({sol.message}); no plan was made")
    return sol, n_x


def _summarise(pb: ProductionProblem, intensity: Sequence[float], sol: Any, name: str) -> dict[str, Any]:
    import numpy as np

    hours = len(intensity)
    x = np.asarray(sol.x[: len(pb.options) * hours]).reshape(len(pb.options), hours)
    e = np.array([o.energy_kwh_per_unit for o in pb.options])
    h = np.array([o.hours_per_unit for o in pb.options])
    kwh_t = (e[:, None] * x).sum(axis=0)
    busy = np.nonzero((h[:, None] * x).sum(axis=0) > 1e-9)[0]
    modes = {}
    for k, o in enumerate(pb.options):
        modes[o.mode] = modes.get(o.mode, 0.0) + float(x[k].sum())
    return {"plan": name, "status": sol.status, "energy_kwh": round(float(kwh_t.sum()), 6),
            "carbon_kg_co2e": round(float((kwh_t * np.asarray(intensity)).sum()) / 1000.0, 6),
            "last_busy_hour": int(busy[-1]) if len(busy) else None,
            "units_by_mode": {k: round(v, 4) for k, v in modes.items()},
            "kwh_by_hour": [round(float(v), 4) for v in kwh_t]}


def plan_hourly(pb: ProductionProblem, intensity: Sequence[float], *, source: str = "given",
                dispatch: dict[str, list[float]] | None = None, time_limit_s: float = 30.0) -> dict[str, Any]:
    """The carbon-aware plan and its two baselines (see the module docstring)."""
    hours = len(intensity)
    if not (1 <= hours <= MAX_HOURS) or any(not (0 <= v < 5000) for v in intensity):
        raise InvalidParameter(f"Expected 1..{MAX_HOURS} hourly intensities in [0, 5000) gCO2e/kWh, got {hours}")
    dispatch = dispatch or daily_dispatch(pb, hours)
    early = [1.0 + 1e-3 * t for t in range(hours)]  # energy first, then as soon as possible
    best, _ = _solve(pb, intensity, dispatch, intensity, time_limit_s)
    asap, _ = _solve(pb, intensity, dispatch, early, time_limit_s)
    fast_pb = pb.restricted("fast") if "fast" in pb.modes else pb
    fast, _ = _solve(fast_pb, intensity, dispatch, [1.0 + 1e-3 * t for t in range(hours)], time_limit_s)
    out = {"solver": SOLVER, "hours": hours, "intensity_source": source,
           "intensity_g_per_kwh": [round(v, 3) for v in intensity],
           "carbon_aware": _summarise(pb, intensity, best, "carbon_aware"),
           "least_energy_asap": _summarise(pb, intensity, asap, "least_energy_asap"),
           "all_fast_asap": _summarise(fast_pb, intensity, fast, "all_fast_asap")}
    ca = out["carbon_aware"]
    for base in ("least_energy_asap", "all_fast_asap"):
        b = out[base]
        out[f"saved_vs_{base}"] = {
            "energy_kwh": round(b["energy_kwh"] - ca["energy_kwh"], 6),
            "carbon_kg_co2e": round(b["carbon_kg_co2e"] - ca["carbon_kg_co2e"], 6),
            "carbon_share": round(1 - ca["carbon_kg_co2e"] / b["carbon_kg_co2e"], 6) if b["carbon_kg_co2e"] else None}
    out["carbon_method"] = "modelled: plan kWh per hour x hourly grid intensity (direct, location-based)"
    return out
