"""The ``greencart`` command: the root Typer app, its callback (Settings), ``init``,
``status`` and ``serve``, and the CLI's one error handler in :func:`main`. Each
command group lives in its own module of this package and is mounted here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape

from greencart.cli import (
    assistant,
    catalog,
    compress,
    content,
    energy,
    governance,
    ops,
    privacy,
    recommend,
    route,
)
from greencart.cli.common import JsonOpt, emit_json, err, out
from greencart.cli.common import settings as cli_settings
from greencart.config import Settings
from greencart.errors import GreencartError

app = typer.Typer(
    name="greencart",
    help="Energy-aware shopping assistant: catalogue, footprints, search, serving.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for group in (catalog, energy, recommend, assistant, privacy, compress, content, route, governance, ops):
    group.register(app)


@app.callback()
def _root(
    ctx: typer.Context,
    database_url: Annotated[
        Optional[str],
        typer.Option(help="SQLAlchemy URL; default sqlite:///var/greencart.db or $GREENCART_DATABASE_URL."),
    ] = None,
    var_dir: Annotated[Optional[Path], typer.Option(help="State folder (database, index); default ./var.")] = None,
) -> None:
    from greencart.bootstrap import serve_promoted_models

    ctx.obj = Settings.from_env(database_url=database_url, var_dir=var_dir)
    serve_promoted_models(ctx.obj)  # the embedders promoted under this var dir serve (no os.environ)


@app.command()
def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Load the demo catalogue.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Create or migrate the database; with --demo load the demo catalogue,
    estimate every footprint, build the search index, train the recommender."""
    from greencart.store import open_database

    settings = cli_settings(ctx)
    db = open_database(settings.database_url, migrate=True)
    report: dict[str, Any] = {"database": db.url}
    if demo:
        from greencart.demo import load_demo

        report["demo"] = load_demo(db, progress=not json_out)
    catalog.refresh(ctx, report, progress=not json_out)
    if json_out:
        emit_json(report)
    else:
        for key, value in report.items():
            out.print(f"[bold]{key}[/bold]: {value}")


@app.command()
def status(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Database location and row counts."""
    svc = catalog.catalog_service(ctx)
    report = {"database": svc.db.url, "counts": svc.counts()}
    emit_json(report) if json_out else out.print(report)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[Optional[str], typer.Option(help="Default 127.0.0.1 or $GREENCART_HOST")] = None,
    port: Annotated[Optional[int], typer.Option(min=1, max=65535)] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    from greencart.api import create_app
    from greencart.api.server import run_server

    settings = cli_settings(ctx)
    settings = settings.with_overrides(host=host or settings.host, port=port or settings.port)
    err.print(f"greencart serving {settings.database_url} on http://{settings.host}:{settings.port} (docs: /docs)")
    run_server(create_app(settings), settings.host, settings.port)  # header/body timeouts: api/server.py


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
