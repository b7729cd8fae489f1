"""``greencart models evaluate|cards``, ``greencart report sustainability``,
``greencart explain recommendation|footprint|check`` and ``greencart privacy
rotate-keys|status|erasures`` (added to the privacy group of ``cli/privacy.py``).

Mounted by ``greencart.cli.main`` with ``register(app)``; errors go to the CLI's one handler.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from greencart.cli.common import JsonOpt, emit_json, open_db, out
from greencart.cli.common import settings as cli_settings
from greencart.cli.privacy import privacy_app

models_app = typer.Typer(help="Model evaluation (stratified K-fold) and model cards.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for a merchant's compliance team.", no_args_is_help=True)
explain_app = typer.Typer(help="Explanations of recommendations and footprints, and their check.",
                          no_args_is_help=True)
FORMATS = ("md", "html", "pdf", "json")


def _results_dir() -> Path:
    return Path("benchmarks") / "results"


@models_app.command("evaluate")
def evaluate(ctx: typer.Context,
             tasks: Annotated[Path | None, typer.Option(help="Assistant task file (JSON lines) for the "
                                                        "understanding rules.")] = Path("benchmarks/tasks/demo.jsonl"),
             k: Annotated[int, typer.Option(min=2, max=20, help="Folds.")] = 5,
             products: Annotated[int, typer.Option(min=200, max=20_000, help="Demo catalogue size.")] = 1200,
             embedder: Annotated[bool, typer.Option("--embedder/--no-embedder",
                                                    help="Classify with the MiniLM embedder as served.")] = False,
             json_out: JsonOpt = False) -> None:
    """Stratified K-fold accuracy and macro-F1 (mean ± sd) of the classifiers; writes
    var/reports/governance/kfold.json, which the model cards read."""
    from greencart.governance.evaluation import evaluate_classifiers

    settings = cli_settings(ctx)
    emb = None
    if embedder:
        from greencart.catalog.embed import get_embedder

        emb = get_embedder("minilm-int8")
    results = evaluate_classifiers(tasks, k=k, embedder=emb, n_products=products)
    target = Path(settings.var_dir) / "reports" / "governance" / "kfold.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"results": [r.as_dict() for r in results]}, indent=2), encoding="utf-8")
    if json_out:
        emit_json({"path": str(target), "results": [r.as_dict() for r in results]})
        return
    table = Table("model", "data", "n", "classes", "accuracy", "macro-F1")
    for r in results:
        table.add_row(r.model, r.dataset[:48], str(r.n), str(r.classes), f"{r.accuracy_mean:.3f} ± {r.accuracy_sd:.3f}",
                      f"{r.macro_f1_mean:.3f} ± {r.macro_f1_sd:.3f}")
    out.print(table)
    out.print(f"Written to {target}")


@models_app.command("cards")
def cards(ctx: typer.Context,
          out_dir: Annotated[Path | None, typer.Option("--out", help="Folder; default var/reports/model-cards.")] = None,
          results: Annotated[Path | None, typer.Option(help="Benchmark results folder.")] = None,
          json_out: JsonOpt = False) -> None:
    """A model card per served model (data, metrics with protocol, training energy, compression,
    intended use, limits), generated from the artefacts; Markdown and JSON."""
    from greencart.governance.cards import model_cards, write_cards

    settings = cli_settings(ctx)
    db = open_db(ctx)
    try:
        made = model_cards(Path(settings.var_dir), results or _results_dir(), db)
    finally:
        db.dispose()
    target = out_dir or Path(settings.var_dir) / "reports" / "model-cards"
    paths = write_cards(made, target)
    if json_out:
        emit_json({"cards": [c.as_dict() for c in made], "paths": [str(p) for p in paths]})
        return
    for c, p in zip(made, paths):
        out.print(f"[bold]{c.name}[/bold]: {len(c.metrics)} metrics -> {p}")


@report_app.command("sustainability")
def sustainability(ctx: typer.Context,
                   period: Annotated[str, typer.Option(help="2024, 2024-Q1, 2024-03 or 2024-01-01..2024-03-31")],
                   fmt: Annotated[str, typer.Option("--format", help="md, html, pdf or json")] = "md",
                   out_path: Annotated[Path | None, typer.Option("--out", help="File to write; default "
                                                                 "var/reports/sustainability-<period>.<format>")] = None,
                   json_out: JsonOpt = False) -> None:
    """The sustainability report for a period: AI energy and SCI per functional unit, footprint
    coverage, swaps, ops savings, data protection, methodology and sources."""
    from greencart.errors import InvalidParameter
    from greencart.governance.report import Period, ReportContext, build_report
    from greencart.privacy import Pseudonymiser

    if fmt not in FORMATS:
        raise InvalidParameter(f"Expected --format in {FORMATS}, got {fmt!r}")
    settings = cli_settings(ctx)
    per = Period.parse(period)
    db = open_db(ctx)
    try:
        report = build_report(ReportContext(db, per, Path(settings.var_dir),
                                            Pseudonymiser.from_env(settings.var_dir)))
    finally:
        db.dispose()
    target = out_path or Path(settings.var_dir) / "reports" / f"sustainability-{per.label.replace('..', '_')}.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        target.write_bytes(report.pdf())
    elif fmt == "html":
        target.write_text(report.html(), encoding="utf-8")
    elif fmt == "md":
        target.write_text(report.markdown(target.parent / f"{target.stem}-figures", f"{target.stem}-figures/"),
                          encoding="utf-8")
    else:
        target.write_text(json.dumps(report.as_dict(), indent=2, default=str), encoding="utf-8")
    if json_out:
        emit_json({"path": str(target), "format": fmt, **report.as_dict()})
    else:
        out.print(f"{report.summary_line()}\nWritten to {target}")


@explain_app.command("recommendation")
def explain_recommendation(ctx: typer.Context, user: Annotated[str, typer.Option(help="A known shopper id.")],
                           item: Annotated[str | None, typer.Option(help="Product id; default their top pick.")] = None,
                           n: Annotated[int, typer.Option(min=1, max=50)] = 5, json_out: JsonOpt = False) -> None:
    """Which of the shopper's purchases made a recommendation (the model's own contributions)."""
    from greencart.governance.explain import explain_recommendation as explain_rec
    from greencart.recommend.base import load_recommender

    model = load_recommender(Path(cli_settings(ctx).var_dir) / "models" / "recommender")
    item = item or model.recommend(user, 1)[0].item_id
    exp = explain_rec(model, user, item, n)
    if json_out:
        emit_json(exp.as_dict())
        return
    out.print(f"{item} for this shopper: score {exp.score:.4g} ({exp.method})")
    for a in exp.attributions:
        out.print(f"  {a.item_id}: {a.contribution:.4g} ({a.share:.0%})")


@explain_app.command("footprint")
def explain_footprint(ctx: typer.Context, product_id: Annotated[str, typer.Argument(help="A product id.")],
                      json_out: JsonOpt = False) -> None:
    """Why a product's footprint figure is what it is, in plain words."""
    from greencart.errors import NotFound
    from greencart.governance.explain import explain_footprint as explain_fp
    from greencart.store.catalog_repo import get_product
    from greencart.store.footprint_repo import get_footprint

    db = open_db(ctx)
    try:
        with db.read() as s:
            product, fp = get_product(s, product_id), get_footprint(s, product_id)
    finally:
        db.dispose()
    if fp is None:
        raise NotFound(f"No footprint for {product_id!r}: run `greencart footprints estimate`")
    exp = explain_fp(fp, product.title)
    emit_json(exp) if json_out else out.print(exp["text"], highlight=False)


