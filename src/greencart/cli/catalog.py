"""Catalogue commands: ``import``, ``footprints``, ``search``, ``product``, ``categories``.

Mounted by ``greencart.cli.main`` with ``register(app)``. Errors are left to the
CLI's one handler (``greencart.cli.main.main``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from greencart.cli.common import EncodingOpt, JsonOpt, emit_json, out, services

import_app = typer.Typer(help="Import catalogues, orders and interactions (one transaction each).", no_args_is_help=True)
footprints_app = typer.Typer(help="Product carbon footprints: reference data and estimates.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(footprints_app, name="footprints")
    for command in (search, product, categories):
        app.command()(command)


def catalog_service(ctx: typer.Context):  # type: ignore[no-untyped-def]
    """The catalogue of this command's services (built by greencart.bootstrap, closed with the command)."""
    return services(ctx).catalog


def refresh(ctx: typer.Context, report: dict[str, Any], *, progress: bool) -> None:
    """After the catalogue changed: re-estimate footprints, rebuild the search
    index and retrain the recommender (each idempotent)."""
    from greencart.footprint import estimate_all

    svc = catalog_service(ctx)
    counts = svc.counts()
    if counts["products"]:
        report["footprints"] = estimate_all(svc.db, progress=progress)
        report["search_index"] = {"products": svc.index(progress=progress).size}
    if counts["interactions"]:
        trained = services(ctx).recommender.train()
        report["recommender"] = {"model": trained.model, "users": trained.users, "items": trained.items}


def _print_import(summary: Any, json_out: bool) -> None:
    if json_out:
        emit_json(summary.as_dict())
    else:
        for line in summary.render_lines():
            out.print(line)


def _run_import(ctx: typer.Context, importer: Any, path: Path, *, json_out: bool, encoding: str | None,
                then_refresh: bool) -> None:
    """Run one importer, then (for catalogue changes) refresh footprints, index and model."""
    summary = importer(catalog_service(ctx).db, path, progress=not json_out, encoding=encoding)
    if then_refresh:
        refresh(ctx, {}, progress=not json_out)
    _print_import(summary, json_out)


@import_app.command("online-retail")
def import_online_retail(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="UCI Online Retail .xlsx or .csv")],
    json_out: JsonOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import the UCI Online Retail format: products, orders, returns, interactions."""
    from greencart.catalog.importers import import_online_retail as run

    _run_import(ctx, run, path, json_out=json_out, encoding=encoding, then_refresh=True)


@import_app.command("products")
def import_products(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Products .csv or .jsonl (docs/importing.md)")],
    json_out: JsonOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import products in greencart's generic CSV/JSONL schema."""
    from greencart.catalog.importers import import_products as run

    _run_import(ctx, run, path, json_out=json_out, encoding=encoding, then_refresh=True)


@import_app.command("interactions")
def import_interactions(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Interactions .csv or .jsonl (docs/importing.md)")],
    json_out: JsonOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import shopper-product interactions (view, cart, purchase, return, rating)."""
    from greencart.catalog.importers import import_interactions as run

    _run_import(ctx, run, path, json_out=json_out, encoding=encoding, then_refresh=False)


@footprints_app.command("import-reference")
def footprints_import_reference(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Carbon Catalogue .xlsx or EPA supply-chain factors .csv")],
    json_out: JsonOpt = False,
) -> None:
    """Load a reference set (product PCFs or spend factors), then re-estimate footprints."""
    from greencart.footprint import estimate_all, import_reference

    svc = catalog_service(ctx)
    summary = import_reference(svc.db, path, progress=not json_out)
    result = {"reference": summary.as_dict(), "footprints": estimate_all(svc.db, progress=not json_out)}
    if json_out:
        emit_json(result)
    else:
        for key, value in result.items():
            out.print(f"[bold]{key}[/bold]: {value}")


@footprints_app.command("estimate")
def footprints_estimate(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """(Re)estimate the footprint of every product; prints counts by method."""
    from greencart.footprint import estimate_all

    counts = estimate_all(catalog_service(ctx).db, progress=not json_out)
    emit_json(counts) if json_out else out.print(counts)


def _cards_table(cards: list[Any], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("id", "title", "price", "kg CO2e", "band", "method"):
        table.add_column(col, overflow="fold")
    for c in cards:
        fp = c.footprint
        table.add_row(
            escape(c.id),
            escape(c.title),
            f"{c.price:.2f} {c.currency}",
            f"{fp['footprint_kg_co2e']:.3g}",
            f"{fp['footprint_low']:.3g}-{fp['footprint_high']:.3g}",
            escape(fp["footprint_method"]),
        )
    return table


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Text in English or Chinese")],
    max_price: Annotated[Optional[float], typer.Option(min=0)] = None,
    min_price: Annotated[Optional[float], typer.Option(min=0)] = None,
    category: Annotated[Optional[str], typer.Option()] = None,
    colour: Annotated[Optional[str], typer.Option()] = None,
    material: Annotated[Optional[str], typer.Option()] = None,
    k: Annotated[int, typer.Option(min=1, max=100)] = 10,
    rebuild_index: Annotated[bool, typer.Option(help="Rebuild the search index first.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Search products; filters are hard constraints."""
    from greencart.catalog.search import SearchFilters

    svc = catalog_service(ctx)
    if rebuild_index:
        svc.index(rebuild=True, progress=not json_out)
    attributes = {n: v for n, v in (("colour", colour), ("material", material)) if v}
    filters = SearchFilters(max_price=max_price, min_price=min_price, category=category, attributes=attributes)
    cards = svc.search(query, filters, k=k)
    if json_out:
        emit_json({"query": query, "items": [c.to_dict() for c in cards], "count": len(cards)})
    elif not cards:
        out.print(f"No product matches {escape(repr(query))} with these filters.")
    else:
        out.print(_cards_table(cards, f"Results for {escape(repr(query))}"))


def product(ctx: typer.Context, product_id: Annotated[str, typer.Argument(help="Product id")], json_out: JsonOpt = False) -> None:
    """Show one product with its footprint and how it was obtained."""
    card = catalog_service(ctx).product(product_id)
    if json_out:
        emit_json(card.to_dict())
        return
    out.print(f"[bold]{escape(card.title)}[/bold]  ({escape(card.id)})")
    if card.title_zh:
        out.print(escape(card.title_zh))
    attrs = ", ".join(f"{k}: {v}" for k, v in card.attributes.items())
    out.print(escape(f"{card.price:.2f} {card.currency} | {card.category} | {attrs}"))
    if card.description:
        out.print(escape(card.description))
    fp = card.footprint
    out.print(
        f"Footprint: [bold]{fp['footprint_kg_co2e']:.3g} kg CO2e[/bold] "
        f"(band {fp['footprint_low']:.3g} to {fp['footprint_high']:.3g}), method {fp['footprint_method']}"
    )
    out.print(f"Source: {escape(fp['footprint_source'])}")


def categories(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List categories with product counts."""
    rows = catalog_service(ctx).categories()
    if json_out:
        emit_json(rows)
        return
    table = Table("slug", "name", "名称", "products")
    for r in rows:
        table.add_row(escape(r["slug"]), escape(r["name_en"]), escape(r["name_zh"] or ""), str(r["products"]))
    out.print(table)


