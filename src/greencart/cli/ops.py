"""``greencart forecast`` (and ``forecast evaluate``), ``greencart plan production`` and ``plan replenish``.

Mounted by ``greencart.cli.main``; errors go to the CLI's one handler.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from greencart.cli.common import JsonOpt, emit_json, open_db, out

forecast_app = typer.Typer(help="Demand forecasts (StatsForecast) from the orders in the store.",
                           invoke_without_command=True)
plan_app = typer.Typer(help="Energy-aware production plans and carbon-aware replenishment.", no_args_is_help=True)

Level = Annotated[str, typer.Option(help="product | category | country | product_country | total")]
Freq = Annotated[str, typer.Option(help="W (weeks from Monday) or D (days)")]
Source = Annotated[Optional[str], typer.Option(help="Only orders of this source (online-retail, demo)")]
Top = Annotated[Optional[int], typer.Option(min=1, help="Only the top N product series by revenue")]


def register(app: typer.Typer) -> None:
    app.add_typer(forecast_app, name="forecast")
    app.add_typer(plan_app, name="plan")


def _service(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from greencart.ops.service import OpsService

    return OpsService(open_db(ctx))


def _energy(e: dict[str, Any]) -> str:
    return (f"{e['energy_j']:.3g} J ({e['energy_method']}; band {e['energy_low_j']:.3g}-{e['energy_high_j']:.3g} J) "
            f"in {e['duration_s']:.2f} s")


@forecast_app.callback()
def forecast(
    ctx: typer.Context,
    level: Level = "product",
    horizon: Annotated[int, typer.Option(help="Periods ahead (4 weeks, 28 days)")] = 4,
    model: Annotated[str, typer.Option(help="seasonal_naive | auto_ets | auto_arima | auto_theta | croston | "
                                             "adida | imapa | tsb | naive")] = "imapa",
    freq: Freq = "W",
    top: Top = None,
    source: Source = None,
    returns: Annotated[str, typer.Option(help="net (returns subtracted) or gross")] = "net",
    json_out: JsonOpt = False,
) -> None:
    """Forecast every series of LEVEL HORIZON periods ahead, with 80/95 % intervals; stored with its energy."""
    if ctx.invoked_subcommand is not None:
        return
    svc = _service(ctx)
    try:
        res = svc.forecast(level=level, freq=freq, horizon=horizon, model=model, source=source, top=top,
                           returns=returns, progress=not json_out)
    finally:
        svc.close()
        svc.db.dispose()
    if json_out:
        emit_json(res)
        return
    out.print(f"Forecast run {res['run_id']}: {res['series']} {level} series x {horizon} {freq} with {model}, "
              f"{_energy(res['energy'])}")
    for label in res["labels"]:
        out.print(f"  note: {label}")
    for p in res["points"][: 3 * horizon]:
        out.print(f"  {p['series_id']:>20} {p['ds']:%Y-%m-%d} {p['mean']:10.2f}  80 % [{p['lo_80']:.2f}, "
                  f"{p['hi_80']:.2f}]  95 % [{p['lo_95']:.2f}, {p['hi_95']:.2f}]")


@forecast_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    level: Annotated[list[str], typer.Option(help="Aggregation levels (repeat)")] = ["total", "category", "product"],  # noqa: B006
    horizon: Annotated[int, typer.Option()] = 4,
    windows: Annotated[int, typer.Option(help="Rolling-origin windows (>= 3 recommended)")] = 3,
    model: Annotated[Optional[list[str]], typer.Option(help="Models (repeat); seasonal_naive always included")] = None,
    freq: Freq = "W",
    top: Top = None,
    source: Source = None,
    json_out: JsonOpt = False,
) -> None:
    """Rolling-origin CV per level: MASE, WRMSSE, sMAPE, interval coverage; the chosen model vs seasonal naive."""
    models = None
    if model:
        models = tuple(dict.fromkeys(["seasonal_naive", *model]))
    svc = _service(ctx)
    try:
        res = svc.evaluate(levels=tuple(level), freq=freq, horizon=horizon, windows=windows, models=models,
                           source=source, top=top, progress=not json_out)
    finally:
        svc.close()
        svc.db.dispose()
    if json_out:
        emit_json(res)
        return
    for lv, r in res["levels"].items():
        out.print(f"[bold]{lv}[/bold] ({r['info']['series']} series, {windows} windows x {horizon} {freq}; "
                  f"{_energy(r['energy'])})")
        out.print("  model            MASE   WRMSSE  sMAPE  cov80  cov95")
        for row in r["rows"]:
            out.print(f"  {row['model']:<15}{_f(row['mase'])}{_f(row['wrmsse'])}{_f(row['smape'])}"
                      f"{_f(row.get('coverage_80'))}{_f(row.get('coverage_95'))}")
        s = r["selected"]
        out.print(f"  chosen on earlier windows: {s['model']}; last window MASE {_f(s['mase'])} vs seasonal "
                  f"naive {_f(s['baseline_mase'])} ({_pct(s['mase_improvement_vs_baseline'])} better)")
        for label in r["info"].get("labels", []):
            out.print(f"  note: {label}")


def _f(v: Any) -> str:
    return f"{v:7.3f}" if isinstance(v, (int, float)) else "    n/a"


def _pct(v: Any) -> str:
    return f"{100 * v:.1f} %" if isinstance(v, (int, float)) else "n/a"


@plan_app.command("production")
def production(
    ctx: typer.Context,
    lam: Annotated[Optional[float], typer.Option("--lambda", help="min E + lambda T (kWh per hour of makespan)")] = None,
    max_makespan: Annotated[Optional[float], typer.Option("--max-makespan", help="min E s.t. makespan <= this (h)")] = None,
    problem: Annotated[Optional[Path], typer.Option(help="A JSON problem (products, machines, options)")] = None,
    top: Annotated[int, typer.Option(help="Without --problem: the top N products of the newest forecast")] = 10,
    points: Annotated[int, typer.Option(help="Pareto points (no --lambda/--max-makespan)")] = 9,
    grid_csv: Annotated[Optional[list[Path]], typer.Option(help="Electricity Maps hourly CSV: carbon-aware hourly plan")] = None,
    start: Annotated[Optional[datetime], typer.Option(help="First hour (UTC) of the hourly plan")] = None,
    hours: Annotated[int, typer.Option(help="Hours in the hourly plan")] = 72,
    json_out: JsonOpt = False,
) -> None:
    """A production plan: weighted (--lambda), epsilon (--max-makespan), the Pareto front, or hourly (--grid-csv)."""
    request: dict[str, Any] = ({"problem": json.loads(problem.read_text(encoding="utf-8"))} if problem
                               else {"from_forecast": {"top": top}})
    if grid_csv:
        from greencart.ops.plan_carbon import grid_window

        if start is None:
            raise typer.BadParameter("--start is required with --grid-csv")
        intensity, src = grid_window(grid_csv, start, hours)
        request.update(mode="hourly", intensity_g_per_kwh=intensity, intensity_source=src)
    elif lam is not None:
        request.update(mode="weighted", lambda_kwh_per_h=lam)
    elif max_makespan is not None:
        request.update(mode="epsilon", max_makespan_h=max_makespan)
    else:
        request.update(mode="pareto", points=points)
    svc = _service(ctx)
    try:
        res = svc.plan_production(request)
    finally:
        svc.close()
        svc.db.dispose()
    if json_out:
        emit_json(res)
        return
    _print_production(res)


def _print_production(res: dict[str, Any]) -> None:
    out.print(f"Plan {res['plan_id']} ({res['mode']}): status {res['status']}; run {_energy(res['energy'])}")
    if res["mode"] == "pareto":
        for p in res["front"]:
            out.print(f"  makespan {p['makespan_h']:9.2f} h  energy {p['energy_kwh']:10.1f} kWh  "
                      f"{p['carbon_kg_co2e']:8.1f} kg CO2e")
        b = res["baselines"]
        out.print(f"  vs all fast at equal makespan: {b['energy_kwh_saved']:.1f} kWh, "
                  f"{b['carbon_kg_co2e_saved']:.1f} kg CO2e saved; at a 10 % longer makespan: "
                  f"{b['energy_kwh_saved_at_10pct_longer']:.1f} kWh saved")
    elif res["mode"] == "hourly":
        for k in ("carbon_aware", "least_energy_asap", "all_fast_asap"):
            p = res[k]
            out.print(f"  {k:<18} {p['energy_kwh']:10.1f} kWh {p['carbon_kg_co2e']:9.2f} kg CO2e "
                      f"last busy hour {p['last_busy_hour']}")
    else:
        out.print(f"  energy {res['energy_kwh']:.2f} kWh, makespan {res['makespan_h']:.2f} h, "
                  f"{res['carbon_kg_co2e']:.2f} kg CO2e; gap {res['mip_gap']}")


@plan_app.command("replenish")
def replenish(
    ctx: typer.Context,
    top: Annotated[int, typer.Option(help="Top N products by revenue")] = 50,
    shelf_life: Annotated[int, typer.Option(help="Periods before an unsold unit is wasted")] = 4,
    holdout: Annotated[int, typer.Option(help="Held-out periods to simulate")] = 8,
    carbon_price: Annotated[float, typer.Option(help="Currency per kg CO2e of wasted units")] = 0.1,
    order_cost: Annotated[float, typer.Option(help="Fixed cost per order")] = 0.0,
    model: Annotated[str, typer.Option(help="Forecast model for the one-step forecasts")] = "imapa",
    json_out: JsonOpt = False,
) -> None:
    """Simulate newsvendor, (s, S) and "order last period's sales" on the held-out demand."""
    request = {"top": top, "params": {"shelf_life_periods": shelf_life, "holdout_periods": holdout,
                                      "carbon_price_per_kg": carbon_price, "order_cost": order_cost, "model": model}}
    svc = _service(ctx)
    try:
        res = svc.plan_replenishment(request)
    finally:
        svc.close()
        svc.db.dispose()
    if json_out:
        emit_json(res)
        return
    out.print(f"Plan {res['plan_id']}: {res['products']} products x {res['periods']} held-out periods; "
              f"run {_energy(res['energy'])}")
    out.print("  policy             fill   CSL   wasted  waste kg CO2e  profit")
    for p in res["policies"]:
        out.print(f"  {p['policy']:<17}{_f(p['fill_rate'])}{_f(p['cycle_service_level'])} {p['wasted_units']:8.0f} "
                  f"{p['waste_kg_co2e']:14.1f} {p['profit']:9.0f}")
