"""``greencart route plan|slots|bench``: low-emission delivery routing (docs/routing.md).

Mounted by ``greencart.cli.main`` with ``register(app)``. Errors are left to the
CLI's one handler.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from greencart.cli.common import JsonOpt, emit_json, err, open_db, out
from greencart.errors import InvalidParameter

route_app = typer.Typer(help="Delivery routes with load-dependent CO2e, greener slots, CVRPLIB benchmark.",
                        no_args_is_help=True)

FleetOpt = Annotated[Optional[Path], typer.Option("--fleet", help="Fleet file (YAML/JSON, docs/routing.md).")]
MixOpt = Annotated[str, typer.Option("--mix", help="Preset fleet when no --fleet: diesel, mixed, electric.")]
TimeOpt = Annotated[float, typer.Option("--time-limit", help="Seconds per PyVRP solve (0.01-3600).")]
GridOpt = Annotated[Optional[list[Path]], typer.Option(
    "--grid-csv", help="Hourly grid intensity (Electricity Maps CSV) for electric trips; repeatable.")]


def _grid(paths: list[Path] | None) -> Any:
    from greencart.energy.intensity import HourlySeriesIntensity

    return HourlySeriesIntensity.from_csv(*paths, column="lifecycle") if paths else None


def _fleet(path: Path | None, mix: str) -> Any:
    from greencart.ops.routing.inputs import load_fleet, mix_fleet

    return load_fleet(path) if path else mix_fleet(mix)


def _metered(name: str, fn: Any) -> tuple[Any, dict]:
    from greencart.recommend.green import GreenMeter

    meter, costs = GreenMeter(sample_interval_s=0.2), []
    try:
        with meter.measure(name, costs):
            result = fn()
    finally:
        meter.close()
    c = costs[0]
    return result, {"energy_j": round(c.energy_j, 2), "energy_low_j": round(c.energy_low_j, 2),
                    "energy_high_j": round(c.energy_high_j, 2), "method": c.method, "duration_s": round(c.duration_s, 2)}


@route_app.command("plan")
def plan(
    ctx: typer.Context,
    day: Annotated[Optional[str], typer.Option("--date", help="Plan the stored orders of this day (YYYY-MM-DD).")] = None,
    orders: Annotated[Optional[Path], typer.Option("--orders", help="Orders file (CSV/JSON) instead of --date.")] = None,
    fleet: FleetOpt = None,
    mix: MixOpt = "mixed",
    postcodes: Annotated[Optional[Path], typer.Option(help="CSV postcode,lat,lon for orders without coordinates.")] = None,
    objective: Annotated[str, typer.Option(help="co2e (emission-weighted) or distance.")] = "co2e",
    time_limit: TimeOpt = 5.0,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    iterations: Annotated[Optional[int], typer.Option(help="Stop after N iterations (seed-deterministic).")] = None,
    compare: Annotated[bool, typer.Option("--compare/--no-compare", help="Also distance-only, Clarke-Wright, "
                                                                         "one vehicle per order.")] = True,
    save: Annotated[bool, typer.Option("--save", help="Store the plan of --date; slots then price against it.")] = False,
    grid_csv: GridOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Routes for a day's orders on a fleet; kg CO2e (WTW) and km per method, side by side."""
    from greencart.ops.routing.inputs import load_orders, load_postcodes
    from greencart.ops.routing.models import SolveParams
    from greencart.ops.routing.service import RoutingService

    if day and orders:
        raise InvalidParameter("Expected either --date or --orders, not both")
    params = SolveParams(time_limit_s=time_limit, seed=seed, max_iterations=iterations)
    the_fleet = _fleet(fleet, mix)
    db = None if orders else open_db(ctx)
    try:
        svc = RoutingService(db, _grid(grid_csv))
        if orders:
            stops, the_day = load_orders(orders, load_postcodes(postcodes) if postcodes else None), None
        else:
            the_day = _parse_day(day) if day else svc.latest_busy_day()
            stops = svc.day_stops(the_fleet, the_day)
        result, energy = _metered("route.plan", lambda: svc.plan(the_fleet, stops, the_day, objective, params,
                                                                  compare, save))
    finally:
        if db is not None:
            db.dispose()
    result["compute"] = energy
    if json_out:
        emit_json(result)
        return
    _print_plan(result)


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(f"Expected --date as YYYY-MM-DD, got {text!r}") from None


