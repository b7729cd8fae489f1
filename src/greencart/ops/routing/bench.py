"""The routing benchmarks, shared by ``greencart route bench`` and ``benchmarks/routing.py``.

- ``x``: CVRPLIB set X, PyVRP with a time limit of ``seconds_per_customer x n``,
  gap to the best known, runtime and J per solve (energy work units).
- ``demo``: CO2e-aware vs distance-only (and the baselines) on the demo's
  busiest days, per fleet mix.
- ``slots``: slot nudging, kg CO2e per delivery against the share of shoppers
  who take the green slot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from greencart.ops.routing.xbench import (
    SECONDS_PER_CUSTOMER,
    read_x_instance,
    solve_x,
    time_limit_s,
)

DEFAULT_X = ("X-n101-k25", "X-n110-k13", "X-n125-k30", "X-n143-k7", "X-n162-k11", "X-n181-k23",
             "X-n200-k36", "X-n233-k16", "X-n284-k15", "X-n351-k40")
Progress = Callable[[str], None]


def run_x(folder: Path, names: Sequence[str] = DEFAULT_X, seeds: Sequence[int] = (1, 2, 3),
          seconds_per_customer: float = SECONDS_PER_CUSTOMER, meter: Any = None,
          progress: Progress | None = None) -> list[dict]:
    """One row per (instance, seed); ``meter`` is a GreenMeter for J per solve."""
    rows = []
    for name in names:
        inst = read_x_instance(folder / f"{name}.vrp")
        limit = time_limit_s(inst.n_customers, seconds_per_customer)
        for seed in seeds:
            costs: list = []
            if meter is not None:
                with meter.measure("route.x", costs, instance=name, seed=seed):
                    row = solve_x(inst, seed, limit)
            else:
                row = solve_x(inst, seed, limit)
            if costs:
                row.update({"energy_j": round(costs[0].energy_j, 2), "energy_low_j": round(costs[0].energy_low_j, 2),
                            "energy_high_j": round(costs[0].energy_high_j, 2), "energy_method": costs[0].method,
                            "cpu_s": round(costs[0].cpu_s, 2)})
            rows.append({"part": "x", **row})
            if progress:
                progress(f"{name} seed {seed}: gap {row['gap_pct']} % in {row['runtime_s']} s")
    return rows


def run_demo(service: Any, days: Sequence[Any], mixes: Sequence[str], params: Any,
             progress: Progress | None = None) -> list[dict]:
    from greencart.ops.routing.inputs import mix_fleet

    rows = []
    for day in days:
        for mix in mixes:
            fleet = mix_fleet(mix)
            stops = service.day_stops(fleet, day)
            plan = service.plan(fleet, stops, day, "co2e", params, compare=True)
            for r in plan["comparison"]:
                rows.append({"part": "demo", "date": day.isoformat(), "fleet_mix": mix, **r})
            if progress:
                progress(f"{day} {mix}: {len(stops)} orders")
    return rows


def run_slots(service: Any, days: Sequence[Any], shares: Sequence[float], seeds: Sequence[int],
              mix: str, params: Any, progress: Progress | None = None) -> list[dict]:
    from greencart.ops.routing.inputs import mix_fleet
    from greencart.ops.routing.nudging import simulate_day

    rows = []
    fleet = mix_fleet(mix)
    for day in days:
        stops = service.day_stops(fleet, day)
        for seed in seeds:
            for share in shares:
                problem = service.problem(fleet, stops, day)
                r = simulate_day(problem, share, seed, params)
                rows.append({"part": "slots", "date": day.isoformat(), "fleet_mix": mix, **r})
                if progress:
                    progress(f"{day} seed {seed} share {share}: {r['co2e_kg_per_delivery']} kg/delivery")
    return rows


def summarise_x(rows: list[dict]) -> dict:
    xs = [r for r in rows if r.get("part") == "x"]
    if not xs:
        return {}
    gaps = [r["gap_pct"] for r in xs if r["gap_pct"] is not None]
    out = {"instances": len({r["instance"] for r in xs}), "solves": len(xs),
           "mean_gap_pct": round(sum(gaps) / len(gaps), 4), "max_gap_pct": round(max(gaps), 4),
           "all_feasible": all(r["feasible"] for r in xs),
           "total_runtime_s": round(sum(r["runtime_s"] for r in xs), 1)}
    if all("cpu_s" in r for r in xs):
        out["cpu_s_per_wall_s"] = round(sum(r["cpu_s"] for r in xs) / sum(r["runtime_s"] for r in xs), 3)
    if all("energy_j" in r for r in xs):
        out["mean_energy_j_per_solve"] = round(sum(r["energy_j"] for r in xs) / len(xs), 1)
    return out
