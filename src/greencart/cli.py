"""The ``greencart`` command. It parses arguments and calls the library; errors
are handled once, in :func:`main`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from greencart.config import Settings
from greencart.errors import GreencartError

app = typer.Typer(
    name="greencart",
    help="Energy-aware shopping assistant: catalogue, footprints, search, serving.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import catalogues, orders and interactions (one transaction each).", no_args_is_help=True)
footprints_app = typer.Typer(help="Product carbon footprints: reference data and estimates.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(footprints_app, name="footprints")


def _mount_energy() -> None:
    from greencart.cli_energy import energy_app, schedule

    app.add_typer(energy_app, name="energy")
    app.command("schedule")(schedule)


def _mount_recommend() -> None:
    from greencart.cli_recommend import register

    register(app)  # train, evaluate, recommend, recommend-all, greener


def _mount_assistant() -> None:
    from greencart.cli_assistant import register

    register(app)  # ask, chat


def _mount_compress() -> None:
    from greencart.cli_compress import register

    register(app)  # compress run, methods, list, report, promote, rollback


def _mount_privacy() -> None:
    from greencart.cli_privacy import register

    register(app)  # privacy forget|purge|bench, conversations list|show


_mount_energy()
_mount_recommend()
_mount_assistant()
_mount_privacy()
_mount_compress()

out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
EncodingOpt = Annotated[
    Optional[str], typer.Option(help="Text encoding of a CSV/JSONL file (default: UTF-8), e.g. cp1252.")
]


def _settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def _service(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from greencart.service import CatalogService

    svc = CatalogService(_settings(ctx))
    svc.db.require_migrated()
    return svc


def _emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


@app.callback()
def _root(
    ctx: typer.Context,
    database_url: Annotated[
        Optional[str], typer.Option(help="SQLAlchemy URL; default sqlite:///var/greencart.db or $GREENCART_DATABASE_URL.")
    ] = None,
    var_dir: Annotated[Optional[Path], typer.Option(help="State folder (database, index); default ./var.")] = None,
) -> None:
    ctx.obj = Settings.from_env(database_url=database_url, var_dir=var_dir)
    if var_dir is not None:  # so process-wide lookups (the promoted embedder) read the same folder
        os.environ["GREENCART_VAR_DIR"] = str(ctx.obj.var_dir)


@app.command()
def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Load the demo catalogue.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Create or migrate the database; with --demo load the demo catalogue,
    estimate every footprint, build the search index, train the recommender."""
    from greencart.store import open_database

    settings = _settings(ctx)
    db = open_database(settings.database_url, migrate=True)
    report: dict[str, Any] = {"database": db.url}
    if demo:
        from greencart.catalog.demo import load_demo

        report["demo"] = load_demo(db, progress=not json_out)
    _refresh(ctx, report, progress=not json_out)
    if json_out:
        _emit_json(report)
    else:
        for key, value in report.items():
            out.print(f"[bold]{key}[/bold]: {value}")


def _refresh(ctx: typer.Context, report: dict[str, Any], *, progress: bool) -> None:
    """After the catalogue changed: re-estimate footprints, rebuild the search
    index and retrain the recommender (each idempotent)."""
    from greencart.footprint import estimate_all

    svc = _service(ctx)
    counts = svc.counts()
    if counts["products"]:
        report["footprints"] = estimate_all(svc.db, progress=progress)
        report["search_index"] = {"products": svc.index(progress=progress).size}
    if counts["interactions"]:
        from greencart.recommend.service import RecommendService

        rec = RecommendService(_settings(ctx), svc.db)
        trained = rec.train()
        report["recommender"] = {"model": trained.model, "users": trained.users, "items": trained.items}
        rec.close()
    svc.close()


def _print_import(summary: Any, json_out: bool) -> None:
    if json_out:
        _emit_json(summary.as_dict())
    else:
        for line in summary.render_lines():
            out.print(line)


def _run_import(ctx: typer.Context, importer: Any, path: Path, *, json_out: bool, encoding: str | None,
                refresh: bool) -> None:
    """Run one importer, then (for catalogue changes) refresh footprints, index and model."""
    summary = importer(_service(ctx).db, path, progress=not json_out, encoding=encoding)
    if refresh:
        _refresh(ctx, {}, progress=not json_out)
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

    _run_import(ctx, run, path, json_out=json_out, encoding=encoding, refresh=True)


