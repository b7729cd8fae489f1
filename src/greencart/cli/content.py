"""``greencart content describe`` and ``greencart content translate``.

Mounted by ``greencart.cli.main`` with ``register(app)``. Errors are left to the
CLI's one handler (``greencart.cli.main.main``).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from greencart.cli.common import JsonOpt, emit_json, out, services
from greencart.errors import InvalidParameter

content_app = typer.Typer(help="Product descriptions and title translation (en/zh), grounded in catalogue data.",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(content_app, name="content")


@content_app.command("describe")
def describe(
    ctx: typer.Context,
    products: Annotated[list[str] | None, typer.Argument(help="Product ids (or --all)")] = None,
    lang: Annotated[str, typer.Option(help="en | zh")] = "en",
    all_products: Annotated[bool, typer.Option("--all", help="Every product in the catalogue.")] = False,
    polish_with_model: Annotated[bool, typer.Option("--polish", help="Let the local/remote model polish the "
                                                    "template; kept only if it adds no fact.")] = False,
    refresh: Annotated[bool, typer.Option(help="Regenerate even where a cached description is current.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Short descriptions with a footprint line, from each product's own data; cached per product version."""
    from tqdm import tqdm

    from greencart.content.service import ContentService
    from greencart.energy import EnergyConfig, EnergyMonitor
    from greencart.catalog.service import CatalogService

    if bool(products) == all_products:
        raise InvalidParameter("Expected product ids or --all (one of them)")
    catalog = CatalogService(cli_settings(ctx))
    catalog.db.require_migrated()
    monitor = EnergyMonitor(config=EnergyConfig.from_env()).start()
    try:
        service = ContentService(catalog, monitor, _backend() if polish_with_model else None)
        ids = service.all_ids() if all_products else list(products or [])
        with tqdm(total=len(ids), desc="describe", unit="product", disable=json_out or len(ids) < 50) as bar:
            report = service.describe(ids, lang, polish_with_model=polish_with_model, refresh=refresh,
                                      progress=bar.update)
    finally:
        monitor.stop()
        catalog.close()
    if json_out:
        emit_json(report.to_dict())
        return
    for d in report.descriptions[:20]:
        out.print(f"[bold]{escape(d.product_id)}[/bold] ({escape(d.method)}): {escape(d.text)}", highlight=False)
    per_1k = report.energy_j_per_1k
    out.print(f"{len(report.descriptions)} descriptions: {report.generated} generated, {report.cached} cached, "
              f"{report.polished} polished, {report.rejected} polish rejected; {report.energy_j:.3g} J "
              f"({report.energy_method})" + (f", {per_1k:.3g} J per 1,000 generated" if per_1k else ""))


@content_app.command("translate")
def translate(
    titles: Annotated[list[str], typer.Argument(help="Titles to translate")],
    to: Annotated[str, typer.Option("--to", help="zh | en")] = "zh",
    json_out: JsonOpt = False,
) -> None:
    """Titles into Chinese (or English) with the CC-CEDICT glossary; unknown words are kept."""
    from greencart.content.translate import to_chinese, to_english

    if to not in ("zh", "en"):
        raise InvalidParameter(f"Expected --to zh or en, got {to!r}")
    fn = to_chinese if to == "zh" else to_english
    rows = [fn(t) for t in titles]
    if json_out:
        emit_json({"items": [{"source": r.source, "text": r.text, "covered": round(r.covered, 3)} for r in rows]})
        return
    for r in rows:
        out.print(f"{escape(r.source)} -> {escape(r.text)}  [dim](dictionary covered {r.covered:.0%})[/dim]")
