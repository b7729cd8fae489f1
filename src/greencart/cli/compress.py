"""``greencart compress``: run a method, list variants, report, promote and roll back.

Mounted by ``greencart.cli.main`` with ``from greencart.cli.compress import register; register(app)``.
Errors are left to the CLI's one handler (``greencart.cli.main``): bad arguments exit 2.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from greencart.cli.common import emit_json, JsonOpt, out

compress_app = typer.Typer(help="Model lightweighting: quantise, prune, distil, adapt; measure; promote.",
                           no_args_is_help=True)
KindOpt = Annotated[str, typer.Option("--model", help="embedder | recommender")]


def register(app: typer.Typer) -> None:
    app.add_typer(compress_app, name="compress")



def _var_dir(ctx: typer.Context) -> Path:
    return Path(ctx.find_root().obj.var_dir)


def _kind(kind: str) -> str:
    from greencart.compress.artifact import KINDS
    from greencart.errors import InvalidParameter

    if kind not in KINDS:
        raise InvalidParameter(f"Expected --model embedder or recommender, got {kind!r}")
    return kind


@compress_app.command("run")
def run_cmd(
    ctx: typer.Context,
    method: Annotated[str, typer.Argument(help="Method name; `greencart compress methods` lists them")],
    model: KindOpt = "embedder",
    source: Annotated[str | None, typer.Option(help="Variant or model to start from (default: minilm-fp32 / als)")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="NAME=VALUE (repeat)")] = None,
    dataset: Annotated[str, typer.Option(help="demo | online-retail | PATH to an Online Retail .xlsx/.csv")] = "demo",
    json_out: JsonOpt = False,
) -> None:
    """Make a variant with METHOD, evaluate it on the task it serves, record it."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from greencart.compress.datasets import dataset_key
    from greencart.compress.pipeline import get_spec, parse_params, run

    get_spec(method, _kind(model))
    params = parse_params(param or [])
    dataset_key(dataset)
    art, ev = run(method, model=model, source=source, params=params, dataset=dataset, var_dir=_var_dir(ctx))
    if json_out:
        emit_json({"artifact": art.to_dict(), "evaluation": ev.to_dict()})
        return
    from greencart.compress.report import row_of

    _print_rows([row_of(ev, art.settings)], f"{art.kind} variant {art.name} ({art.method})")
    out.print(f"Saved to {escape(str(art.path))}")


@compress_app.command("methods")
def methods_cmd(json_out: JsonOpt = False) -> None:
    """List the methods and their parameters (from the method packages, where installed)."""
    from greencart.compress.loaders import resolve
    from greencart.compress.pipeline import METHODS, user_params
    from greencart.errors import ModelUnavailable

    rows = []
    for spec in METHODS.values():
        try:
            params = {n: (None if p.default is p.empty else p.default)
                      for n, p in user_params(resolve(spec.target)).items() if n not in spec.fixed}
            state = "ready"
        except ModelUnavailable as exc:
            params, state = {}, exc.message
        rows.append({"kind": spec.kind, "method": spec.name, "summary": spec.summary, "params": params, "state": state})
    if json_out:
        emit_json({"methods": rows})
        return
    table = Table("kind", "method", "what", "parameters (default)", "state")
    for r in rows:
        table.add_row(r["kind"], r["method"], r["summary"], escape(", ".join(f"{k}={v}" for k, v in r["params"].items())),
                      escape(r["state"]))
    out.print(table)


