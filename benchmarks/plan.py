"""Planning benchmark: energy-aware production LP/MILP (HiGHS), the carbon-aware hourly plan on the GB grid,
and replenishment policies simulated on held-out Online Retail demand.

Run:  .venv/bin/python benchmarks/plan.py [--database-url URL]

1. Static LP over the illustrative plant (plan_model.example_problem: 3 lines x {fast, eco}) for the 20
   products with the largest 4-week forecast on Online Retail: lambda sweep (E, T), the epsilon-constraint
   front, how many front points the weighted sum finds, kWh and kg CO2e saved against "all fast" at equal
   makespan and at a 10 % longer one; the same plant with setups as a MILP (status, gap, seconds).
2. Hourly carbon-aware plan, 72 h from four Mondays of 2024 on the GB series, work at about half the machine
   hours: kWh and kg CO2e against the least-energy plan run as soon as possible and the all-fast plan.
3. Replenishment, top 100 products, 8 held-out weeks: naive "order last week's sales", newsvendor, (s, S).

Writes benchmarks/results/plan.json (one object per row) and plan.md.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from forecast import RESULTS, ROOT, open_store  # noqa: E402

GRID = ROOT.parent / "shared" / "data" / "grid" / "GB_2024_hourly.csv"
STARTS = [datetime(2024, 1, 8), datetime(2024, 4, 8), datetime(2024, 7, 8), datetime(2024, 10, 7)]


def static_lp(demand: dict[str, float], intensity_g: float) -> list[dict]:
    from dataclasses import replace

    from greencart.ops import plan as lp
    from greencart.ops.plan_model import ProductionProblem, example_problem

    pb = example_problem(demand, intensity_g_per_kwh=intensity_g, intensity_source="GB 2024 mean, Electricity Maps")
    rows = []
    for lam in (0, 1, 5, 20, 100):
        t = time.perf_counter()
        r = lp.plan_weighted(pb, lam)
        rows.append({"section": "lambda_sweep", "lambda_kwh_per_h": lam, "energy_kwh": r["energy_kwh"],
                     "makespan_h": r["makespan_h"], "status": r["status"], "solve_ms": 1000 * (time.perf_counter() - t)})
    t = time.perf_counter()
    front = lp.pareto_front(pb, 11)
    front_s = time.perf_counter() - t
    weighted = {(round(r["energy_kwh"], 3), round(r["makespan_h"], 3)) for r in
                (lp.plan_weighted(pb, lam) for lam in (0, 0.5, 1, 2, 5, 10, 20, 50, 100, 1000, 1e5))}
    rows.append({"section": "front", "points_epsilon": len(front), "distinct_points_weighted_11_lambdas": len(weighted),
                 "front_s": round(front_s, 4), "front": front})
    b = lp.compare_baselines(pb)
    rows.append({"section": "baselines", "all_fast_kwh": b["all_fast"]["energy_kwh"],
                 "all_fast_makespan_h": b["all_fast"]["makespan_h"],
                 "optimised_equal_makespan_kwh": b["optimised_at_equal_makespan"]["energy_kwh"],
                 "energy_kwh_saved_equal_makespan": b["energy_kwh_saved"],
                 "energy_kwh_saved_10pct_longer": b["energy_kwh_saved_at_10pct_longer"],
                 "energy_saved_share_10pct_longer": round(b["energy_kwh_saved_at_10pct_longer"] / b["all_fast"]["energy_kwh"], 4),
                 "carbon_kg_co2e_saved_10pct_longer": round(b["energy_kwh_saved_at_10pct_longer"] * intensity_g / 1000, 3),
                 "all_eco_kwh": b["all_eco"]["energy_kwh"], "all_eco_makespan_h": b["all_eco"]["makespan_h"]})
    setups = tuple(replace(o, setup_kwh=5.0, setup_h=0.5) for o in pb.options)
    milp = ProductionProblem(pb.products, pb.machines, setups, intensity_g_per_kwh=intensity_g)
    t = time.perf_counter()
    r = lp.plan_epsilon(milp, b["all_fast"]["makespan_h"] * 1.2)
    rows.append({"section": "milp_setups", "binaries": len(setups), "status": r["status"], "mip_gap": r["mip_gap"],
                 "energy_kwh": r["energy_kwh"], "makespan_h": r["makespan_h"], "solve_s": round(time.perf_counter() - t, 4)})
    return rows


def hourly(demand: dict[str, float]) -> list[dict]:
    from greencart.ops.plan_carbon import grid_window, plan_hourly
    from greencart.ops.plan_model import example_problem

    pb0 = example_problem(dict(list(demand.items())[:10]))
    fast_h = sum(p.required_units * min(o.hours_per_unit for o in pb0.options if o.product_id == p.id) for p in pb0.products)
    scale = 0.5 * 72 * len(pb0.machines) / fast_h / 1.3  # eco everywhere would fill about half the machine hours
    pb = example_problem({k: v * scale for k, v in list(demand.items())[:10]})
    rows = []
    for start in STARTS:
        iv, src = grid_window([GRID], start, 72)
        t = time.perf_counter()
        r = plan_hourly(pb, iv, source=src)
        row = {"section": "hourly", "start": start.date().isoformat(), "hours": 72, "solve_s": round(time.perf_counter() - t, 3),
               "intensity_min_g": min(iv), "intensity_max_g": max(iv)}
        for k in ("carbon_aware", "least_energy_asap", "all_fast_asap"):
            row[f"{k}_kwh"] = r[k]["energy_kwh"]
            row[f"{k}_kg_co2e"] = r[k]["carbon_kg_co2e"]
        row["carbon_saved_share_vs_least_energy_asap"] = r["saved_vs_least_energy_asap"]["carbon_share"]
        row["carbon_saved_share_vs_all_fast_asap"] = r["saved_vs_all_fast_asap"]["carbon_share"]
        rows.append(row)
    return rows


def replenishment(db) -> list[dict]:  # type: ignore[no-untyped-def]
    from greencart.ops.demand import DemandSpec, load_demand
    from greencart.ops.replenish import ReplenishParams, run_replenishment
    from greencart.store import catalog_repo
    from greencart.store.ops_repo import product_facts

    data = load_demand(db, DemandSpec(level="product", freq="W", top=100))
    ids = list(data.series["unique_id"].unique())
    with db.read() as s:
        facts = product_facts(s, ids)
        missing = [i for i in ids if facts[i]["footprint_kg_co2e"] is None]
        products = list(catalog_repo.get_products(s, missing).values()) if missing else []
    if products:  # not estimated in this store yet: estimate in memory (spend-based), labelled
        from greencart.footprint import FootprintEstimator

        for p, f in zip(products, FootprintEstimator.from_db(db).estimate_many(products)):
            facts[p.id].update(footprint_kg_co2e=f.kg_co2e, footprint_method=f.method)
    rows = []
    for carbon_price in (0.0, 0.1, 1.0):
        t = time.perf_counter()
        res = run_replenishment(data.series, facts, ReplenishParams(carbon_price_per_kg=carbon_price))
        for p in res["policies"]:
            rows.append({"section": "replenishment", "carbon_price_per_kg": carbon_price, "products": res["products"],
                         "periods": res["periods"], "policy": p["policy"], "fill_rate": p["fill_rate"],
                         "cycle_service_level": p["cycle_service_level"], "wasted_units": p["wasted_units"],
                         "waste_kg_co2e": p["waste_kg_co2e"], "profit": p["profit"],
                         "vs_naive": p.get("vs_naive"), "run_s": round(time.perf_counter() - t, 2)})
    return rows


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url")
    args = ap.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from greencart.energy.intensity import HourlySeriesIntensity
    from greencart.ops.plan_run import forecast_demand
    from greencart.ops.service import OpsService
    from greencart.store.ops_repo import latest_forecast_run

    db, _tmp = open_store(args.database_url)
    with db.read() as s:
        has_forecast = latest_forecast_run(s, level="product", freq="W") is not None
    if not has_forecast:
        OpsService(db).forecast(level="product", freq="W", horizon=4, model="imapa")
    demand = forecast_demand(db, top=20)
    gb = HourlySeriesIntensity.from_csv(GRID)
    mean_g = sum(gb.values) / len(gb.values)
    rows = static_lp(demand, mean_g) + hourly(demand) + replenishment(db)
    write(rows, mean_g)


def write(rows: list[dict], mean_g: float) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "plan.json").write_text(json.dumps(rows, indent=1, default=str) + "\n", encoding="utf-8")
    md = ["# Planning benchmark", "", f"Grid intensity for the static plan: GB 2024 mean {mean_g:.1f} gCO2e/kWh (direct).",
          "Plant parameters are illustrative (plan_model.EXAMPLE_SOURCE); demand = 4-week IMAPA forecast, Online Retail.", ""]
    for section in ("lambda_sweep", "baselines", "milp_setups", "hourly", "replenishment"):
        part = [r for r in rows if r["section"] == section]
        if not part:
            continue
        keys = [k for k in part[0] if k not in ("section", "front", "vs_naive")]
        md += [f"## {section}", "", "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        md += ["| " + " | ".join(_f(r.get(k)) for k in keys) + " |" for r in part] + [""]
    front = next(r for r in rows if r["section"] == "front")
    md += [f"Front: {front['points_epsilon']} epsilon-constraint points in {front['front_s']} s; the weighted sum over 11 "
           f"lambdas found {front['distinct_points_weighted_11_lambdas']} distinct plans.", ""]
    (RESULTS / "plan.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))


def _f(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


if __name__ == "__main__":
    main()