@explain_app.command("check")
def explain_check(ctx: typer.Context, k: Annotated[int, typer.Option(min=1, max=20)] = 2,
                  cases: Annotated[int, typer.Option(min=1, max=100_000)] = 200,
                  draws: Annotated[int, typer.Option(min=1, max=1000)] = 10, json_out: JsonOpt = False) -> None:
    """Deletion test of the served recommender's explanations: the faithful rate."""
    from greencart.governance.explain import DeletionTestConfig, deletion_test
    from greencart.recommend.base import load_recommender

    model = load_recommender(Path(cli_settings(ctx).var_dir) / "models" / "recommender")
    r = deletion_test(model, DeletionTestConfig(k=k, random_draws=draws, max_cases=cases))
    if json_out:
        emit_json(r.as_dict())
    else:
        out.print(f"{r.model}: removing the top-{r.k} contributors lowered the score more than {r.k} random items in "
                  f"{r.faithful_rate:.1%} of {r.cases} cases (mean drop {r.mean_drop_top_k:.4g} vs "
                  f"{r.mean_drop_random_k:.4g}).")


@privacy_app.command("rotate-keys")
def rotate_keys(ctx: typer.Context,
                batch_size: Annotated[int, typer.Option(min=1, max=100_000, help="Rows per transaction.")] = 500,
                data_keys: Annotated[bool, typer.Option("--data-keys", help="Also replace every data key and "
                                                        "re-encrypt its rows.")] = False,
                json_out: JsonOpt = False) -> None:
    """Rotate the master key (re-wrap data keys in batches; old keys readable until done),
    seal rows stored in clear before encryption, re-seal session files."""
    from greencart.governance.rotation import rotate

    settings = cli_settings(ctx)
    db = open_db(ctx)
    try:
        report = rotate(db, Path(settings.var_dir), batch_size=batch_size, data_keys=data_keys)
    finally:
        db.dispose()
    emit_json(report.as_dict()) if json_out else out.print(report.as_dict())


@privacy_app.command("status")
def status(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Records encrypted and in clear, data keys, master key id, erasures logged."""
    from greencart.governance.erasure import open_cipher
    from greencart.store import governance_repo

    settings = cli_settings(ctx)
    db = open_db(ctx)
    try:
        cipher = open_cipher(Path(settings.var_dir), db)
        with db.read() as s:
            info: dict[str, Any] = {**governance_repo.encryption_counts(s), "erasures": len(governance_repo.erasures(s))}
    finally:
        db.dispose()
    info.update(master_key_id=cipher.keyring.primary_id, key_source=cipher.keyring.source,
                retired_master_keys=len(cipher.keyring.retired))
    emit_json(info) if json_out else out.print(info)


@privacy_app.command("erasures")
def erasures(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """The erasure log: what each forget or retention purge removed (no personal data)."""
    from greencart.store import governance_repo

    db = open_db(ctx)
    try:
        with db.read() as s:
            rows = governance_repo.erasures(s)
    finally:
        db.dispose()
    if json_out:
        emit_json({"erasures": rows})
        return
    table = Table("#", "kind", "at", "keys shredded", "rows deleted")
    for r in rows:
        table.add_row(str(r["id"]), r["kind"], r["at"][:16], str(r["keys_shredded"]), json.dumps(r["rows_deleted"]))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
    app.add_typer(report_app, name="report")
    app.add_typer(explain_app, name="explain")
