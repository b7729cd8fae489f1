"""``greencart train``, ``evaluate``, ``recommend`` and ``greener``.

Mounted by ``greencart.cli.main`` with ``from greencart.cli.recommend import register; register(app)``.
Errors are left to the CLI's one handler (``greencart.cli.main``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from greencart.cli.common import JsonOpt, emit_json, out, services


def _service(ctx: typer.Context):  # type: ignore[no-untyped-def]
    """The recommender of this command's services (greencart.bootstrap)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before implicit/numpy start their thread pools
    return services(ctx).recommender


def train(
    ctx: typer.Context,
    model: Annotated[str | None, typer.Option(help="popularity | itemknn | ease | als | bpr (default: $GREENCART_RECOMMEND_MODEL or ease)")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Fit the recommender on every interaction in the store and save it under var/models."""
    svc = _service(ctx)
    try:
        report = svc.train(model).as_dict()
    finally:
        svc.close()
    if json_out:
        emit_json(report)
        return
    out.print(f"Trained [bold]{report['model']}[/bold] on {report['interactions']:,} interactions "
              f"({report['users']:,} shoppers x {report['items']:,} products) in {report['train_s']:.2f} s, "
              f"{report['energy_j']:.3g} J ({report['energy_method']}; band {report['energy_low_j']:.3g}-"
              f"{report['energy_high_j']:.3g} J). Saved to {report['path']}")


def evaluate(
    ctx: typer.Context,
    protocol: Annotated[list[str], typer.Option(help="temporal and/or leave-last-out (repeat the option)")] = ["temporal", "leave-last-out"],  # noqa: B006
    model: Annotated[list[str] | None, typer.Option(help="Models to compare (repeat); default all")] = None,
    seeds: Annotated[int, typer.Option(min=1, max=20, help="Seeds per seeded model (ALS, BPR)")] = 3,
    test_fraction: Annotated[float, typer.Option(min=0.01, max=0.9)] = 0.2,
    out_dir: Annotated[Path | None, typer.Option(help="Where to write JSON and the curve plot; default var/reports")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Compare models offline: full ranking, seen excluded, several seeds, energy per run."""
    from greencart.recommend.report import run_evaluation

    svc = _service(ctx)
    target = out_dir or Path(svc.settings.var_dir) / "reports"
    try:
        result = run_evaluation(svc.db, protocols=protocol, models=model, seeds=seeds, test_fraction=test_fraction,
                                out_dir=target, meter=svc.meter(), progress=not json_out)
    finally:
        svc.close()
    if json_out:
        emit_json(result)
        return
    from greencart.recommend.report import markdown_table

    out.print(markdown_table(result["rows"]))
    out.print(f"Written: {', '.join(result['files'])}")


def _recs_table(items: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for col in ("id", "title", "price", "score", "kg CO2e", "reason"):
        table.add_column(col, overflow="fold")
    for it in items:
        kg = it["footprint_kg_co2e"]
        table.add_row(it["id"], it["title"], f"{it['price']:.2f} {it['currency']}", f"{it['score']:.3f}",
                      "?" if kg is None else f"{kg:.3g}", it["reason"])
    return table


def recommend(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="Shopper id")],
    k: Annotated[int, typer.Option(min=1, max=100)] = 10,
    alpha: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="1 = relevance only, 0 = greenest; default: merchant's")] = None,
    category: Annotated[str | None, typer.Option()] = None,
    max_price: Annotated[float | None, typer.Option(min=0)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Top-k for a shopper, eco re-ranked, each with its footprint and the reason."""
    svc = _service(ctx)
    try:
        items = [r.to_dict() for r in svc.recommend(user, k, alpha=alpha, category=category, max_price=max_price)]
        used = svc.config.alpha if alpha is None else alpha
    finally:
        svc.close()
    if json_out:
        emit_json({"user_id": user, "alpha": used, "items": items, "count": len(items)})
    elif not items:
        out.print(f"No product for {user!r} matches these filters.")
    else:
        out.print(_recs_table(items, f"Recommendations for {user} (alpha {used})"))


def recommend_all(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Option("--out", help="JSON-lines file, one shopper per line")],
    k: Annotated[int, typer.Option(min=1, max=100)] = 10,
    alpha: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Top-k for every known shopper (batch scoring with a progress bar), with its energy."""
    svc = _service(ctx)
    try:
        report = svc.recommend_all(out_path, k, alpha=alpha, progress=not json_out)
    finally:
        svc.close()
    if json_out:
        emit_json(report)
    else:
        out.print(f"Wrote top-{report['k']} for {report['users']:,} shoppers to {report['path']} in "
                  f"{report['duration_s']:.2f} s: {report['energy_j']:.3g} J, "
                  f"{report['energy_j_per_1k_recs']:.3g} J per 1,000 ({report['energy_method']})")


def greener(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument(help="Product id")],
    k: Annotated[int, typer.Option(min=1, max=100)] = 5,
    max_price: Annotated[float | None, typer.Option(min=0)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Same-need alternatives with a lower footprint, and the saving in kg CO2e."""
    svc = _service(ctx)
    try:
        swaps = [s.to_dict() for s in svc.greener(product, k, max_price=max_price)]
    finally:
        svc.close()
    if json_out:
        emit_json({"product_id": product, "items": swaps, "count": len(swaps)})
        return
    if not swaps:
        out.print(f"No lower-footprint alternative for {product!r} in the same need.")
        return
    table = Table("id", "title", "price", "kg CO2e", "saving kg CO2e (band)", title=f"Greener swaps for {product}")
    for s in swaps:
        table.add_row(s["id"], s["title"], f"{s['price']:.2f}", f"{s['footprint_kg_co2e']:.3g}",
                      f"{s['saving_kg_co2e']:.3g} ({s['saving_low_kg_co2e']:.3g} to {s['saving_high_kg_co2e']:.3g})")
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the recommender commands to the root ``greencart`` app."""
    existing = {c.name for c in app.registered_commands}
    commands = (("train", train), ("evaluate", evaluate), ("recommend", recommend),
                ("recommend-all", recommend_all), ("greener", greener))
    for name, fn in commands:
        if name not in existing:
            app.command(name)(fn)
