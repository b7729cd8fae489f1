"""Routing benchmark: CVRPLIB X gap to best known, CO2e-aware vs distance-only on the demo's days,
and slot nudging.

Run:  .venv/bin/python benchmarks/routing.py [--part all|x|demo|slots] [--seconds-per-customer 0.2]

1. ``x``: 10 X instances (100-350 customers) x 3 seeds, PyVRP with a time limit of
   0.2 s x n customers (20-70 s; about 19 min in all on 2 shared cores), gap to the
   best-known cost of the instance's .sol file, runtime and J per solve (greencart
   energy work units; method as the meter reports it: measured where RAPL is readable,
   modelled otherwise).
2. ``demo``: the demo catalogue's 5 busiest days (synthetic coordinates around a depot),
   each fleet mix (all diesel, mixed, electric + bikes): CO2e-aware PyVRP vs distance-only
   PyVRP (as solved, and with the greenest vehicles reassigned), Clarke-Wright, one
   vehicle per order. 2 s per PyVRP solve.
3. ``slots``: the same days with shares 0, 0.25, 0.5, 0.75, 1 of shoppers taking the
   green slot, 2 seeds, mixed and all-diesel fleets; kg CO2e per delivery after
   re-optimisation (about 5 min).

Each part replaces its own rows in benchmarks/results/routing.json; routing.md is
rewritten from all rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
X_DIR = ROOT.parent / "shared" / "data" / "vrp" / "cvrp-x"


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _demo_service(tmp: Path):  # type: ignore[no-untyped-def]
    from greencart.demo import load_demo
    from greencart.ops.routing.service import RoutingService
    from greencart.store import open_database
    from greencart.store.routing_repo import busiest_days

    db = open_database(f"sqlite:///{tmp / 'demo.db'}", migrate=True)
    load_demo(db)
    with db.read() as s:
        days = [d for d, _ in busiest_days(s, 5)]
    return RoutingService(db), days


def run(part: str, spc: float) -> list[dict]:
    from greencart.ops.routing import bench
    from greencart.ops.routing.models import SolveParams
    from greencart.recommend.green import GreenMeter

    rows: list[dict] = []
    if part in ("all", "x"):
        meter = GreenMeter(sample_interval_s=0.5)
        try:
            rows += bench.run_x(X_DIR, seconds_per_customer=spc, meter=meter, progress=_say)
        finally:
            meter.close()
    if part in ("all", "demo", "slots"):
        with tempfile.TemporaryDirectory() as tmp:
            svc, days = _demo_service(Path(tmp))
            params = SolveParams(time_limit_s=2.0, seed=1)
            if part in ("all", "demo"):
                rows += bench.run_demo(svc, days, ("diesel", "mixed", "electric"), params, _say)
            if part in ("all", "slots"):
                for mix in ("mixed", "diesel"):
                    rows += bench.run_slots(svc, days, (0.0, 0.25, 0.5, 0.75, 1.0), (1, 2), mix, params, _say)
            svc.db.dispose()
    return rows


def _md(rows: list[dict], meta: dict) -> str:
    from greencart.ops.routing.bench import summarise_x

    out = ["# Routing benchmark", ""]
    xs = [r for r in rows if r["part"] == "x"]
    if xs:
        s = summarise_x(rows)
        out += ["## CVRPLIB X (PyVRP, time limit 0.2 s x n customers unless stated)", "",
                f"Mean gap to best known **{s['mean_gap_pct']} %** over {s['solves']} solves "
                f"({s['instances']} instances x 3 seeds), max {s['max_gap_pct']} %, all feasible: "
                f"{s['all_feasible']}, mean {s.get('mean_energy_j_per_solve')} J per solve. The machine's 2 cores were "
                f"shared with other jobs: the solver got {s.get('cpu_s_per_wall_s')} CPU-s per wall-clock second "
                "(column cpu s), so the CPU time per solve was about that fraction of the limit.", "",
                "| instance | n | seed | limit s | cpu s | cost | BKS | gap % | J | J method |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        out += [f"| {r['instance']} | {r['n_customers']} | {r['seed']} | {r['time_limit_s']:.1f} | {r.get('cpu_s')} | {r['cost']} | "
                f"{r['bks_cost']} | {r['gap_pct']} | {r.get('energy_j')} | {r.get('energy_method')} |" for r in xs]
        out.append("")
    demo = [r for r in rows if r["part"] == "demo"]
    if demo:
        out += ["## CO2e-aware vs distance-only, demo's busiest days (WTW kg CO2e, modelled)", "",
                "| date | fleet | method | routes | km | kg CO2e | saved vs distance-only | km added |",
                "|---|---|---|---|---|---|---|---|"]
        out += [f"| {r['date']} | {r['fleet_mix']} | {r['method']} | {r['routes']} | {r['distance_km']} | "
                f"{r['co2e_kg']} | {r['co2e_saved_kg_vs_distance_only']} ({r['co2e_saved_pct_vs_distance_only']} %) | "
                f"{r['km_added_vs_distance_only']} |" for r in demo]
        out.append("")
    slots = [r for r in rows if r["part"] == "slots"]
    if slots:
        out += ["## Slot nudging: mean kg CO2e per delivery by share of shoppers taking the green slot", "",
                "| fleet | share nudged | runs | kg CO2e / delivery | vs share 0 |", "|---|---|---|---|---|"]
        by: dict[tuple[str, float], list[float]] = {}
        for r in slots:
            by.setdefault((r["fleet_mix"], r["share_nudged"]), []).append(r["co2e_kg_per_delivery"])
        for (mix, share), vals in sorted(by.items()):
            base_vals = by.get((mix, 0.0), [])
            base = sum(base_vals) / len(base_vals) if base_vals else 0.0
            m = sum(vals) / len(vals)
            rel = f"{100 * (m - base) / base:+.1f} %" if base else ""
            out.append(f"| {mix} | {share} | {len(vals)} | {m:.5f} | {rel} |")
        out.append("")
    out.append(f"Run: {meta}")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("all", "x", "demo", "slots"), default="all")
    ap.add_argument("--seconds-per-customer", type=float, default=0.2)
    args = ap.parse_args()
    t0 = time.time()
    new = run(args.part, args.seconds_per_customer)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "routing.json"
    old = json.loads(path.read_text()) if path.exists() else []
    parts = {r["part"] for r in new} or ({"x", "demo", "slots"} if args.part == "all" else {args.part})
    rows = [r for r in old if r.get("part") not in parts] + new
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(rows, indent=1, default=str))
    tmp.replace(path)
    meta = {"part": args.part, "seconds_per_customer": args.seconds_per_customer, "wall_s": round(time.time() - t0, 1)}
    (RESULTS / "routing.md").write_text(_md(rows, meta))
    print((RESULTS / "routing.md").read_text())


if __name__ == "__main__":
    main()
