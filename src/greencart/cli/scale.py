"""``greencart scale``: batch jobs on a runner (local or an existing Ray cluster) and the
host energy reconciled across API workers. See docs/scaling.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from greencart.cli.common import JsonOpt, emit_json, open_db, out
from greencart.cli.common import settings as cli_settings

scale_app = typer.Typer(help="Scale-out: batch jobs on Ray or locally; energy across API workers.",
                        no_args_is_help=True)
RunnerOpt = Annotated[str, typer.Option("--runner", help="local (default, no Ray) or ray")]
AddressOpt = Annotated[str | None, typer.Option(
    "--address", help="Ray cluster address ('auto', 'ray://head:10001'); default: a local Ray")]
CpusOpt = Annotated[int | None, typer.Option("--num-cpus", min=1, help="CPUs of a local Ray")]


def _runner(name: str, address: str | None, num_cpus: int | None) -> Any:
    from greencart.scale import runner_from_name

    return runner_from_name(name, address=address, num_cpus=num_cpus)


def _report(result: dict[str, Any], runner: Any, json_out: bool) -> None:
    result = {**result, "runner": runner.name, "tasks": runner.stats.tasks,
              "nodes": len(runner.stats.nodes), "map_s": round(runner.stats.duration_s, 3)}
    emit_json(result) if json_out else out.print(result)


@scale_app.command("index")
def index(ctx: typer.Context, runner: RunnerOpt = "local", address: AddressOpt = None,
          num_cpus: CpusOpt = None, json_out: JsonOpt = False) -> None:
    """Rebuild the search index, embedding batches on the runner."""
    from greencart.catalog.search import SearchIndex
    from greencart.store import catalog_repo

    settings, db = cli_settings(ctx), open_db(ctx)
    with db.read() as s:
        products = list(catalog_repo.iter_products(s))
    r = _runner(runner, address, num_cpus)
    try:
        built = SearchIndex.build(products, progress=not json_out, runner=r)
        built.save(settings.index_dir)
        _report({"products": built.size, "index_dir": str(settings.index_dir)}, r, json_out)
    finally:
        r.close()
        db.dispose()


@scale_app.command("footprints")
def footprints(ctx: typer.Context, runner: RunnerOpt = "local", address: AddressOpt = None,
               num_cpus: CpusOpt = None, batch_size: Annotated[int, typer.Option(min=1)] = 1000,
               json_out: JsonOpt = False) -> None:
    """(Re)estimate every product's footprint, chunks on the runner; counts by method."""
    from greencart.footprint import estimate_all

    db = open_db(ctx)
    r = _runner(runner, address, num_cpus)
    try:
        _report({"footprints": estimate_all(db, batch_size=batch_size, runner=r)}, r, json_out)
    finally:
        r.close()
        db.dispose()


@scale_app.command("recommend-all")
def recommend_all(ctx: typer.Context,
                  out_path: Annotated[Path, typer.Option("--out", help="JSON-lines file, one shopper per line")],
                  k: Annotated[int, typer.Option(min=1, max=100)] = 10, runner: RunnerOpt = "local",
                  address: AddressOpt = None, num_cpus: CpusOpt = None, json_out: JsonOpt = False) -> None:
    """Top-k for every known shopper, batches on the runner (the trained model is shipped once)."""
    from greencart.recommend.service import RecommendService

    svc = RecommendService(cli_settings(ctx))
    svc.db.require_migrated()
    r = _runner(runner, address, num_cpus)
    try:
        _report(svc.recommend_all(out_path, k, runner=r), r, json_out)
    finally:
        r.close()
        svc.close()


@scale_app.command("energy")
def energy(ctx: typer.Context, live_within_s: Annotated[float | None, typer.Option(min=1)] = None,
           json_out: JsonOpt = False) -> None:
    """Host energy reconciled across the API workers that published (each host counted once)."""
    from greencart.scale.workers import host_energy

    db = open_db(ctx)
    try:
        result = host_energy(db, live_within_s=live_within_s).to_dict()
    finally:
        db.dispose()
    emit_json(result) if json_out else out.print(result)


def register(app: typer.Typer) -> None:
    """Add the ``scale`` group to the root ``greencart`` app."""
    app.add_typer(scale_app, name="scale")