@import_app.command("products")
def import_products(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Products .csv or .jsonl (docs/importing.md)")],
    json_out: JsonOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import products in greencart's generic CSV/JSONL schema."""
    from greencart.catalog.importers import import_products as run

    _run_import(ctx, run, path, json_out=json_out, encoding=encoding, refresh=True)


@import_app.command("interactions")
def import_interactions(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Interactions .csv or .jsonl (docs/importing.md)")],
    json_out: JsonOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Import shopper-product interactions (view, cart, purchase, return, rating)."""
    from greencart.catalog.importers import import_interactions as run

    _run_import(ctx, run, path, json_out=json_out, encoding=encoding, refresh=False)


@footprints_app.command("import-reference")
def footprints_import_reference(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Carbon Catalogue .xlsx or EPA supply-chain factors .csv")],
    json_out: JsonOpt = False,
) -> None:
    """Load a reference set (product PCFs or spend factors), then re-estimate footprints."""
    from greencart.footprint import estimate_all, import_reference

    svc = _service(ctx)
    summary = import_reference(svc.db, path, progress=not json_out)
    result = {"reference": summary.as_dict(), "footprints": estimate_all(svc.db, progress=not json_out)}
    if json_out:
        _emit_json(result)
    else:
        for key, value in result.items():
            out.print(f"[bold]{key}[/bold]: {value}")


@footprints_app.command("estimate")
def footprints_estimate(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """(Re)estimate the footprint of every product; prints counts by method."""
    from greencart.footprint import estimate_all

    counts = estimate_all(_service(ctx).db, progress=not json_out)
    _emit_json(counts) if json_out else out.print(counts)


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


@app.command()
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

    svc = _service(ctx)
    if rebuild_index:
        svc.index(rebuild=True, progress=not json_out)
    attributes = {n: v for n, v in (("colour", colour), ("material", material)) if v}
    filters = SearchFilters(max_price=max_price, min_price=min_price, category=category, attributes=attributes)
    cards = svc.search(query, filters, k=k)
    if json_out:
        _emit_json({"query": query, "items": [c.to_dict() for c in cards], "count": len(cards)})
    elif not cards:
        out.print(f"No product matches {escape(repr(query))} with these filters.")
    else:
        out.print(_cards_table(cards, f"Results for {escape(repr(query))}"))


@app.command()
def product(ctx: typer.Context, product_id: Annotated[str, typer.Argument(help="Product id")], json_out: JsonOpt = False) -> None:
    """Show one product with its footprint and how it was obtained."""
    card = _service(ctx).product(product_id)
    if json_out:
        _emit_json(card.to_dict())
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


@app.command()
def categories(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """List categories with product counts."""
    rows = _service(ctx).categories()
    if json_out:
        _emit_json(rows)
        return
    table = Table("slug", "name", "名称", "products")
    for r in rows:
        table.add_row(escape(r["slug"]), escape(r["name_en"]), escape(r["name_zh"] or ""), str(r["products"]))
    out.print(table)


@app.command()
def status(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Database location and row counts."""
    svc = _service(ctx)
    report = {"database": svc.db.url, "counts": svc.counts()}
    _emit_json(report) if json_out else out.print(report)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[Optional[str], typer.Option(help="Default 127.0.0.1 or $GREENCART_HOST")] = None,
    port: Annotated[Optional[int], typer.Option(min=1, max=65535)] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    from greencart.api import create_app

    settings = _settings(ctx)
    settings = settings.with_overrides(host=host or settings.host, port=port or settings.port)
    err.print(f"greencart serving {settings.database_url} on http://{settings.host}:{settings.port} (docs: /docs)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


def main() -> None:
    """Entry point: the CLI's one error handler. Usage errors are Typer's (exit 2);
    greencart's own errors print one line naming what was wrong (exit codes in errors.py)."""
    try:
        app()
    except GreencartError as exc:
        err.print(f"[red]error:[/red] {escape(exc.message)}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
