"""``greencart energy ...`` (a Typer sub-app) and the ``schedule`` command function.

Mounted by ``greencart.cli.main`` with ``register(app)``. Errors are GreencartError, handled by
the root CLI's one handler.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from greencart.cli.common import emit_json, JsonOpt, open_db

from greencart.errors import InvalidParameter

energy_app = typer.Typer(help="Energy and carbon of greencart's own compute.", no_args_is_help=True)

SinceOpt = Annotated[Optional[str], typer.Option(help="ISO time or a duration back, e.g. 24h.")]




def _when(text: Optional[str], now: datetime | None = None) -> datetime | None:
    """ISO timestamp (UTC if naive), or a duration back from now (``24h``) / ahead (``+12h``)."""
    if text is None:
        return None
    from greencart.energy.schedule import parse_duration

    now = now or datetime.now(timezone.utc)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    except ValueError:
        pass
    if text.startswith("+"):
        return now + parse_duration(text[1:])
    return now - parse_duration(text)



def register(app: typer.Typer) -> None:
    app.add_typer(energy_app, name="energy")
    app.command("schedule")(schedule)


@energy_app.command()
def meters(json_out: JsonOpt = False) -> None:
    """Which meters this host offers, and why the others are absent."""
    from greencart.energy.config import EnergyConfig
    from greencart.energy.meters import detect_meters
    from greencart.energy.nvml import nvml_available
    from greencart.energy.rapl import rapl_status

    cfg = EnergyConfig()
    found = [{"name": m.name, "method": m.method} for m in detect_meters(cfg)]
    rapl, nvml = rapl_status(cfg.powercap_root), nvml_available()
    report = {"meters": found, "rapl": {"available": rapl[0], "detail": rapl[1]},
              "nvml": {"available": nvml[0], "detail": nvml[1]}}
    if json_out:
        emit_json(report)
        return
    for m in found:
        typer.echo(f"{m['name']:<24} {m['method']}")
    typer.echo(f"RAPL: {rapl[1]}")
    typer.echo(f"NVML: {nvml[1]}")


@energy_app.command()
def report(ctx: typer.Context, name: Annotated[Optional[str], typer.Option()] = None,
           since: SinceOpt = None, until: SinceOpt = None, json_out: JsonOpt = False) -> None:
    """J, gCO2e and method mix per work-unit name over a period (from the ledger)."""
    from greencart.store.ledger_repo import summarise

    db = open_db(ctx)
    with db.read() as session:
        rows = summarise(session, since=_when(since), until=_when(until), name=name)
    for r in rows:
        r["j_per_unit"] = r["energy_j"] / r["count"] if r["count"] else 0.0
        r["g_per_unit"] = r["carbon_g"] / r["count"] if r["count"] else 0.0
    if json_out:
        emit_json(rows)
        return
    if not rows:
        typer.echo("No work units in the ledger for that period.")
    typer.echo(f"{'name':<32} {'method':<10} {'count':>7} {'J':>12} {'J band':>23} {'gCO2e':>12} {'J/unit':>10}")
    for r in rows:
        band = f"{r['energy_low_j']:.4g}..{r['energy_high_j']:.4g}"
        typer.echo(f"{r['name'][:32]:<32} {r['method']:<10} {r['count']:>7} {r['energy_j']:>12.4g} "
                   f"{band:>23} {r['carbon_g']:>12.4g} {r['j_per_unit']:>10.4g}")


@energy_app.command()
def export(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="Output .csv or .json")],
           name: Annotated[Optional[str], typer.Option()] = None,
           since: SinceOpt = None, until: SinceOpt = None) -> None:
    """Export ledger records (CSV or JSON by suffix), written atomically."""
    from greencart.energy.ledger import export_records, query

    n = export_records(query(open_db(ctx), name=name, since=_when(since), until=_when(until), limit=10**7), path)
    typer.echo(f"Wrote {n} records to {path}")


@energy_app.command()
def sci(ctx: typer.Context, name: Annotated[Optional[str], typer.Option()] = None,
        functional_unit: Annotated[str, typer.Option(help="R: request, turn, 1k_recommendations, training_run")] = "request",
        since: SinceOpt = None, until: SinceOpt = None,
        embodied_kg: Annotated[float, typer.Option(help="Server embodied kg CO2e (LCA)")] = 1000.0,
        life_years: Annotated[float, typer.Option()] = 4.0,
        reserved: Annotated[float, typer.Option(help="Resources reserved (e.g. vCPUs)")] = 1.0,
        total: Annotated[float, typer.Option(help="Total resources of the server")] = 1.0,
        manifest: Annotated[Optional[Path], typer.Option(help="Write an Impact Framework manifest here")] = None,
        json_out: JsonOpt = False) -> None:
    """SCI = (E x I + M) per R over ledger records; optionally an IF manifest."""
    from greencart.energy.ledger import query
    from greencart.energy.manifest import write_manifest
    from greencart.energy.sci import FUNCTIONAL_UNITS, EmbodiedConfig, sci_from_records

    if functional_unit not in FUNCTIONAL_UNITS:
        raise InvalidParameter(f"Expected a functional unit in {sorted(FUNCTIONAL_UNITS)}, got {functional_unit!r}")
    records = query(open_db(ctx), name=name, since=_when(since), until=_when(until), limit=10**7)
    emb = EmbodiedConfig(embodied_kg, life_years, reserved, total,
                         source="configured" if embodied_kg != 1000.0 else EmbodiedConfig.source)
    result = sci_from_records(records, emb, functional_unit=functional_unit)
    if manifest is not None:
        start = min(r["started_at"] for r in records)
        end = max(r["started_at"] + timedelta(seconds=r["duration_s"]) for r in records)
        write_manifest(manifest, result, emb, start_iso=start.isoformat(),
                       duration_s=(end - start).total_seconds())
    if json_out:
        emit_json(result.as_dict())
        return
    typer.echo(f"SCI = {result.sci_g_per_unit:.6g} gCO2e per {functional_unit} ({result.method}); "
               f"E = {result.energy_kwh:.6g} kWh, I = {result.intensity_g_per_kwh:.4g} g/kWh, "
               f"M = {result.embodied_g:.6g} g, R = {result.functional_units:g}")


@energy_app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def measure(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Meter a command like `time`: greencart energy measure -- CMD ARGS."""
    from greencart.energy.measure import measure_command

    res = measure_command(ctx.args)
    if json_out:
        emit_json(res.__dict__)
    else:
        typer.echo(f"{res.energy_j:.4g} J ({res.energy_low_j:.4g}..{res.energy_high_j:.4g}, {res.method}, "
                   f"{res.meter}); {res.cpu_s:.3g} CPU s in {res.duration_s:.3g} s; host {res.host_energy_j:.4g} J",
                   err=True)
    raise typer.Exit(res.exit_code)