def _print_plan(result: dict) -> None:
    out.print(f"[bold]{result['date'] or 'orders file'}[/bold], fleet {result['fleet']}: {result['stops']} stops, "
              f"{result['routes']} routes, {result['distance_km']} km, {result['co2e_kg']} kg CO2e (WTW, modelled)")
    for r in result["route_list"]:
        out.print(f"  {r['vehicle']}: {len(r['stop_ids'])} stops, {r['distance_km']:.1f} km, "
                  f"{r['load_kg']:.1f} kg, {r['co2e_kg']:.3f} kg CO2e")
    if result["comparison"]:
        t = Table(title="Side by side")
        for col in ("method", "routes", "km", "kg CO2e", "saved vs distance-only", "km added"):
            t.add_column(col)
        for c in result["comparison"]:
            t.add_row(c["method"], str(c["routes"]), f"{c['distance_km']:.1f}", f"{c['co2e_kg']:.3f}",
                      f"{c['co2e_saved_kg_vs_distance_only']:.3f} ({c['co2e_saved_pct_vs_distance_only']} %)",
                      f"{c['km_added_vs_distance_only']:.1f}")
        out.print(t)
    e = result["compute"]
    out.print(f"compute: {e['energy_j']} J ({e['method']}), {e['duration_s']} s")
    if "plan_id" in result:
        out.print(f"saved as plan {result['plan_id']}")


@route_app.command("slots")
def slots(
    ctx: typer.Context,
    order: Annotated[str, typer.Option("--order", help="A stored sales order id, e.g. O0004076.")],
    fleet: FleetOpt = None,
    mix: MixOpt = "mixed",
    time_limit: TimeOpt = 2.0,
    seed: Annotated[int, typer.Option(min=0)] = 0,
    grid_csv: GridOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Each delivery window's marginal kg CO2e for an order, and the green slot with its saving."""
    from greencart.ops.routing.models import SolveParams
    from greencart.ops.routing.service import RoutingService

    params = SolveParams(time_limit_s=time_limit, seed=seed)
    db = open_db(ctx)
    try:
        result = RoutingService(db, _grid(grid_csv)).slots(order, _fleet(fleet, mix), params)
    finally:
        db.dispose()
    if json_out:
        emit_json(result)
        return
    t = Table(title=f"Delivery slots for {order} ({result['date']})")
    for col in ("window", "kg CO2e added", "km added", "vehicle", "how"):
        t.add_column(col)
    for s in result["slots"]:
        green = result["green_slot"] and s["window"] == result["green_slot"]["window"]
        t.add_row(("[green]" if green else "") + s["window"], str(s["marginal_co2e_kg"]), str(s["marginal_km"]),
                  str(s["vehicle"]), s["how"])
    out.print(t)
    g = result["green_slot"]
    if g:
        out.print(f"Green slot {g['window']}: saves {g['saving_kg_co2e_vs_mean']} kg CO2e vs the average slot")


@route_app.command("bench")
def bench(
    instances: Annotated[str, typer.Option(help="Comma-separated X instance names.")] = "X-n101-k25",
    seeds: Annotated[str, typer.Option(help="Comma-separated seeds.")] = "1",
    seconds_per_customer: Annotated[float, typer.Option(help="Time limit = this x n customers.")] = 0.2,
    x_dir: Annotated[Path, typer.Option(help="Folder of .vrp/.sol files.")] = Path("../shared/data/vrp/cvrp-x"),
    json_out: JsonOpt = False,
) -> None:
    """PyVRP on CVRPLIB X instances: gap to best known, time, J per solve (full run: benchmarks/routing.py)."""
    from greencart.ops.routing.bench import run_x, summarise_x
    from greencart.recommend.green import GreenMeter

    try:
        seed_list = [int(s) for s in seeds.split(",") if s.strip()]
    except ValueError:
        raise InvalidParameter(f"Expected --seeds as integers like 1,2,3, got {seeds!r}") from None
    meter = GreenMeter(sample_interval_s=0.5)
    try:
        rows = run_x(x_dir, [n.strip() for n in instances.split(",") if n.strip()], seed_list,
                     seconds_per_customer, meter, progress=None if json_out else err.print)
    finally:
        meter.close()
    result = {"rows": rows, "summary": summarise_x(rows)}
    if json_out:
        emit_json(result)
        return
    t = Table(title="CVRPLIB X")
    for col in ("instance", "seed", "limit s", "cost", "BKS", "gap %", "J"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["instance"], str(r["seed"]), f"{r['time_limit_s']:.1f}", str(r["cost"]), str(r["bks_cost"]),
                  str(r["gap_pct"]), str(r.get("energy_j")))
    out.print(t)
    out.print(result["summary"])


def register(app: typer.Typer) -> None:
    """Add the ``route`` group to the root ``greencart`` app."""
    app.add_typer(route_app, name="route")