@compress_app.command("list")
def list_cmd(ctx: typer.Context, model: Annotated[str | None, typer.Option("--model", help="embedder | recommender")] = None,
             json_out: JsonOpt = False) -> None:
    """The variants on disk, with their evaluations; the serving one is marked."""
    from greencart.compress.registry import list_variants, read_pointer
    from greencart.compress.report import report_rows

    var_dir = _var_dir(ctx)
    kinds = (_kind(model),) if model else ("embedder", "recommender")
    active = {k: read_pointer(k, var_dir)["active"] for k in kinds}
    variants = [v for k in kinds for v in list_variants(k, var_dir)]
    if json_out:
        emit_json({"active": active, "variants": [{"artifact": v.artifact.to_dict(), "size_bytes": v.artifact.size_bytes(),
                                               "evaluations": {d: e.to_dict() for d, e in v.evaluations.items()}}
                                              for v in variants]})
        return
    unevaluated = [v.artifact.name for v in variants if not v.evaluations]
    _print_rows(report_rows(variants, active), "Model variants")
    if unevaluated:
        out.print(f"Not evaluated: {', '.join(unevaluated)}")
    out.print(f"Serving: {active}")


def _print_rows(rows: list[dict[str, Any]], title: str) -> None:
    from greencart.compress.report import fmt

    cols = {"variant": "variant", "dataset": "data", "size_mb": "MB", "compression_ratio": "ratio",
            "ndcg_at_10": "nDCG@10", "recall_at_20": "R@20", "latency_ms_p50": "p50 ms", "energy_j_per_1k": "J/1k",
            "delta_ndcg_at_10_pct": "ΔnDCG %"}
    table = Table(title=title)
    for key, header in cols.items():
        table.add_column(header, overflow="fold", min_width=12 if key == "variant" else None)
    for r in rows:
        name = f"* {r['variant']}" if r.get("active") else r["variant"]
        table.add_row(escape(name), *(escape(fmt(r.get(c))) for c in list(cols)[1:]))
    out.print(table)
    if rows:
        out.print(f"Energy: {', '.join(sorted({str(r['energy_method']) for r in rows}))} (J per 1,000 inferences)")


@compress_app.command("report")
def report_cmd(ctx: typer.Context,
               out_dir: Annotated[Path | None, typer.Option("--out", help="Folder (default var/reports/compress)")] = None,
               json_out: JsonOpt = False) -> None:
    """Markdown and HTML tables of every evaluated variant, and Pareto plots (PNG, SVG)."""
    from greencart.compress.report import write_report

    var_dir = _var_dir(ctx)
    result = write_report(out_dir or var_dir / "reports" / "compress", var_dir=var_dir)
    if json_out:
        emit_json(result)
        return
    out.print(f"{result['rows']} rows; wrote:")
    for f in result["files"]:
        out.print(f"  {escape(f)}")


@compress_app.command("promote")
def promote_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Variant name (`greencart compress list`)")],
    model: Annotated[str | None, typer.Option("--model", help="embedder | recommender (when ambiguous)")] = None,
    max_loss: Annotated[float, typer.Option(min=0.0, max=1.0, help="Largest relative nDCG@10 loss accepted")] = 0.01,
    force: Annotated[bool, typer.Option("--force", help="Promote even if the quality bar is missed")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Serve variant NAME (search embedder or recommender) if it meets the quality bar."""
    from greencart.compress.registry import QualityBar, get_variant, promote

    var_dir = _var_dir(ctx)
    kind = get_variant(name, _kind(model) if model else None, var_dir).artifact.kind
    pointer = promote(name, kind, quality_bar=QualityBar(max_relative_loss=max_loss), force=force, var_dir=var_dir)
    _done(pointer, json_out, f"Promoted {kind} variant {name}" + (" (forced)" if pointer["history"][-1]["forced"] else ""))


@compress_app.command("rollback")
def rollback_cmd(ctx: typer.Context, model: KindOpt, json_out: JsonOpt = False) -> None:
    """Serve what served before the last promotion of this kind."""
    from greencart.compress.registry import rollback

    pointer = rollback(_kind(model), _var_dir(ctx))
    _done(pointer, json_out, f"Rolled back: {model} now served by {pointer['active'] or 'the original model'}")


def _done(pointer: dict[str, Any], json_out: bool, message: str) -> None:
    if json_out:
        emit_json(pointer)
    else:
        out.print(escape(message))
        if pointer["kind"] == "embedder":
            out.print("The search index is rebuilt with the serving embedder on its next use.")