@energy_app.command()
def calibrate(json_out: JsonOpt = False) -> None:
    """Fit the modelled meter against counters under known loads (where there are counters)."""
    from greencart.energy.measure import calibrate as run

    res = run()
    if json_out:
        emit_json(res)
    elif not res["calibrated"]:
        typer.echo(res["reason"])
    else:
        for r in res["levels"]:
            typer.echo(f"duty {r['duty']:.0%}: modelled {r['modelled_j']:.3g} J, measured {r['measured_j']:.3g} J")
        typer.echo(f"MAPE {res['mape_pct']:.1f} % ({res['note']})")


def schedule(
    duration: Annotated[str, typer.Option(help="How long the job runs: 2h, 90m, 1h30m")],
    deadline: Annotated[str, typer.Option(help="ISO time or +12h from now")],
    series: Annotated[Optional[list[Path]], typer.Option(help="Electricity Maps hourly CSV (repeatable)")] = None,
    country: Annotated[Optional[str], typer.Option(help="ISO alpha-3: flat annual average")] = None,
    now: Annotated[Optional[str], typer.Option(help="Pretend it is this time (replays)")] = None,
    energy_kwh: Annotated[Optional[float], typer.Option(help="Job energy, for gCO2e figures")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Pick the start before DEADLINE that minimises expected gCO2e; report the saving vs now."""
    from greencart.energy.schedule import Series, best_start, parse_duration, series_from_points

    start_now = _when(now) or datetime.now(timezone.utc)
    end = _when(deadline, start_now)
    assert end is not None
    if series:
        from greencart.energy.intensity import HourlySeriesIntensity

        hs = HourlySeriesIntensity.from_csv(*series)
        s = series_from_points(hs.times, hs.values)
        source = hs.source
    elif country:
        from greencart.energy.intensity import CountryAnnualIntensity

        iv = CountryAnnualIntensity(country).intensity_at(start_now)
        hour = start_now.replace(minute=0, second=0, microsecond=0)
        s, source = Series(hour, (iv.intensity_g_per_kwh,)), iv.source
    else:
        raise InvalidParameter("Expected --series PATH or --country ISO3 for the intensity")
    choice = best_start(s, start_now, parse_duration(duration), end, energy_kwh=energy_kwh)
    out = {**choice.__dict__, "carbon_g": choice.carbon_g, "saving_g": choice.saving_g, "source": source}
    if json_out:
        emit_json(out)
        return
    typer.echo(f"Start at {choice.start.isoformat()} (ends {choice.end.isoformat()}): "
               f"{choice.intensity_g_per_kwh:.1f} gCO2e/kWh vs {choice.now_intensity_g_per_kwh:.1f} now, "
               f"saving {choice.saving_pct:.1f} %" + (" (uses a seasonal-naive forecast)" if choice.uses_forecast else ""))
    if choice.carbon_g is not None:
        typer.echo(f"{energy_kwh} kWh: {choice.carbon_g:.1f} gCO2e, {choice.saving_g:.1f} g less than starting now")
    if country and not series:
        typer.echo("An annual average is flat: no start is better than another. Pass --series for hourly data.")
